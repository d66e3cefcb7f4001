"""One method's scores over any number of series: per series, pooled, per horizon step."""

import numpy as np
import pytest

from seqcast import metrics
from seqcast.backtesting.scores import mase_scale, method_scores, per_horizon_scores


def test_a_step_whose_values_were_all_filled_in_has_no_scores():
    actual = [np.array([[1.0, np.nan], [2.0, np.nan]])]
    scored = method_scores(actual, [np.array([[2.0, 5.0], [2.0, 5.0]])], scales=[0.5])
    steps = scored.per_horizon
    assert steps.loc[1, "MAE"] == 0.5 and steps.loc[1, "MASE"] == 1.0
    assert steps.loc[2].isna().all()
    assert scored.overall["MAE"] == 0.5 and scored.series[0]["n"] == 2


def test_pooled_scores_weigh_every_value_and_mase_every_series_once():
    actual = [np.array([[10.0, 10.0]]), np.array([[100.0, 100.0], [100.0, 100.0]])]
    forecast = [a + 1.0 for a in actual]
    scored = method_scores(actual, forecast, scales=[1.0, 4.0])
    assert scored.overall["MAE"] == 1.0
    assert scored.overall["MASE"] == pytest.approx((1.0 + 0.25) / 2)
    assert scored.overall["WAPE"] == pytest.approx(100 * 6 / 420)
    assert [row["n"] for row in scored.series] == [2, 4]


def test_a_constant_or_too_short_history_has_no_scale():
    assert np.isnan(mase_scale(np.ones(10), 2)) and np.isnan(mase_scale(np.ones(1), 1))
    assert mase_scale(np.array([1.0, 2.0, 4.0]), 12) == 1.5  # season 1 on a short history


def test_each_steps_mase_is_that_steps_mae_over_the_scale_to_the_last_digit():
    rng = np.random.default_rng(1)
    actual, forecast = rng.normal(size=(300, 5)), rng.normal(size=(300, 5))
    steps = per_horizon_scores([actual], [forecast], scales=[0.7])
    for j in range(5):
        assert steps.loc[j + 1, "MASE"] == metrics.mae(actual[:, j], forecast[:, j]) / 0.7
