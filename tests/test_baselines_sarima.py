"""SARIMA as a baseline: it beats naive on a seasonal series, and its fit range is checked."""

import numpy as np
import pytest

from seqcast import metrics
from seqcast.baselines import forecast_targets, naive_forecast, sarima_forecast, select_sarima_order
from seqcast.baselines.sarima import simplest_as_good
from seqcast.errors import SeqcastError


def _noisy_seasonal(n: int = 150, season: int = 12, seed: int = 0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    time = np.arange(n)
    return 10 + 0.1 * time + 5 * np.sin(2 * np.pi * time / season) + rng.randn(n)


SEASONAL = _noisy_seasonal()


def test_sarima_beats_naive_on_a_noisy_seasonal_series():
    origins = np.arange(100, 148)
    truth = forecast_targets(SEASONAL, origins, 3)
    sarima = sarima_forecast(SEASONAL, origins, 3, fit_end=100, season=12)
    naive = naive_forecast(SEASONAL, origins, 3)
    assert sarima.shape == (len(origins), 3)
    assert metrics.mae(truth, sarima) < 0.7 * metrics.mae(truth, naive)


def test_sarima_fit_must_end_before_the_first_origin():
    with pytest.raises(SeqcastError, match="fit_end is 120"):
        sarima_forecast(SEASONAL, [110], 1, fit_end=120, season=12)


def test_sarima_needs_enough_points_to_fit():
    with pytest.raises(SeqcastError, match="needs 36 points to fit, but fit_end is 20"):
        sarima_forecast(SEASONAL, [30], 1, fit_end=20, season=12)


def test_sarima_drops_a_season_too_long_to_filter_quickly():
    origins = np.arange(100, 110)
    long_season = sarima_forecast(SEASONAL, origins, 2, fit_end=100, season=365)
    no_season = sarima_forecast(SEASONAL, origins, 2, fit_end=100, season=None)
    np.testing.assert_array_equal(long_season, no_season)


def test_orders_within_one_percent_of_the_best_go_to_the_simplest():
    # elnino's five best orders scored within 0.3 % of each other: a near tie must not
    # be settled by the fifth digit of an optimiser's result
    scored = [
        (0.34509, ((2, 1, 1), (0, 1, 1))),
        (0.34511, ((2, 0, 0), (0, 1, 1))),
        (0.34547, ((0, 1, 1), (0, 1, 1))),
        (0.34864, ((1, 0, 0), (0, 1, 1))),  # 1.03 % above the best: not as good
    ]
    assert simplest_as_good(scored) == ((0, 1, 1), (0, 1, 1))
    assert simplest_as_good(scored[:2]) == ((2, 0, 0), (0, 1, 1))  # fewer terms wins
    tied = [(0.5, ((2, 0, 0), (0, 0, 0))), (0.5, ((1, 0, 0), (1, 0, 0)))]
    assert simplest_as_good(tied) == ((2, 0, 0), (0, 0, 0))  # equals: the first listed
    assert simplest_as_good([(0.2, ((2, 1, 1), (0, 1, 1))), (0.3, ((1, 0, 0), (0, 0, 0)))]) == (
        (2, 1, 1),
        (0, 1, 1),
    )  # a simpler order far worse is not taken


@pytest.mark.slow
def test_elnino_sarima_test_mae_to_its_printed_digits():
    # The figure the README and docs print for SARIMA on elnino's test part (2000-2010,
    # 12 months ahead, one origin a month, orders chosen before 2000).
    from seqcast.data.datasets import load_dataset

    elnino = load_dataset("elnino")
    y = elnino.frame["sst"].to_numpy(float)
    first = elnino.frame.index.get_loc(elnino.test_from)
    origins = np.arange(first, len(y) - 12 + 1)
    assert select_sarima_order(y[:first], 12) == ((0, 1, 1), (0, 1, 1))
    forecast = sarima_forecast(y, origins, 12, fit_end=first, season=12, order="auto")
    actual = forecast_targets(y, origins, 12)
    assert f"{metrics.mae(actual, forecast):.3f}" == "0.853"
