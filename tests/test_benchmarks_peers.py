"""benchmarks/peers.py's pure helpers: the origins and cells every system is scored on.

The peers themselves (Darts, NeuralForecast) need `.venv-peers`; nothing here does.
"""

import doctest
import importlib.util
from pathlib import Path

import numpy as np
import pytest

PATH = Path(__file__).parents[1] / "benchmarks" / "peers.py"


@pytest.fixture(scope="module")
def peers():
    spec = importlib.util.spec_from_file_location("bench_peers", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docstring_examples(peers):
    result = doctest.testmod(peers, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_origins_run_from_the_test_start_to_the_last_whole_horizon(peers):
    origins = peers.scored_origins(40, 30, 4, 12)
    assert origins[0] == 30
    assert origins[-1] + 4 - 1 == 39  # the last cell is the series' last value
    assert np.all(np.diff(origins) == 1)


def test_cells_are_the_values_from_each_origin_on(peers):
    values = np.random.default_rng(0).normal(size=50)
    origins = peers.scored_origins(50, 35, 3, 10)
    exact = np.stack([values[o : o + 3] for o in origins])
    assert peers.cell_mae(values, origins, exact) == 0.0
    # A forecast one step late (the value at the origin's step before) scores as wrong.
    late = np.stack([values[o - 1 : o + 2] for o in origins])
    expected = np.mean(np.abs(exact - late))
    assert peers.cell_mae(values, origins, late) == pytest.approx(expected)
    assert expected > 0


def test_forecasts_of_another_shape_are_refused(peers):
    values = np.arange(20.0)
    origins = peers.scored_origins(20, 15, 2, 5)
    with pytest.raises(ValueError, match="do not match"):
        peers.cell_mae(values, origins, np.zeros((len(origins), 3)))


def test_panel_scores_average_each_series_mase_and_pool_the_cells(peers):
    rng = np.random.default_rng(1)
    # Two series of different lengths and scales: MASE is per series, WAPE and MAE pooled.
    targets = [rng.normal(size=40).cumsum(), 100 + 10 * rng.normal(size=30).cumsum()]
    firsts = [32, 20]
    origins = [peers.scored_origins(len(t), f, 3, 8) for t, f in zip(targets, firsts)]
    # Forecast: the last value before each origin, repeated (a naive forecast).
    naive = [np.stack([np.repeat(t[o - 1], 3) for o in at]) for t, at in zip(targets, origins)]
    scores = peers.panel_scores(targets, origins, firsts, naive, season=1)
    actual = [np.stack([t[o : o + 3] for o in at]) for t, at in zip(targets, origins)]
    scales = [np.mean(np.abs(np.diff(t[:f]))) for t, f in zip(targets, firsts)]
    errors = [np.abs(a - n) for a, n in zip(actual, naive)]
    assert scores["mase"] == pytest.approx(np.mean([e.mean() / s for e, s in zip(errors, scales)]))
    pooled = np.concatenate([e.ravel() for e in errors])
    assert scores["mae"] == pytest.approx(pooled.mean())
    total = sum(np.abs(a).sum() for a in actual)
    assert scores["wape"] == pytest.approx(100 * pooled.sum() / total)
    exact = peers.panel_scores(targets, origins, firsts, actual, season=1)
    assert exact == {"mase": 0.0, "wape": 0.0, "mae": 0.0}
