"""The one scorer: a series alone is a panel of one, unwrapped; panels get per-step scores."""

import numpy as np
import pandas as pd
import pytest

from seqcast.backtest import score_backtest
from seqcast.backtesting import score_panel
from seqcast.errors import SeqcastError

N = 120
INDEX = pd.date_range("2020-01-01", periods=N, freq="D")
TARGET = 10 + np.sin(2 * np.pi * np.arange(N) / 7) + 0.05 * np.arange(N)
ORIGINS = np.arange(100, N - 2)


def forecast(offset=0.5):
    return TARGET[ORIGINS[:, None] + np.arange(3)] + offset


def test_a_series_alone_is_a_panel_of_one_unwrapped():
    alone = score_backtest(TARGET, ORIGINS, INDEX, {"m": forecast()}, season=7, first=100,
                           sarima=False)  # fmt: skip
    one = score_panel([TARGET], [ORIGINS], [INDEX], ["x"], {"m": [forecast()]}, season=7,
                      fit_ends=[100], freq="D", baselines=False)  # fmt: skip
    shared = ["MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE"]
    pd.testing.assert_frame_equal(alone.scores.loc[["m"]], one.scores[shared])
    assert not alone.many and one.many
    assert not hasattr(alone, "per_series") and hasattr(one, "per_series")
    assert alone.forecasts["m"].shape == (len(ORIGINS), 3) and len(one.forecasts["m"]) == 1
    pd.testing.assert_frame_equal(alone.per_horizon["m"], one.per_horizon["m"][shared])


def test_one_series_means_one():
    with pytest.raises(SeqcastError, match="one_series=True\\) scores one series, but got 2"):
        score_panel([TARGET] * 2, [ORIGINS] * 2, [INDEX] * 2, ["a", "b"], {"m": [forecast()] * 2},
                    season=7, fit_ends=[100, 100], freq="D", baselines=False,
                    one_series=True)  # fmt: skip


def test_a_series_too_short_for_a_baseline_skips_it_alone_and_falls_back_in_a_panel():
    at = np.arange(5, N - 2)
    truth = TARGET[at[:, None] + np.arange(3)]
    settings = {"season": 7, "fit_ends": [5], "freq": "D", "baselines": ("naive", "seasonal_naive")}
    alone = score_panel([TARGET], [at], [INDEX], ["x"], {"m": [truth]}, one_series=True, **settings)
    panel = score_panel([TARGET], [at], [INDEX], ["x"], {"m": [truth]}, **settings)
    assert "seasonal_naive" not in alone.scores.index
    assert "too little history" in alone.skipped["seasonal_naive"]
    assert "MASE" not in alone.scores.columns  # no more than a season before the start
    assert panel.skipped["seasonal_naive"] == "ran as naive (less than one season before it) " \
        "on 1 series (x)"  # fmt: skip
    np.testing.assert_array_equal(panel.forecasts["seasonal_naive"][0], panel.forecasts["naive"][0])


def test_baselines_are_listed_in_the_suites_order_whatever_the_order_asked():
    asked = ("seasonal_naive", "naive")
    result = score_panel([TARGET], [ORIGINS], [INDEX], ["x"], {"m": [forecast()]}, season=7,
                         fit_ends=[100], freq="D", baselines=asked)  # fmt: skip
    assert result.scores.index.tolist() == ["m", "naive", "seasonal_naive"]


def test_a_panel_is_scored_per_horizon_step_pooled_over_its_series():
    second = 3 * TARGET
    errors = [np.tile(step_errors, (len(ORIGINS), 1)) for step_errors in ([1, 2, 3], [0, 4, 0])]
    model = [t[ORIGINS[:, None] + np.arange(3)] + e for t, e in zip([TARGET, second], errors)]
    result = score_panel([TARGET, second], [ORIGINS] * 2, [INDEX] * 2, ["a", "b"], {"m": model},
                         season=7, fit_ends=[100, 100], freq="D", baselines=False)  # fmt: skip
    steps = result.per_horizon["m"]
    assert steps.index.tolist() == [1, 2, 3] and steps.index.name == "horizon"
    assert steps["MAE"].tolist() == pytest.approx([0.5, 3.0, 1.5])  # mean of both series
    scale_a = np.mean(np.abs(TARGET[7:100] - TARGET[:93]))
    # each series' step MAE over its own scale, then the mean over series (b's scale is 3x)
    assert steps.loc[2, "MASE"] == pytest.approx((2 / scale_a + 4 / (3 * scale_a)) / 2)


def test_score_backtest_is_score_panel_of_one_series():
    from seqcast.baselines import usual_baselines

    alone = score_backtest(TARGET, ORIGINS, INDEX, {"m": forecast()}, season=7, first=100,
                           sarima=False)  # fmt: skip
    one = score_panel([TARGET], [ORIGINS], [INDEX], ["x"], {"m": [forecast()]}, season=7,
                      fit_ends=[100], freq="D", baselines=usual_baselines(True, fitted=False),
                      one_series=True)  # fmt: skip
    assert str(one) == str(alone) and repr(one) == repr(alone)
    pd.testing.assert_frame_equal(one.scores, alone.scores)
