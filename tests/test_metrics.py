"""The error measures: the book's MSE, MAE / RMSE / last-step variants, MAPE, sMAPE, MASE
and the score tables."""

import math

import numpy as np
import pytest

from seqcast import metrics
from seqcast.errors import SeqcastError
from seqcast.metrics import forecast_scores, mape, mase, mase_scale, per_horizon_scores, smape, wape


def test_metrics():
    y, p = np.array([[1.0], [3.0]]), np.array([[2.0], [1.0]])
    assert metrics.mse(y, p) == pytest.approx(2.5)
    assert metrics.mae(y, p) == pytest.approx(1.5)
    assert metrics.rmse(y, p) == pytest.approx(np.sqrt(2.5))
    seq_true = np.zeros((2, 3, 2))
    seq_pred = np.zeros((2, 3, 2))
    seq_pred[:, -1] = 2.0  # only the last step counts
    seq_pred[:, 0] = 100.0
    assert metrics.last_time_step_mse(seq_true, seq_pred) == pytest.approx(4.0)


def test_mape_is_in_percent_and_skips_zero_truths():
    assert mape([200.0, 0.0, 50.0], [150.0, 3.0, 75.0]) == pytest.approx(37.5)
    assert mape([10.0, -20.0], [12.0, -10.0]) == pytest.approx(100 * (0.2 + 0.5) / 2)
    with np.errstate(all="raise"):  # skipping, not dividing by zero
        assert math.isnan(mape([0.0, 0.0], [1.0, 2.0]))


def test_smape_counts_zero_over_zero_as_a_perfect_forecast():
    assert smape([100.0, 0.0], [300.0, 0.0]) == pytest.approx(50.0)
    assert smape([0.0], [0.0]) == 0.0
    assert smape([0.0, 2.0], [4.0, 2.0]) == pytest.approx(100 * (2.0 + 0.0) / 2)


def test_mase_is_mae_over_the_seasonal_naive_scale():
    y_train = np.array([1.0, 4.0, 2.0, 6.0, 3.0])
    y_true, y_pred = np.array([5.0, 7.0]), np.array([4.0, 9.0])
    assert mase(y_true, y_pred, y_train) == pytest.approx(1.5 / np.mean([3, 2, 4, 3]))
    assert mase(y_true, y_pred, y_train, season=2) == pytest.approx(1.5 / np.mean([1, 2, 1]))
    assert math.isnan(mase(y_true, y_pred, np.ones(5)))


def test_mase_rejects_a_training_series_no_longer_than_the_season():
    with pytest.raises(SeqcastError, match="season 3 needs more than 3 training points"):
        mase([1.0], [1.0], y_train=[1.0, 2.0, 3.0], season=3)


def test_forecast_scores_keys_in_order_and_over_every_element():
    y_true = np.array([[1.0, 2.0], [4.0, 0.0]])
    y_pred = np.array([[2.0, 2.0], [2.0, 0.0]])
    scores = forecast_scores(y_true, y_pred)
    assert list(scores) == ["MAE", "MSE", "RMSE", "MAPE", "sMAPE"]
    assert scores["MAE"] == pytest.approx(3 / 4)
    assert scores["MSE"] == pytest.approx(5 / 4)
    assert scores["RMSE"] == pytest.approx(math.sqrt(5 / 4))
    assert scores["MAPE"] == pytest.approx(100 * (1 + 0 + 0.5) / 3)
    assert scores["sMAPE"] == pytest.approx(100 * (2 / 3 + 0 + 4 / 6 + 0) / 4)
    with_mase = forecast_scores(y_true, y_pred, y_train=[0.0, 2.0, 0.0])
    assert list(with_mase)[-1] == "MASE"
    assert with_mase["MASE"] == pytest.approx((3 / 4) / 2)


def test_per_horizon_scores_has_one_row_per_step():
    y_true = np.array([[1.0, 2.0, 3.0], [2.0, 3.0, 4.0]])
    y_pred = np.array([[1.0, 3.0, 6.0], [2.0, 2.0, 4.0]])
    table = per_horizon_scores(y_true, y_pred, y_train=np.arange(5.0))
    assert table.shape == (3, 6)
    assert table.index.name == "horizon"
    assert table.index.tolist() == [1, 2, 3]
    assert table.columns.tolist() == ["MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE"]
    assert table["MAE"].tolist() == pytest.approx([0.0, 1.0, 1.5])
    assert table.loc[3, "MSE"] == pytest.approx(4.5)
    with pytest.raises(SeqcastError, match="same shape"):
        per_horizon_scores(y_true, y_pred[:, :2])


def test_report_metrics_gain_mape_and_smape():
    assert metrics.REPORT_METRICS["mape"] is mape
    assert metrics.REPORT_METRICS["smape"] is smape
    assert {"accuracy", "mse", "mae", "rmse", "last_time_step_mse"} <= set(metrics.REPORT_METRICS)


def test_wape_is_the_sum_of_absolute_errors_over_the_sum_of_absolute_actuals():
    y_true = np.array([[10.0, -30.0], [0.0, 60.0]])
    y_pred = np.array([[12.0, -20.0], [5.0, 60.0]])
    assert wape(y_true, y_pred) == pytest.approx(100 * (2 + 10 + 5 + 0) / (10 + 30 + 0 + 60))
    assert math.isnan(wape([0.0, 0.0], [1.0, 2.0]))
    assert metrics.REPORT_METRICS["wape"] is wape


def test_mase_scale_falls_back_to_season_one_on_a_short_history():
    y_train = np.array([1.0, 4.0, 2.0, 6.0, 3.0])
    assert mase_scale(y_train, season=2) == pytest.approx(np.mean([1, 2, 1]))
    assert mase_scale(y_train, season=5) == pytest.approx(np.mean([3, 2, 4, 3]))  # 5 points
    with pytest.raises(SeqcastError, match="more than 1 training points"):
        mase_scale([1.0], season=3)
