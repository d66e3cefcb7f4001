"""The simple baselines (vectorised over forecast origins) against the course and by hand."""

import numpy as np
import pytest

from seqcast import metrics
from seqcast.baselines import (
    differenced_moving_average_forecast,
    moving_average_forecast,
    naive_forecast,
    seasonal_naive_forecast,
)
from seqcast.data.synthetic import COURSE_SEASON, COURSE_SPLIT, course_series
from seqcast.errors import SeqcastError

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


# ---------------------------------------------------------------- history errors


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


def test_smooth_past_must_be_even():
    with pytest.raises(SeqcastError, match="even number"):
        differenced_moving_average_forecast(TINY, [15], 1, season=4, window=2, smooth_past=3)
