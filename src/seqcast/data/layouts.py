"""The (id, date) index of every layout: whose series each row is, and its date.

The stage of :func:`~seqcast.data.panel.read_panel` that loads the data
(:mod:`seqcast.data.load`), takes out the series' ids where the layout holds
them (:data:`~seqcast.choices.PANEL_LAYOUTS`), and finds the dates
(:mod:`seqcast.data.date_index`):

- **long**: the ids are a column (or the named index) beside the dates;
- **multiindex**: the ids are the level of an (id, date) index that holds no dates;
- **wide** and **single**: one table of dates; its columns are the series (wide) or one is;
- **mapping**: a dict ``{id: data}`` or a list of Series, each entry read as a table.

>>> from seqcast.data.request import panel_request
>>> frame = pd.DataFrame({"store": ["A", "B"], "date": ["2024-01-01", "2024-01-01"], "y": [1, 2]})
>>> rows = laid_out(frame, panel_request(id_column="store"))
>>> rows.layout, rows.ids.tolist(), rows.table.columns.tolist()
('long', ['A', 'B'], ['y'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seqcast.checks import listing
from seqcast.data.date_index import index_by_date
from seqcast.data.load import load_table, read_hint
from seqcast.data.one_series import date_levels
from seqcast.data.request import PanelRequest
from seqcast.errors import SeqcastError

__all__ = ["DEFAULT_ID_COLUMN", "WIDE_TARGET", "Rows", "laid_out", "mapping_entries"]

#: The id's name in outputs when the data does not name it (wide, mapping, single).
DEFAULT_ID_COLUMN = "series"
#: The target's name in every series of a wide table, whose series are its columns.
WIDE_TARGET = "value"


@dataclass(frozen=True)
class Rows:
    """A table on its dates, with the id of each row where the layout has ids (long, multiindex)."""

    table: pd.DataFrame
    ids: pd.Series | None
    id_column: str
    layout: str


def laid_out(data: Any, request: PanelRequest, *, entry: bool = False) -> Rows:
    """``data`` (a file or a pandas object) loaded, its ids taken out, on its dates.

    An ``entry`` of a mapping (a Series, a DataFrame or a path) is one series,
    whatever its index; a Series' values are its target.
    """
    if entry and isinstance(data, pd.Series):
        # The values are the target; the Series' name is (at most) its id.
        data = data.rename(request.target or WIDE_TARGET)
    options = request.options
    ids_named = () if request.id_column is None else (request.id_column,)
    frame = load_table(data, sep=options.sep, decimal=options.decimal, text=ids_named)
    ids, id_column, layout = None, DEFAULT_ID_COLUMN, "single"
    if entry:
        layout = "mapping"
    elif request.wide:
        refuse_statics(request.static, "a wide table")
        layout = "wide"
    elif isinstance(frame.index, pd.MultiIndex):
        frame, ids, id_column = _ids_from_index(frame, request.id_column)
        layout = "multiindex"
    elif request.id_column is not None:
        ids, id_column, layout = _id_column(frame, request.id_column), request.id_column, "long"
    else:
        refuse_statics(request.static, "a table of one series")
    # Stacked series repeat their dates, once per series.
    table = index_by_date(frame, **request.dates, stacked=ids is not None)
    return Rows(table, ids, id_column, layout)


def mapping_entries(data: Mapping | Sequence, request: PanelRequest) -> list[tuple[str, Any]]:
    """The (id, data) entries of a dict ``{id: data}`` or a list of Series, their ids checked."""
    if request.wide:
        raise SeqcastError(
            "targets / --targets pick the columns of one wide table; a dict or list of "
            "series already holds one series per entry: leave targets out"
        )
    refuse_statics(request.static, "a dict or list of series")
    if isinstance(data, Mapping):
        entries = [(_key_text(key), value) for key, value in data.items()]
    else:
        entries = [
            (
                str(value.name)
                if isinstance(value, pd.Series) and value.name is not None
                else str(i),
                value,
            )
            for i, value in enumerate(data)
        ]
    if not entries:
        raise SeqcastError("there are no series to read; give at least one")
    seen: set[str] = set()
    for id_, _ in entries:
        if id_ in seen:
            raise SeqcastError(f"two series have the id '{id_}'; give each series its own")
        if not id_.strip():
            raise SeqcastError("a series has an empty id; give each series a name")
        seen.add(id_)
    return entries


def refuse_statics(static: tuple[str, ...], what: str) -> None:
    if static:
        raise SeqcastError(
            f"static columns ({listing(static)}) are read beside an id column "
            f"(id_column=... / --id-column) or an (id, date) index, which {what} lacks; "
            "leave static out, or give the data in long format"
        )


def _id_column(frame: pd.DataFrame, id_column: str) -> pd.Series:
    """The ids of a long table's rows, taken out of ``frame`` (a column or its named index)."""
    if id_column in frame.columns:
        return frame.pop(id_column).reset_index(drop=True)
    if frame.index.name is not None and str(frame.index.name) == id_column:
        ids = frame.index.to_series(index=range(len(frame)))
        frame.reset_index(drop=True, inplace=True)
        return ids
    raise SeqcastError(
        f"unknown id column '{id_column}'; the columns are: "
        f"{listing(frame.columns, limit=12)}{read_hint(frame)}"
    )


def _ids_from_index(
    frame: pd.DataFrame, id_column: str | None
) -> tuple[pd.DataFrame, pd.Series, str]:
    """An (id, date) index split: the frame on its date level, the ids, and the id's name."""
    index = frame.index
    names = [f"level {i}" if name is None else str(name) for i, name in enumerate(index.names)]
    dated = date_levels(index)
    if index.nlevels != 2 or len(dated) != 1:
        raise SeqcastError(
            f"the data has a {index.nlevels}-level index ({', '.join(names)}); a panel needs "
            "two levels, the series' id and the dates: join the id levels into one, or "
            "reset them to columns (df.reset_index())"
        )
    level = 1 - dated[0]
    if id_column is None:
        id_column = DEFAULT_ID_COLUMN if index.names[level] is None else names[level]
    elif id_column != names[level] and index.names[level] is not None:
        raise SeqcastError(
            f"unknown id column '{id_column}'; the index levels are: {', '.join(names)}, and "
            f"the level '{names[level]}' holds the ids (leave id_column out, or name that level)"
        )
    ids = index.get_level_values(level).to_series(index=range(len(frame)))
    return frame.droplevel(level), ids, id_column


def _key_text(key: Any) -> str:
    if isinstance(key, (float, np.floating)) and float(key).is_integer():
        return str(int(key))
    return str(key)
