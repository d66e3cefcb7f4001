"""Forecasts that need no training: the yardsticks every model must beat.

* :mod:`~seqcast.baselines.origins`: the forecast-origins convention, its
  checks and :func:`forecast_targets`;
* :mod:`~seqcast.baselines.simple`: the book's :func:`naive` on windows, and
  the naive, seasonal naive, moving average and the course's differencing
  forecasts on a series;
* :mod:`~seqcast.baselines.sarima`: SARIMA, orders chosen on the fit range;
* :mod:`~seqcast.baselines.suite`: :data:`SERIES_BASELINES` and
  :func:`series_baselines`, what a backtest runs beside a model.

>>> from seqcast import baselines
>>> import numpy as np
>>> list(baselines.series_baselines(np.arange(40.0), [35, 36], 2, season=7, include_sarima=False))
['naive', 'seasonal_naive', 'moving_average', 'differenced_moving_average']
"""

from seqcast.baselines.origins import TooLittleHistory, forecast_targets
from seqcast.baselines.sarima import SARIMA_CANDIDATES, sarima_forecast, select_sarima_order
from seqcast.baselines.simple import (
    BASELINES,
    differenced_moving_average_forecast,
    moving_average_forecast,
    naive,
    naive_forecast,
    seasonal_naive_forecast,
)
from seqcast.baselines.suite import SERIES_BASELINES, series_baselines

__all__ = [
    "BASELINES",
    "SARIMA_CANDIDATES",
    "SERIES_BASELINES",
    "TooLittleHistory",
    "differenced_moving_average_forecast",
    "forecast_targets",
    "moving_average_forecast",
    "naive",
    "naive_forecast",
    "sarima_forecast",
    "seasonal_naive_forecast",
    "select_sarima_order",
    "series_baselines",
]
