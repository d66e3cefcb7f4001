"""Series baselines (vectorised over forecast origins) and the forecast metrics."""

import math

import numpy as np
import pytest

from seqcast import metrics
from seqcast.baselines import (
    SERIES_BASELINES,
    differenced_moving_average_forecast,
    forecast_targets,
    moving_average_forecast,
    naive_forecast,
    sarima_forecast,
    seasonal_naive_forecast,
    select_sarima_order,
    series_baselines,
)
from seqcast.data.synthetic import COURSE_SEASON, COURSE_SPLIT, course_series
from seqcast.errors import SeqcastError
from seqcast.metrics import forecast_scores, mape, mase, per_horizon_scores, smape

# ---------------------------------------------------------------- the course's week-1 baselines

COURSE_ORIGINS = np.arange(COURSE_SPLIT, 1461)

# (MSE, MAE) the course prints for its validation period series[1000:]
COURSE_FIGURES = {
    "naive": (61.827534, 5.9379086),
    "moving average 30": (106.674576, 7.142419),
    "differencing + MA 50 + past": (52.97366, 5.8393106),
    "differencing + MA 50 + smoothed past": (33.452267, 4.569442),
}


def _course_forecast(name: str, series: np.ndarray) -> np.ndarray:
    args = (series, COURSE_ORIGINS, 1)
    if name == "naive":
        return naive_forecast(*args)
    if name == "moving average 30":
        return moving_average_forecast(*args, window=30)
    smooth = 10 if name.endswith("smoothed past") else None
    return differenced_moving_average_forecast(
        *args, season=COURSE_SEASON, window=50, smooth_past=smooth
    )


@pytest.mark.parametrize("name", list(COURSE_FIGURES))
def test_course_week1_baselines_match_the_published_figures(name):
    series = course_series()
    forecast = _course_forecast(name, series)
    assert forecast.shape == (len(COURSE_ORIGINS), 1)
    valid = series[COURSE_SPLIT:]
    scores = (metrics.mse(valid, forecast[:, 0]), metrics.mae(valid, forecast[:, 0]))
    np.testing.assert_allclose(scores, COURSE_FIGURES[name], rtol=5e-5)


def test_course_naive_is_the_shifted_series():
    series = course_series()
    np.testing.assert_array_equal(_course_forecast("naive", series)[:, 0], series[999:-1])


# ---------------------------------------------------------------- metrics


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


# ---------------------------------------------------------------- baselines on a tiny series

TINY = np.arange(20.0)  # series[i] == i: every forecast can be checked by eye


def test_naive_forecast_repeats_the_value_before_the_origin():
    np.testing.assert_array_equal(naive_forecast(TINY, [1, 5], 3), [[0, 0, 0], [4, 4, 4]])


def test_seasonal_naive_forecast_repeats_the_last_season():
    forecast = seasonal_naive_forecast(TINY, [4, 10], horizon=6, season=4)
    np.testing.assert_array_equal(forecast, [[0, 1, 2, 3, 0, 1], [6, 7, 8, 9, 6, 7]])


def test_moving_average_forecast_is_the_mean_of_the_last_window():
    forecast = moving_average_forecast(TINY, [5, 12], horizon=2, window=4)
    np.testing.assert_allclose(forecast, [[2.5, 2.5], [9.5, 9.5]])


def test_differenced_moving_average_forecast_by_hand():
    series = TINY**2  # d[i] = (i + s)^2 - i^2 = 2 s i + s^2
    t, season, window = 12, 4, 3
    forecast = differenced_moving_average_forecast(series, [t], 2, season=season, window=window)
    known = range(t - season - window, t - season)  # the differences seen before t
    change = np.mean([series[i + season] - series[i] for i in known])
    np.testing.assert_allclose(forecast, [[series[8] + change, series[9] + change]])
    smoothed = differenced_moving_average_forecast(
        series, [t], 2, season=season, window=window, smooth_past=2
    )
    past = [series[7:9].mean(), series[8:10].mean()]
    np.testing.assert_allclose(smoothed, [np.add(past, change)])


def test_forecast_targets_line_up_with_the_origins():
    np.testing.assert_array_equal(forecast_targets(TINY, [3, 17], 3), [[3, 4, 5], [17, 18, 19]])
    with pytest.raises(SeqcastError, match="runs past the end"):
        forecast_targets(TINY, [18], 3)


# ---------------------------------------------------------------- SARIMA and "only the past"


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


PAST_ONLY = {
    "naive": {},
    "seasonal_naive": {"season": 12},
    "moving_average": {"window": 10},
    "differenced_moving_average": {"season": 12, "window": 12},
    "differenced_moving_average_smoothed": {"season": 12, "window": 12, "smooth_past": 4},
    "sarima": {"fit_end": 60, "season": 12},
}


@pytest.mark.parametrize("name", list(PAST_ONLY))
def test_forecasts_use_only_the_past(name):
    forecast = SERIES_BASELINES[name.removesuffix("_smoothed")]
    origins = np.array([60, 75, 90, 120])
    before = forecast(SEASONAL, origins, 3, **PAST_ONLY[name])
    for row, t in enumerate(origins):
        changed = SEASONAL.copy()
        changed[t:] = np.random.RandomState(t).randn(len(changed) - t) * 100
        after = forecast(changed, origins, 3, **PAST_ONLY[name])
        np.testing.assert_array_equal(after[: row + 1], before[: row + 1])
        assert not np.array_equal(after[row + 1 :], before[row + 1 :]) or row == len(origins) - 1


# ---------------------------------------------------------------- history errors and the runner


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: seasonal_naive_forecast(np.zeros(500), [100, 200], 1, season=365),
            "seasonal naive with season 365 needs 365 points before the first forecast origin, "
            "but origin 100 has 100",
        ),
        (
            lambda: moving_average_forecast(TINY, [3], 1, window=5),
            "window 5 needs 5 points .* origin 3 has 3",
        ),
        (lambda: naive_forecast(TINY, [0, 4], 1), "origin 0 has 0"),
        (
            lambda: differenced_moving_average_forecast(np.zeros(500), [400], 1),
            "needs 415 points .* origin 400 has 400",
        ),
    ],
)
def test_too_little_history_is_a_seqcast_error_naming_the_origin(call, message):
    with pytest.raises(SeqcastError, match=message):
        call()


def test_differencing_refuses_a_horizon_that_would_read_the_future():
    with pytest.raises(SeqcastError, match="at most 361 steps ahead"):
        differenced_moving_average_forecast(np.zeros(1000), [900], 362, smooth_past=10)
    differenced_moving_average_forecast(np.zeros(1000), [900], 361, smooth_past=10)
    with pytest.raises(SeqcastError, match="at most 365 steps ahead"):
        differenced_moving_average_forecast(np.zeros(1000), [900], 366)


def test_bad_arguments_are_seqcast_errors():
    with pytest.raises(SeqcastError, match="1-D series"):
        naive_forecast(np.zeros((3, 2)), [1], 1)
    with pytest.raises(SeqcastError, match="integer positions"):
        naive_forecast(TINY, [1.5], 1)
    with pytest.raises(SeqcastError, match="horizon must be a positive integer"):
        naive_forecast(TINY, [1], 0)
    with pytest.raises(SeqcastError, match="even number"):
        differenced_moving_average_forecast(TINY, [15], 1, season=4, window=2, smooth_past=3)


def test_series_baselines_runs_what_the_history_allows():
    origins = np.arange(100, 140)
    forecasts = series_baselines(SEASONAL, origins, 2, season=12, fit_end=100)
    assert list(forecasts) == list(SERIES_BASELINES)
    for forecast in forecasts.values():
        assert forecast.shape == (len(origins), 2)
    # 20 points: enough for naive and a season of 12, not for differencing (24) nor a
    # seasonal SARIMA (36): the automatic order falls back to a short non-seasonal ARMA
    short = series_baselines(SEASONAL, [20, 21], 2, season=12)
    assert list(short) == ["naive", "seasonal_naive", "moving_average", "sarima"]
    assert select_sarima_order(SEASONAL[:20], 12)[1] == (0, 0, 0)
    assert select_sarima_order(SEASONAL[:100], 12)[1] != (0, 0, 0)  # the season is found
    np.testing.assert_allclose(short["moving_average"][0], SEASONAL[8:20].mean())


def test_series_baselines_on_the_course_series_use_the_course_settings():
    series = course_series()
    forecasts = series_baselines(series, COURSE_ORIGINS, 1, season=365, include_sarima=False)
    assert list(forecasts) == [
        "naive",
        "seasonal_naive",
        "moving_average",
        "differenced_moving_average",
    ]
    valid = series[COURSE_SPLIT:]
    smoothed = COURSE_FIGURES["differencing + MA 50 + smoothed past"][0]
    assert metrics.mse(valid, forecasts["differenced_moving_average"][:, 0]) == pytest.approx(
        smoothed, rel=5e-5
    )
