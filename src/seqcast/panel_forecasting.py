"""What a forecaster needs to speak of many series: requests, results, names, long tables.

:class:`~seqcast.forecaster.Forecaster` treats one series as a panel of
one; these small pieces keep that bookkeeping out of the estimator: a
forecast request per series (its id, data, origins and known future), the
forecasts that come back, messages that name the series (but not for a
lone series, whose messages stay as they always were), the static values
of a series, and the long table that ``predict`` returns for a panel.

>>> dates = pd.date_range("2024-01-01", periods=3, freq="D", name="date")
>>> frame = pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=dates)
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

from seqcast.data.panel import Panel, read_panel
from seqcast.data.read import load_table
from seqcast.data.series import SeriesData
from seqcast.data.transform import SeriesTransform
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


__all__ = [
    "Forecasts",
    "Request",
    "filled_target",
    "future_by_series",
    "long_format",
    "named",
    "named_error",
    "of",
    "one_series",
    "read_panel",
    "statics_of",
    "text_statics",
]
