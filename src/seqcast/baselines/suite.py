"""The baselines a backtest runs beside a model, with settings that follow the season.

:data:`SERIES_BASELINES` names every series baseline; :func:`series_baselines`
runs those the history allows, each with the parameters the season suggests.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from seqcast.baselines.origins import TooLittleHistory, series_inputs
from seqcast.baselines.sarima import sarima_forecast
from seqcast.baselines.simple import (
    differenced_moving_average_forecast,
    moving_average_forecast,
    naive_forecast,
    seasonal_naive_forecast,
)
from seqcast.checks import positive_int

SERIES_BASELINES: dict[str, Callable[..., np.ndarray]] = {
    "naive": naive_forecast,
    "seasonal_naive": seasonal_naive_forecast,
    "moving_average": moving_average_forecast,
    "differenced_moving_average": differenced_moving_average_forecast,
    "sarima": sarima_forecast,
}


def series_baselines(
    series,
    origins,
    horizon: int,
    *,
    season: int,
    fit_end: int | None = None,
    include_sarima: bool = True,
) -> dict[str, np.ndarray]:
    """Every series baseline the origins allow, with parameters that follow ``season``.

    * ``naive``: always;
    * ``seasonal_naive``: when ``season > 1``;
    * ``moving_average``: window ``min(30, season)`` for ``season > 1`` (30 days,
      the course's choice, or one full season, which averages the pattern out),
      else 30;
    * ``differenced_moving_average``: when ``season > 1``; window 50 if
      ``season >= 50`` else ``season``, past smoothed over 10 points when
      ``season >= 20`` (the course's settings for ``season=365``);
    * ``sarima``: orders chosen on the fit range (``select_sarima_order``), fitted
      on ``series[:fit_end]`` (``fit_end`` defaults to the first origin; see
      ``sarima_forecast``).

    A baseline whose history needs the origins (or the horizon) do not meet is
    skipped, so the result holds only those that ran, in the order above.

    >>> forecasts = series_baselines(np.arange(40.0), [35, 36], 2, season=7, include_sarima=False)
    >>> list(forecasts)
    ['naive', 'seasonal_naive', 'moving_average', 'differenced_moving_average']
    """
    series, origins = series_inputs(series, origins, horizon)
    positive_int(season, "season")
    runs: dict[str, Callable[[], np.ndarray]] = {
        "naive": lambda: naive_forecast(series, origins, horizon)
    }
    if season > 1:
        runs["seasonal_naive"] = lambda: seasonal_naive_forecast(series, origins, horizon, season)
    window = min(30, season) if season > 1 else 30
    runs["moving_average"] = lambda: moving_average_forecast(series, origins, horizon, window)
    if season > 1:
        runs["differenced_moving_average"] = lambda: differenced_moving_average_forecast(
            series,
            origins,
            horizon,
            season=season,
            window=50 if season >= 50 else season,
            smooth_past=10 if season >= 20 else None,
        )
    if include_sarima:
        start = int(origins.min()) if fit_end is None else fit_end
        runs["sarima"] = lambda: sarima_forecast(
            series, origins, horizon, fit_end=start, season=season, order="auto"
        )
    forecasts = {}
    for name, run in runs.items():
        try:
            forecasts[name] = run()
        except TooLittleHistory:
            continue  # not enough past for this method: leave it out, as documented
    return forecasts
