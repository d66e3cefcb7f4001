"""The table ``predict`` returns: each series' next ``horizon`` values, with intervals.

One series' forecasts come back as a frame indexed by its future dates; a
panel's as one long table (:func:`long_format`): the id column, the date,
the forecast (and ``lower`` / ``upper``), ``horizon`` rows per series.

>>> dates = pd.date_range("2024-01-01", periods=3, freq="D", name="date")
>>> frame = pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=dates)
>>> from seqcast.data.panel import read_panel
>>> panel = read_panel({"a": frame["y"], "b": frame["y"] + 1})
>>> forecasts = [frame.iloc[:1], frame.iloc[:1] + 1]
>>> long_format(panel, forecasts, intervals=None).values.tolist()
[['a', Timestamp('2024-01-01 00:00:00'), 1.0], ['b', Timestamp('2024-01-01 00:00:00'), 2.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from seqcast import backend_check
from seqcast.data.frequency import season_of
from seqcast.data.panel import Panel
from seqcast.errors import SeqcastError
from seqcast.estimator import short_series
from seqcast.estimator.forecast import Forecasts, Request, forecast_at, warn_if_far
from seqcast.estimator.future import known_futures
from seqcast.estimator.naming import of
from seqcast.estimator.reading import is_one_series
from seqcast.estimator.state import FittedState, Parameters

backend_check.ensure_jax_backend()

from seqcast import intervals as bands  # noqa: E402


def forecast_table(
    params: Parameters,
    state: FittedState,
    panel: Panel,
    *,
    intervals: float | None,
    interval_method: str,
    samples: int,
    future: Any,
    date_format: str | None,
) -> pd.DataFrame:
    """The forecasts after the end of every series of ``panel`` (``Forecaster.predict``).

    A series of a panel shorter than the window gets a baseline forecast, and
    the table a ``method`` column (``short_series``).
    """
    season = season_of(panel.freq)
    readable = short_series.readable(params, panel, season, stacklevel=3)  # predict's caller
    if not readable:  # a lone series, or every series, too short: refused
        for sid, series in zip(panel.ids, panel):
            check_long_enough(params, panel, sid, series)
    network_panel = short_series.subpanel(panel, readable)
    futures = known_futures(
        network_panel,
        future,
        state.columns.known,
        params.horizon,
        state.transforms.categories,
        id_column=state.id_column,
        date_format=date_format,
    )
    requests = [
        Request(sid, series, np.array([len(series)]), futures.get(sid))
        for sid, series in zip(network_panel.ids, network_panel)
    ]
    warn_if_far(panel, requests, state.transforms, stacklevel=3)  # the caller of predict
    frames = {}
    for request, result in zip(requests, forecast_at(params, state, panel, requests)):
        dates = request.series.future_index(params.horizon)
        frame = pd.DataFrame({panel.target: result.point[0]}, index=dates)
        if intervals is not None:
            band = (intervals, interval_method, samples)
            method, note = add_band(params, state, frame, request, result, *band)
            frame.attrs["interval"] = {"level": intervals, "method": method, "note": note}
        frames[request.sid] = frame
    if is_one_series(panel):
        return frames[panel.ids[0]]
    if len(readable) == len(panel):
        return long_format(panel, [frames[sid] for sid in panel.ids], intervals)
    return with_baselines(params, panel, frames, intervals, season)


def with_baselines(
    params: Parameters,
    panel: Panel,
    frames: dict[str, pd.DataFrame],
    intervals: float | None,
    season: int,
) -> pd.DataFrame:
    """The long table of the network's ``frames`` and the short series' baseline forecasts.

    A ``method`` column says which made each row: the model's name, or the
    baseline (no interval: ``lower`` / ``upper`` are NaN).
    """
    methods = {sid: params.model_name for sid in frames}
    for sid, series in zip(panel.ids, panel):
        if sid not in frames:
            frames[sid], methods[sid] = short_series.baseline_forecast(
                series, params.horizon, season
            )
    table = long_format(panel, [frames[sid] for sid in panel.ids], intervals)
    table[short_series.METHOD_COLUMN] = table[panel.id_column].map(methods)
    return table


def check_long_enough(params: Parameters, panel: Panel, sid: str, series: Any) -> None:
    """Refuse a ``series`` shorter than the window the model reads (and its lag)."""
    needed = short_series.window_needed(params)
    if len(series) < needed:
        lag = f" plus its differencing lag {params.difference}" if params.difference else ""
        raise SeqcastError(
            f"{of(panel, sid, 'the data to forecast from')} has {len(series)} points, "
            f"fewer than the model's window of {params.window}{lag}; give at least "
            f"{needed} points"
        )


def add_band(
    params: Parameters,
    state: FittedState,
    frame: pd.DataFrame,
    request: Request,
    result: Forecasts,
    intervals: float,
    interval_method: str,
    samples: int,
) -> tuple[str, str | None]:
    """Add ``lower`` / ``upper`` to one series' forecast ``frame``; the method and a note."""
    method, lower, upper = bands.forecast_band(
        intervals,
        interval_method,
        point=result.point,
        scaled=result.scaled,
        x=result.x,
        model=state.model,
        residuals=state.residuals_for(request.sid),
        members=result.levels if state.members else None,
        scaler=result.transform.scaler,
        strategy=state.strategy,
        samples=samples,
        seed=params.seed,
        model_name=params.model_name,
    )
    frame["lower"], frame["upper"] = lower[0], upper[0]
    return method, bands.one_sided_note(result.point[0], lower[0], upper[0], intervals, method)


def long_format(panel: Panel, frames: list[pd.DataFrame], intervals: float | None) -> pd.DataFrame:
    """Each series' forecast frame, stacked: the id column, the date, then the values."""
    stacked = []
    for sid, frame in zip(panel.ids, frames):
        table = frame.reset_index()
        table.columns = [_date_name(frame.index), *frame.columns]
        table.insert(0, panel.id_column, sid)
        stacked.append(table)
    result = pd.concat(stacked, ignore_index=True)
    banded = [frame for frame in frames if "interval" in frame.attrs]  # not a baseline's
    if intervals is not None and banded:
        methods = {frame.attrs["interval"]["method"] for frame in banded}
        notes = [f.attrs["interval"]["note"] for f in banded if f.attrs["interval"]["note"]]
        result.attrs["interval"] = {
            "level": intervals,
            "method": methods.pop() if len(methods) == 1 else "mixed",
            "note": f"{len(notes)} series: {notes[0]}" if notes else None,
        }
    return result


def _date_name(index: pd.Index) -> str:
    if index.name is not None:
        return str(index.name)
    return "date" if isinstance(index, pd.DatetimeIndex) else "step"
