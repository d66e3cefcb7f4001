"""Forecasts that need no training: the yardsticks every model must beat.

* :func:`naive` works on the windows of the chapter's datasets
  (``(batch, time, 1)``), as the book's naive baseline does;
* the ``*_forecast`` functions work on one long series and a set of forecast
  origins (see :mod:`seqcast.baselines.origins`): the last value, the last
  season, a moving average, and the course's differencing plus moving average.

>>> naive_forecast(np.arange(10.0), [3, 7], horizon=2).tolist()
[[2.0, 2.0], [6.0, 6.0]]
"""

from __future__ import annotations

import numpy as np

from seqcast.baselines.origins import TooLittleHistory, need_history, series_inputs
from seqcast.checks import positive_int
from seqcast.errors import SeqcastError


def naive(x: np.ndarray, horizon: int = 1) -> np.ndarray:
    """Repeat the last observed value: ``(batch, time, 1)`` -> ``(batch, horizon)``.

    >>> naive(np.array([[[1.0], [2.0], [3.0]]]), horizon=2).tolist()
    [[3.0, 3.0]]
    """
    x = np.asarray(x)
    return np.repeat(x[:, -1, :1], horizon, axis=1)


BASELINES = {"naive": naive}


def _prefix_sums(series: np.ndarray) -> np.ndarray:
    """``sums[i] == series[:i].sum()``, so any window mean costs two lookups."""
    return np.concatenate([[0.0], np.cumsum(series)])


def _window_means(sums: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """Mean of ``series[end - window : end]`` for every ``end`` (any shape)."""
    return (sums[ends] - sums[ends - window]) / window


def naive_forecast(series, origins, horizon: int) -> np.ndarray:
    """Repeat the last value before each origin: ``series[t - 1]``.

    >>> naive_forecast(np.arange(10.0), [3, 7], horizon=2).tolist()
    [[2.0, 2.0], [6.0, 6.0]]
    """
    series, origins = series_inputs(series, origins, horizon)
    need_history(origins, 1, "the naive forecast", "start the backtest at origin 1 or later")
    return np.repeat(series[origins - 1][:, None], horizon, axis=1)


def seasonal_naive_forecast(series, origins, horizon: int, season: int) -> np.ndarray:
    """Repeat the last season: ``series[t + j - season]``, cycling when ``j >= season``.

    >>> seasonal_naive_forecast(np.arange(10.0), [5], horizon=5, season=3).tolist()
    [[2.0, 3.0, 4.0, 2.0, 3.0]]
    """
    series, origins = series_inputs(series, origins, horizon)
    positive_int(season, "season")
    need_history(
        origins,
        season,
        f"seasonal naive with season {season}",
        "start the backtest later or use a shorter season",
    )
    # step j reads the same phase of the last full season before t
    steps = np.arange(horizon) % season
    return series[origins[:, None] + steps - season]


def moving_average_forecast(series, origins, horizon: int, window: int = 30) -> np.ndarray:
    """Repeat the mean of the last ``window`` values: ``mean(series[t - window : t])``.

    >>> moving_average_forecast(np.arange(10.0), [4, 9], horizon=2, window=3).tolist()
    [[2.0, 2.0], [7.0, 7.0]]
    """
    series, origins = series_inputs(series, origins, horizon)
    positive_int(window, "window")
    need_history(
        origins,
        window,
        f"a moving average of window {window}",
        "start the backtest later or use a shorter window",
    )
    means = _window_means(_prefix_sums(series), origins, window)
    return np.repeat(means[:, None], horizon, axis=1)


def differenced_moving_average_forecast(
    series,
    origins,
    horizon: int,
    season: int = 365,
    window: int = 50,
    smooth_past: int | None = None,
) -> np.ndarray:
    """The course's "differencing + moving average": last season plus the average yearly change.

    The seasonal difference ``d[i] = series[i + season] - series[i]`` removes
    trend and season; its mean over the last ``window`` differences known
    before ``t`` (``i`` in ``[t - season - window, t - season)``) is added back
    to last season's value ``series[t + j - season]``, or, with
    ``smooth_past=k`` (even), to the mean of
    ``series[t + j - season - k/2 : t + j - season + k/2]``, which removes
    most of last season's noise (the course's ``series[t-370:t-360]``).

    >>> series = np.arange(20.0) + np.tile([0.0, 5.0], 10)  # slope 1, season 2
    >>> differenced_moving_average_forecast(series, [8], 2, season=2, window=3).tolist()
    [[8.0, 14.0]]
    """
    series, origins = series_inputs(series, origins, horizon)
    method = f"differencing with season {season} and a moving average of window {window}"
    positive_int(season, "season")
    positive_int(window, "window")
    if smooth_past is not None and (
        int(smooth_past) != smooth_past or smooth_past < 2 or smooth_past % 2
    ):
        raise SeqcastError(
            f"smooth_past must be an even number of points such as 10, but got {smooth_past}; "
            "pass an even number or None."
        )
    half = 0 if smooth_past is None else smooth_past // 2
    # the past slice for step j ends (exclusively) at t + j - season + reach: it must stay <= t
    reach = 1 if smooth_past is None else half
    if horizon - 1 - season + reach > 0:
        raise TooLittleHistory(
            f"{method} can forecast at most {season - reach + 1} steps ahead "
            f"without reading the future, but horizon is {horizon}; "
            "use a shorter horizon, a longer season or less smoothing."
        )
    need_history(
        origins,
        season + max(window, half),
        method,
        "start the backtest later or use a shorter window",
    )
    sums = _prefix_sums(series)
    # mean of d over the window == mean of the last window values minus that of one season earlier
    change = _window_means(sums, origins, window) - _window_means(sums, origins - season, window)
    past_ends = origins[:, None] + np.arange(horizon) - season
    if smooth_past is None:
        past = series[past_ends]
    else:
        past = _window_means(sums, past_ends + half, smooth_past)
    return past + change[:, None]
