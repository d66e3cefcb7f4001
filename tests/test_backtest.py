"""Backtest scoring: origins, the baselines on the same points, the result's summary."""

import numpy as np
import pandas as pd
import pytest

from seqcast.backtest import Backtest, actual_at, backtest_origins, score_backtest
from seqcast.errors import SeqcastError

N = 150
INDEX = pd.date_range("2020-01-01", periods=N, freq="D")
TARGET = 10 + np.sin(2 * np.pi * np.arange(N) / 7) + 0.01 * np.arange(N)


def origins(start="2020-04-10", **kwargs):
    settings = {"default": None, "horizon": 3, "stride": 1, "window": 14, **kwargs}
    return backtest_origins(INDEX, start, **settings)


def test_origins_from_a_start_label_a_default_and_a_stride():
    assert origins("2020-04-10").tolist() == list(range(100, N - 2))
    assert origins(None, default=140).tolist() == list(range(140, N - 2))
    assert origins(stride=5)[:3].tolist() == [100, 105, 110]


@pytest.mark.parametrize(
    ("start", "kwargs", "message"),
    [
        (None, {}, "say where the backtest starts"),
        ("2020-01-10", {}, "leaves 9 points before it, fewer than the window 14"),
        ("2020-01-16", {"lag": 2}, "leaves 15 points before it, fewer than the window 14"),
        ("2020-05-29", {}, "fewer than horizon = 3 values left"),
        ("2020-04-10", {"stride": 0}, "stride must be a whole number of at least 1, got 0"),
    ],
)
def test_origins_that_cannot_be(start, kwargs, message):
    with pytest.raises(SeqcastError, match=message):
        origins(start, **kwargs)


def test_a_perfect_forecast_wins_beside_the_baselines():
    at = origins()
    perfect = actual_at(TARGET, at, 3)
    assert perfect.shape == (len(at), 3) and perfect[0, 0] == TARGET[100]
    result = score_backtest(
        TARGET, at, INDEX, {"oracle": perfect}, season=7, first=100, sarima=False
    )
    assert result.model_name == "oracle" and result.winner() == "oracle"
    assert result.scores.index.tolist() == [
        "oracle",
        "naive",
        "seasonal_naive",
        "moving_average",
        "differenced_moving_average",
    ]
    assert result.scores.loc["oracle"].drop("MAPE").eq(0).all()
    assert (result.scores.drop("oracle")["MAE"] > 0).all()
    assert result.origins[0] == INDEX[100] and len(result.origins) == len(at)
    np.testing.assert_array_equal(result.actual, perfect)
    assert set(result.per_horizon) == set(result.scores.index)
    assert result.skipped == {}


def test_without_compare_only_the_model_is_scored():
    at = origins()
    forecast = actual_at(TARGET, at, 3) + 1.0
    result = score_backtest(TARGET, at, INDEX, {"m": forecast}, season=7, first=100, compare=False)
    assert result.scores.index.tolist() == ["m"]
    assert result.scores.loc["m", "MAE"] == pytest.approx(1.0)


def test_skipped_baselines_say_why():
    at = origins()
    forecast = actual_at(TARGET, at, 3)
    result = score_backtest(TARGET, at, INDEX, {"m": forecast}, season=1, first=100, sarima=False)
    assert "seasonal_naive" not in result.scores.index
    assert "season 1" in result.skipped["seasonal_naive"]
    assert "sarima" not in result.skipped  # left out on request, not skipped


def test_the_summary_names_the_span_the_methods_and_the_winner():
    scores = pd.DataFrame({"MAE": [1.0, 2.0]}, index=["model", "naive"])
    result = Backtest(
        scores=scores,
        per_horizon={},
        forecasts={},
        actual=np.zeros((2, 3)),
        origins=INDEX[[5, 6]],
        model_name="model",
        season=7,
        skipped={"sarima": "too little history"},
    )
    text = str(result)
    assert text.startswith("backtest: 2 origins from 2020-01-06 to 2020-01-07, horizon 3")
    assert "best by MAE: model" in text and "(skipped sarima: too little history)" in text
    assert result.winner() == "model"


def test_forecasts_of_filled_values_are_not_scored():
    at = origins()
    forecast = actual_at(TARGET, at, 3) + 1.0
    filled = np.zeros(len(TARGET), dtype=bool)
    filled[[105, 106]] = True  # say a logger was down on those two days: the values are guesses
    wrong = forecast.copy()
    hits = actual_at(filled, at, 3)
    wrong[hits] += 100.0  # a forecast far from the filled guess must not count against it
    result = score_backtest(
        TARGET, at, INDEX, {"m": wrong}, season=7, first=100, sarima=False, filled=filled
    )
    assert result.scores.loc["m", "MAE"] == pytest.approx(1.0)
    assert result.per_horizon["m"]["MAE"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert result.unscored == int(hits.sum()) == 6
    assert np.isnan(result.actual[hits]).all() and not np.isnan(result.actual[~hits]).any()
    assert "not scored: 6 forecast values whose actual value was filled in" in str(result)
    # the baselines are left out of the same points
    naive = score_backtest(TARGET, at, INDEX, {"m": wrong}, season=7, first=100, sarima=False)
    assert naive.scores.loc["naive", "MAE"] != result.scores.loc["naive", "MAE"]


def test_a_backtest_of_filled_values_only_is_refused():
    at = origins()
    with pytest.raises(SeqcastError, match="every value the backtest would score was filled in"):
        score_backtest(
            TARGET,
            at,
            INDEX,
            {"m": actual_at(TARGET, at, 3)},
            season=7,
            first=100,
            compare=False,
            filled=np.ones(len(TARGET), dtype=bool),
        )
