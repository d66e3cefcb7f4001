"""Forecasts that need no training: the yardsticks every model must beat.

* :mod:`~seqcast.baselines.origins`: the forecast-origins convention, its
  checks and :func:`forecast_targets`;
* :mod:`~seqcast.baselines.simple`: the book's :func:`naive` on windows, and
  the naive, seasonal naive, moving average and the course's differencing
  forecasts on a series;
* :mod:`~seqcast.baselines.sarima`: SARIMA, orders chosen on the fit range;
* :mod:`~seqcast.baselines.fitted`: AutoETS and AutoARIMA (statsforecast),
  fitted once per series and run forward from each origin;
* :mod:`~seqcast.baselines.suite`: :func:`run_baselines`, what a backtest runs
  beside a model on one series or many, and :func:`series_baselines` on one;
* :mod:`~seqcast.baselines.statistical`: :func:`panel_baselines`, the suite of
  a backtest of many series.

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
from seqcast.baselines.suite import (
    ALL_BASELINES,
    ONE_SERIES_BASELINES,
    SERIES_BASELINES,
    STATISTICAL_BASELINES,
    PanelBaselines,
    run_baselines,
    series_baselines,
    usual_baselines,
)

__all__ = [
    "ALL_BASELINES",
    "BASELINES",
    "ONE_SERIES_BASELINES",
    "SARIMA_CANDIDATES",
    "SERIES_BASELINES",
    "STATISTICAL_BASELINES",
    "PanelBaselines",
    "TooLittleHistory",
    "differenced_moving_average_forecast",
    "forecast_targets",
    "moving_average_forecast",
    "naive",
    "naive_forecast",
    "run_baselines",
    "sarima_forecast",
    "seasonal_naive_forecast",
    "select_sarima_order",
    "series_baselines",
    "usual_baselines",
]
