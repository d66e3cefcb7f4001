"""Panel backtests: per-series and aggregate scores, by hand; the baselines; the summary."""

import numpy as np
import pandas as pd
import pytest

from seqcast.errors import SeqcastError
from seqcast.panel_backtest import PanelBacktest, score_panel

SEASON = 4


def panel():
    """Two small series of different lengths, levels and origins, with a season of 4."""
    rng = np.random.default_rng(3)
    a = 10 + np.tile([1.0, 3.0, 2.0, 0.0], 10) + rng.normal(0, 0.2, 40)  # 40 points
    b = 100 + np.tile([5.0, -5.0, 10.0, 0.0], 8) + rng.normal(0, 1.0, 32)  # 32 points
    index_a = pd.date_range("2020-01-01", periods=40, freq="MS")
    index_b = pd.date_range("2021-01-01", periods=32, freq="MS")
    return [a, b], [np.array([30, 32, 34]), np.array([28, 29])], [index_a, index_b]


def truth(targets, origins, horizon=2):
    return [t[o[:, None] + np.arange(horizon)] for t, o in zip(targets, origins)]


def test_aggregates_match_a_hand_computation():
    targets, origins, indexes = panel()
    actual = truth(targets, origins)
    errors = [np.array([[1.0, -1.0], [2.0, 0.0], [0.0, 0.0]]), np.array([[4.0, 0.0], [0.0, -4.0]])]
    model = [a + e for a, e in zip(actual, errors)]
    result = score_panel(
        targets, origins, indexes, ["a", "b"], {"m": model},
        season=SEASON, fit_ends=[30, 28], freq="MS", baselines=False,
    )  # fmt: skip
    scale_a = np.mean(np.abs(targets[0][4:30] - targets[0][:26]))
    scale_b = np.mean(np.abs(targets[1][4:28] - targets[1][:24]))
    mase_a, mase_b = (4 / 6) / scale_a, (8 / 4) / scale_b
    row = result.scores.loc["m"]
    assert row["MASE"] == pytest.approx((mase_a + mase_b) / 2)  # mean over series
    assert row["MAE"] == pytest.approx(12 / 10)  # pooled over the 10 values
    assert row["MSE"] == pytest.approx((1 + 1 + 4 + 16 + 16) / 10)
    total = np.abs(actual[0]).sum() + np.abs(actual[1]).sum()
    assert row["WAPE"] == pytest.approx(100 * 12 / total)
    assert list(result.scores.columns) == ["MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE", "WAPE"]
    series = result.per_series.set_index("series")
    assert series.loc["a", "MASE"] == pytest.approx(mase_a)
    assert series.loc["b", "MAE"] == pytest.approx(2.0)
    assert series.loc["b", "WAPE"] == pytest.approx(100 * 8 / np.abs(actual[1]).sum())
    assert series["n"].tolist() == [6, 4]
    assert result.origins[1].tolist() == list(indexes[1][[28, 29]])
    assert result.horizon == 2 and result.ids == ["a", "b"]


def test_the_baselines_follow_the_model_and_a_perfect_model_wins():
    targets, origins, indexes = panel()
    result = score_panel(
        targets, origins, indexes, ["a", "b"], {"oracle": truth(targets, origins)},
        season=SEASON, fit_ends=[30, 28], freq="MS", n_jobs=1, id_column="store",
    )  # fmt: skip
    methods = ["oracle", "naive", "seasonal_naive", "auto_ets", "auto_arima"]
    assert result.scores.index.tolist() == methods
    assert result.winner() == "oracle" and result.scores.loc["oracle", "MASE"] == 0
    assert (result.scores.drop("oracle")["MASE"] > 0).all()
    assert result.per_series.columns.tolist() == [
        "store", "method", "MAE", "sMAPE", "MASE", "WAPE", "n",
    ]  # fmt: skip
    assert len(result.per_series) == 2 * len(methods)
    table = result.table()
    assert table.columns.tolist() == ["method", *result.scores.columns]
    assert table["method"].tolist() == methods
    assert result.series_table().equals(result.per_series)
    for name in methods:
        assert [f.shape for f in result.forecasts[name]] == [(3, 2), (2, 2)]


def test_filled_values_are_never_scored():
    targets, origins, indexes = panel()
    actual = truth(targets, origins)
    model = [a + 1.0 for a in actual]
    filled = [np.zeros(40, dtype=bool), np.zeros(32, dtype=bool)]
    filled[0][[31, 35]] = True
    model[0][0, 1] += 100  # the forecast of position 31, a guess: must not count
    result = score_panel(
        targets, origins, indexes, ["a", "b"], {"m": model},
        season=SEASON, fit_ends=[30, 28], freq="MS", baselines=False, filled=filled,
    )  # fmt: skip
    assert result.scores.loc["m", "MAE"] == pytest.approx(1.0)
    assert result.per_series["n"].tolist() == [4, 4]
    assert result.filled[0].sum() == 2 and result.unscored == 2
    assert np.isnan(result.actual[0][result.filled[0]]).all()
    assert "not scored: 2 forecast values" in str(result)
    with pytest.raises(SeqcastError, match="every value the backtest would score was filled in"):
        score_panel(
            targets, origins, indexes, ["a", "b"], {"m": model},
            season=SEASON, fit_ends=[30, 28], freq="MS", baselines=False,
            filled=[np.ones(40, dtype=bool), np.ones(32, dtype=bool)],
        )  # fmt: skip


def test_a_constant_fit_part_has_no_mase_and_is_left_out_of_the_mean():
    targets, origins, indexes = panel()
    targets[1] = targets[1].copy()
    targets[1][:28] = 7.0
    model = [a + 1.0 for a in truth(targets, origins)]
    result = score_panel(
        targets, origins, indexes, ["a", "b"], {"m": model},
        season=SEASON, fit_ends=[30, 28], freq="MS", baselines=False,
    )  # fmt: skip
    mase = result.series_mase()
    assert np.isnan(mase["b"]) and result.scores.loc["m", "MASE"] == pytest.approx(mase["a"])
    assert (
        "(MASE is NaN for 1 series (b): its history before the start has no seasonal-naive "
        "error to scale by; left out of the mean)" in str(result)
    )


def test_a_short_fit_part_is_scaled_by_season_one():
    targets, _, indexes = panel()
    at = [np.array([3]), np.array([28])]
    model = [a + 1.0 for a in truth(targets, at)]
    result = score_panel(
        targets, at, indexes, ["a", "b"], {"m": model},
        season=SEASON, fit_ends=[3, 28], freq="MS", baselines=False,
    )  # fmt: skip
    scale = np.mean(np.abs(np.diff(targets[0][:3])))
    assert result.series_mase()["a"] == pytest.approx(1.0 / scale)


def test_the_summary_names_the_panel_the_winner_and_the_extreme_series():
    targets, origins, indexes = panel()
    actual = truth(targets, origins)
    model = [actual[0] + 0.1, actual[1] + 5.0]
    result = score_panel(
        targets, origins, indexes, ["a", "b"], {"gru": model},
        season=SEASON, fit_ends=[30, 28], freq="MS", baselines=False,
    )  # fmt: skip
    text = str(result)
    assert text.startswith("panel backtest: 2 series, 5 origins (2-3 per series), horizon 2")
    assert "best by MASE: gru" in text
    assert result.ranked_series() == {"best": "a", "worst": "b"}
    assert "gru MASE by series: best a (" in text and "worst b (" in text


def test_ranked_series_picks_best_median_and_worst():
    per_series = pd.DataFrame(
        {"series": list("pqrst"), "method": "m", "MASE": [0.9, 0.2, np.nan, 3.0, 1.1]}
    )
    result = PanelBacktest(
        scores=pd.DataFrame({"MASE": [1.0]}, index=["m"]), per_series=per_series, forecasts={},
        actual=[np.zeros((1, 1))], origins=[], ids=list("pqrst"), id_column="series",
        model_name="m", season=1,
    )  # fmt: skip
    assert result.ranked_series() == {"best": "q", "median": "p", "worst": "s"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ids": ["a"]}, "score_panel got 1 ids but 2 targets"),
        ({"fit_ends": [31, 28]}, "series a: its origins must lie from its test start 31"),
        ({"origins": [np.array([30, 39]), np.array([28])]}, "series a: .* run from 30 to 39"),
        ({"forecasts": {"m": [np.zeros((3, 2)), np.zeros((1, 2))]}}, "series b: the m forecasts"),
    ],
)
def test_bad_input_names_the_series(change, message):
    targets, origins, indexes = panel()
    settings = {
        "targets": targets,
        "origins": origins,
        "indexes": indexes,
        "ids": ["a", "b"],
        "forecasts": {"m": truth(targets, origins)},
        **change,
    }
    with pytest.raises(SeqcastError, match=message):
        score_panel(
            settings["targets"], settings["origins"], settings["indexes"], settings["ids"],
            settings["forecasts"], season=SEASON, fit_ends=change.get("fit_ends", [30, 28]),
            freq="MS", baselines=False,
        )  # fmt: skip
