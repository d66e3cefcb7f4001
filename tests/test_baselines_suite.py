"""The suite a backtest runs: every baseline reads only the past, and skips what it cannot run."""

import numpy as np
import pytest

from seqcast import metrics
from seqcast.baselines import SERIES_BASELINES, select_sarima_order, series_baselines
from seqcast.data.synthetic import COURSE_SPLIT, course_series

COURSE_ORIGINS = np.arange(COURSE_SPLIT, 1461)
# The MSE the course prints for "differencing + MA 50 + smoothed past" on series[1000:]
COURSE_SMOOTHED_MSE = 33.452267


def _noisy_seasonal(n: int = 150, season: int = 12, seed: int = 0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    time = np.arange(n)
    return 10 + 0.1 * time + 5 * np.sin(2 * np.pi * time / season) + rng.randn(n)


SEASONAL = _noisy_seasonal()


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
    smoothed = COURSE_SMOOTHED_MSE
    assert metrics.mse(valid, forecasts["differenced_moving_average"][:, 0]) == pytest.approx(
        smoothed, rel=5e-5
    )


def test_run_baselines_on_many_series_replaces_a_too_short_one_by_naive_or_skips():
    from seqcast.baselines import run_baselines

    targets, origins = [SEASONAL, SEASONAL[:60]], [np.array([100, 110]), np.array([8, 10])]
    settings = {"season": 12, "fit_ends": [100, 8], "ids": ["long", "short"]}
    settings["methods"] = ("moving_average",)
    runs = run_baselines(targets, origins, 2, **settings)
    assert runs.fallbacks == {"moving_average": {"short": "naive (too little history before it)"}}
    short = [[SEASONAL[7]] * 2, [SEASONAL[9]] * 2]
    np.testing.assert_allclose(runs.forecasts["moving_average"][1], short)
    means = [SEASONAL[88:100].mean(), SEASONAL[98:110].mean()]
    np.testing.assert_allclose(runs.forecasts["moving_average"][0][:, 0], means)
    alone = run_baselines(targets, origins, 2, **settings, short="skip")
    assert alone.forecasts == {} and "too little history" in alone.skipped["moving_average"]


def test_the_usual_baselines_of_one_series_and_of_many():
    from seqcast.baselines import usual_baselines

    assert usual_baselines(True) == tuple(SERIES_BASELINES)
    assert usual_baselines(True, fitted=False)[-1] == "differenced_moving_average"
    assert usual_baselines(False) == ("naive", "seasonal_naive", "auto_ets", "auto_arima")
