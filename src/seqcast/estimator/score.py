"""The rolling-origin backtest of a fitted model: forecasts from every origin, then scores.

The model forecasts each series from every ``stride``-th origin after
``start`` (not refitted); the one scorer,
:func:`~seqcast.backtesting.scorer.score_panel`, puts its errors beside the
baselines' (one series is a panel of one, its result unwrapped).

>>> filled_or_none([])  is None
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from seqcast import backend_check
from seqcast.data.frequency import season_of
from seqcast.data.panel import Panel
from seqcast.data.series import SeriesData
from seqcast.estimator import short_series
from seqcast.estimator.forecast import Request, forecast_at, target_of, warn_if_far
from seqcast.estimator.naming import named
from seqcast.estimator.reading import is_one_series
from seqcast.estimator.state import FittedState, Parameters

backend_check.ensure_jax_backend()

from seqcast.backtesting import Backtest, backtest_origins, score_panel  # noqa: E402
from seqcast.baselines.suite import usual_baselines  # noqa: E402


def backtest(
    params: Parameters,
    state: FittedState,
    panel: Panel,
    *,
    start: Any,
    stride: int,
    season: int | None,
    sarima: bool,
    compare: bool,
    n_jobs: int | None,
) -> Backtest:
    """``Forecaster.backtest``: the model's forecasts at every origin, scored."""
    requests = backtest_requests(params, state, panel, start, stride)
    warn_if_far(panel, requests, state.transforms, stacklevel=3)  # the caller of backtest
    name = params.model_name
    if params.difference:
        name += f" (difference {params.difference})"
    results = forecast_at(params, state, panel, requests)
    season = season or season_of(panel.freq)
    one = is_one_series(panel)
    return score_panel(
        [target_of(request.series) for request in requests],
        [request.origins for request in requests],
        [request.series.frame.index for request in requests],
        [request.sid for request in requests],
        {name: [result.point for result in results]},
        season=season,
        fit_ends=[int(request.origins[0]) for request in requests],
        freq=panel.freq,
        baselines=compare and usual_baselines(one, fitted=sarima),
        filled=filled_or_none([request.series for request in requests]),
        id_column=panel.id_column,
        n_jobs=n_jobs,
        one_series=one,  # its result unwrapped: arrays, scores per horizon step
    )


def backtest_requests(
    params: Parameters, state: FittedState, panel: Panel, start: Any, stride: int
) -> list[Request]:
    """A request per series: its origins from ``start`` (default: its validation part).

    A panel's series too short for one origin are left out (``short_series.scorable``).
    """
    fitted_data = panel is state.data
    trained = state.n_trains if fitted_data and start is None else None
    requests = []
    for position in short_series.scorable(params, panel, trained, stacklevel=4):
        sid, series = panel.ids[position], panel.series[position]
        n_train = state.n_trains.get(sid) if fitted_data else None
        origins = named(
            panel,
            sid,
            backtest_origins,
            series.frame.index,
            start,
            default=n_train if n_train is not None and n_train < len(series) else None,
            horizon=params.horizon,
            stride=stride,
            window=params.window,
            lag=params.difference or 0,
            style=series.date_style,
        )
        requests.append(Request(sid, series, origins))
    return requests


def filled_target(series: SeriesData) -> np.ndarray | None:
    """Where the target was filled in rather than read (None when nothing was filled)."""
    return None if series.filled is None else series.filled[:, 0]


def filled_or_none(panel: list[SeriesData]) -> list[np.ndarray] | None:
    """Each series' filled-in target values, or None when no series had any filled."""
    filled = [filled_target(series) for series in panel]
    if all(mask is None for mask in filled):
        return None
    return [np.zeros(len(s), bool) if m is None else m for s, m in zip(panel, filled)]
