"""What a forecaster needs to speak of many series: requests, results, names, long tables.

:class:`~seqcast.forecaster.Forecaster` treats one series as a panel of
one; these small pieces keep that bookkeeping out of the estimator: a
forecast request per series (its id, data, origins and known future), the
forecasts that come back, messages that name the series (but not for a
lone series, whose messages stay as they always were), the static values
of a series, and the long table that ``predict`` returns for a panel.

>>> dates = pd.date_range("2024-01-01", periods=3, freq="D", name="date")
>>> frame = pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=dates)
>>> from seqcast.data.panel import read_panel
>>> panel = read_panel({"a": frame["y"], "b": frame["y"] + 1})
>>> of(panel, "b", "the series")
"the series of series 'b'"
>>> forecasts = [frame.iloc[:1], frame.iloc[:1] + 1]
>>> long_format(panel, forecasts, intervals=None).values.tolist()
[['a', Timestamp('2024-01-01 00:00:00'), 1.0], ['b', Timestamp('2024-01-01 00:00:00'), 2.0]]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.data.categories import Categories
from seqcast.data.panel import Panel
from seqcast.data.panel_transform import PanelTransform
from seqcast.data.read import load_table
from seqcast.data.series import SeriesData
from seqcast.data.transform import SeriesTransform, known_future
from seqcast.errors import SeqcastError


@dataclass(frozen=True)
class Request:
    """Forecasts wanted for series ``sid``: from each of ``origins`` (positions in its data)."""

    sid: str
    series: SeriesData
    origins: np.ndarray
    future: np.ndarray | None = None  # its known covariates on the forecast dates, encoded


@dataclass(frozen=True)
class Forecasts:
    """One series' forecasts ``(origins, horizon)`` in data units, and what made them.

    ``x`` the scaled inputs, ``scaled`` the network's outputs (an
    ensemble's median), ``levels`` each member's forecasts in data units,
    ``transform`` the series' fitted transform.
    """

    point: np.ndarray
    x: np.ndarray
    scaled: np.ndarray
    levels: np.ndarray
    transform: SeriesTransform


def of(panel: Panel, sid: str, what: str) -> str:
    """``what`` (a part of the data), naming the series unless the panel is one series."""
    if panel.layout == "single":
        return what
    return f"{what} of series '{sid}'" if what else f"series '{sid}'"


def named_error(panel: Panel, sid: str, err: SeqcastError) -> SeqcastError:
    """``err`` with the series named first (a lone series' messages are left as they are)."""
    if panel.layout == "single" or str(err).startswith("series '"):
        return err
    return SeqcastError(f"series '{sid}': {err}")


def named(panel: Panel, sid: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``; a SeqcastError it raises names series ``sid``."""
    try:
        return function(*args, **kwargs)
    except SeqcastError as err:
        raise named_error(panel, sid, err) from err


def one_series(series: SeriesData) -> Panel:
    """A series already read, as the panel of one that the forecaster works on."""
    return Panel(
        series=(series,),
        ids=(series.target,),
        id_column="series",
        target=series.target,
        statics=pd.DataFrame(index=pd.Index([series.target], name="series")),
        freq=series.freq,
        layout="single",
        notes=series.notes,
    )


def resolved_scaler(scaler: str | None, panel: Panel) -> str | None:
    """``Forecaster(scaler=...)`` for this data: ``"auto"`` is standard for one series,
    window scaling for many (``Forecaster``'s docstring says why).

    >>> from seqcast.data.panel import read_panel
    >>> one = read_panel({"a": pd.Series([1.0, 2.0, 3.0])})
    >>> resolved_scaler("auto", one), resolved_scaler("minmax", one)
    ('standard', 'minmax')
    """
    if scaler != "auto":
        return scaler
    return "standard" if len(panel) == 1 else "window"


def statics_of(panel: Panel, sid: str) -> dict[str, Any]:
    """Series ``sid``'s static covariates, by name (empty without any)."""
    if panel.statics.shape[1] == 0:
        return {}
    return panel.statics.loc[sid].to_dict()


def text_statics(panel: Panel) -> list[str]:
    """The static covariates that hold text: read as categories, as text covariates are."""
    return [
        column
        for column in panel.statics.columns
        if not ptypes.is_numeric_dtype(panel.statics[column].dtype)
        or ptypes.is_bool_dtype(panel.statics[column].dtype)
    ]


def refuse_partition_wide(panel: Panel, id_embedding: int) -> None:
    """Refuse what a fit on one process's part of the series cannot learn alone.

    Statics are standardised over all series, text categories found in all of
    them, an id embedding sized by their number: with the series split among
    processes, each would see different ones. One process holds them all.
    """
    import jax

    if jax.process_count() == 1:
        return
    needs = []
    if len(panel.statics.columns):
        needs.append(f"static columns ({', '.join(panel.statics.columns)})")
    if id_embedding:
        needs.append("an id embedding")
    text = panel.series[0].categorical if panel.series else ()
    if text:
        needs.append(f"text covariates ({', '.join(text)})")
    if needs:
        raise SeqcastError(
            f"a fit on partitioned data cannot use {' or '.join(needs)}, which depend on "
            "every series at once; leave them out, or give every process all the data"
        )


def filled_target(series: SeriesData) -> np.ndarray | None:
    """Where the target was filled in rather than read (None when nothing was filled)."""
    return None if series.filled is None else series.filled[:, 0]


def long_format(panel: Panel, frames: list[pd.DataFrame], intervals: float | None) -> pd.DataFrame:
    """Each series' forecast frame, stacked: the id column, the date, then the values."""
    stacked = []
    for sid, frame in zip(panel.ids, frames):
        table = frame.reset_index()
        table.columns = [_date_name(frame.index), *frame.columns]
        table.insert(0, panel.id_column, sid)
        stacked.append(table)
    result = pd.concat(stacked, ignore_index=True)
    if intervals is not None and frames and "interval" in frames[0].attrs:
        methods = {frame.attrs["interval"]["method"] for frame in frames}
        notes = [f.attrs["interval"]["note"] for f in frames if f.attrs["interval"]["note"]]
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


def future_by_series(future: Any, id_column: str) -> dict[str, pd.DataFrame]:
    """The known future of many series (a long table with ``id_column``), by series id."""
    if isinstance(future, (str, bytes)) or hasattr(future, "__fspath__"):
        table = load_table(future)  # the dates are read per series, by known_future
    elif isinstance(future, pd.DataFrame):
        table = future
    else:
        raise SeqcastError(
            f"give the future values of a panel as a table with an '{id_column}' column "
            f"(a DataFrame or a file), not a {type(future).__name__}"
        )
    if id_column in table.columns:
        ids = table[id_column]
        table = table.drop(columns=id_column)
    elif id_column in (table.index.names or []):
        ids = table.index.get_level_values(id_column)
        table = table.reset_index(level=id_column, drop=True)
    else:
        raise SeqcastError(
            f"the future values have no '{id_column}' column; give one row per series and "
            "date, with the series in that column"
        )
    return {str(sid): group for sid, group in table.groupby(ids.astype(str).to_numpy(), sort=False)}


def forecast_requests(
    panel: Panel,
    requests: list[Request],
    *,
    transforms: PanelTransform,
    network_model: Any,
    strategy: str,
    model: Any,
    horizon: int,
    members: list | None = None,
) -> list[Forecasts]:
    """The forecasts at each request's origins, every series in one pass of each member.

    Each series is read through its own fitted transform (a series the
    model was not fitted on, through one fitted on its own data); the
    inputs of all series go through the network together. An ensemble's
    forecast (``members``: each member's weights) is its members' median,
    level by level.
    """
    from seqcast import network, training

    prepared = []
    for request in requests:
        frame = transforms.frame(request.series.frame, request.sid, statics_of(panel, request.sid))
        fitted = transforms.of(request.sid) or transforms.cold(frame)
        prepared.append((fitted, fitted.inputs_at(frame, request.origins, request.future)))
    if not prepared:
        return []
    x_all = np.concatenate([x for _, x in prepared])
    members = members or [None]
    outputs = []
    try:
        for weights in members:
            if weights is not None:
                training.assign_member(network_model, weights)
            outputs.append(
                network.forecast(network_model, strategy, x_all, model=model, horizon=horizon)
            )
    finally:
        if members[0] is not None:
            training.assign_member(network_model, members[0])
    scaled_all = np.stack(outputs)  # (members, all origins, horizon)
    results, start = [], 0
    for request, (fitted, x) in zip(requests, prepared):
        scaled = scaled_all[:, start : start + len(x)]
        start += len(x)
        target = request.series.frame[request.series.target].to_numpy(dtype="float64")
        levels = np.stack([fitted.to_levels(target, request.origins, s) for s in scaled])
        results.append(
            Forecasts(np.median(levels, axis=0), x, np.median(scaled, axis=0), levels, fitted)
        )
    return results


def known_futures(
    panel: Panel,
    future: Any,
    known: tuple[str, ...],
    horizon: int,
    categories: Categories,
    *,
    id_column: str,
    date_format: str | None = None,
) -> dict[str, Any]:
    """Each series' ``known`` covariates on its ``horizon`` forecast dates, encoded, by id.

    ``future`` is one table for one series, or a long table with ``id_column``
    for a panel (:func:`future_by_series`). Empty values without known covariates.
    """
    if panel.layout == "single" or future is None or not known:
        tables = {sid: future for sid in panel.ids}
    else:
        tables = future_by_series(future, id_column)
    found = {}
    for sid, series in zip(panel.ids, panel):
        found[sid] = named(
            panel,
            sid,
            known_future,
            series,
            tables.get(sid),
            known,
            horizon,
            categories,
            date_format=date_format,  # as given: a file of plans may be written otherwise
        )
    return found


def far_message(panel: Panel, requests: list[Request], transforms: PanelTransform) -> str | None:
    """A warning when some series' inputs lie far outside their training range, else None.

    ``SeriesTransform.far_outside`` says what far is; a series the model was
    not fitted on is scaled by its own history, so it has nothing to be far from.
    """
    messages = []
    for request in requests:
        fitted = transforms.of(request.sid)
        if fitted is None:
            continue
        frame = transforms.frame(request.series.frame, request.sid, statics_of(panel, request.sid))
        message = fitted.far_outside(frame, request.origins, request.future)
        if message:
            messages.append(
                message if panel.layout == "single" else f"series '{request.sid}': {message}"
            )
    if len(messages) > 1:
        return (
            f"{len(messages)} series have inputs far outside their training range; "
            f"the first, {messages[0]}"
        )
    return messages[0] if messages else None


__all__ = [
    "Forecasts",
    "Request",
    "far_message",
    "filled_target",
    "forecast_requests",
    "future_by_series",
    "known_futures",
    "long_format",
    "named",
    "named_error",
    "of",
    "one_series",
    "resolved_scaler",
    "statics_of",
    "text_statics",
]
