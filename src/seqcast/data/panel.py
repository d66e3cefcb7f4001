"""Many series read at once: a :class:`Panel` of checked series, from any common layout.

Real forecasting data is rarely one series: every store, product or industry
is one, stacked in one table. :func:`read_panel` reads the layouts such data
comes in (:data:`~seqcast.choices.PANEL_LAYOUTS`):

- **long**: an id column (``id_column="store"``) beside the dates, the target
  and the covariates: one row per series and date;
- **wide**: one column per series (``targets=["A", "B"]``, or ``"all"``);
- **multiindex**: a pandas DataFrame indexed by (id, date);
- **mapping**: a dict ``{id: Series or DataFrame}`` or a list of Series;
- **single**: one series, read exactly as :func:`~seqcast.data.series.read_series`
  reads it: a panel of one.

Reading runs in stages, each a module below the next: the arguments checked
once (:mod:`seqcast.data.request`, :class:`~seqcast.data.options.ReadOptions`),
the data loaded and its (id, date) index built (:mod:`seqcast.data.layouts`,
through :mod:`seqcast.data.load` and :mod:`seqcast.data.date_index`), the
columns chosen on the whole table and each series typed and repaired
(:mod:`seqcast.data.grouped`, through :mod:`seqcast.data.choose` and
:mod:`seqcast.data.prepare`), and here the series joined into a
:class:`Panel`. Each series is checked with the same options, exactly as
:func:`~seqcast.data.series.prepare_series` checks one, and a problem in one
series is reported with its id first
(``series 'B': the date 2020-03-01 appears more than once...``). Series may
start and end at different dates; empty target cells before a series' first
value and after its last (exports that give every series every date) are
dropped with a note, while an empty cell between two values is a gap, an
error unless ``fill`` says how to fill it. All series must share one frequency.

>>> days = pd.date_range("2024-01-01", periods=4, freq="D").strftime("%Y-%m-%d").tolist()
>>> frame = pd.DataFrame({"store": ["A"] * 4 + ["B"] * 4, "date": days * 2,
...                       "sales": [1, 2, 3, 4, None, 6, 7, 8]})
>>> panel = read_panel(frame, id_column="store")
>>> panel.ids, panel.freq, [len(series) for series in panel], panel.notes
(('A', 'B'), 'D', [4, 3], ('dropped 1 empty row before the first value of 1 series',))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from seqcast.checks import listing, one_of
from seqcast.choices import PANEL_LAYOUTS
from seqcast.data.date_index import date_style_of
from seqcast.data.dates import DateStyle, parse_label
from seqcast.data.frequency import describe_freq
from seqcast.data.grouped import (
    Parts,
    long_series,
    mapping_series,
    one_series_parts,
    single_series,
    wide_series,
)
from seqcast.data.layouts import laid_out, mapping_entries
from seqcast.data.options import ReadOptions
from seqcast.data.request import panel_request
from seqcast.data.series_data import SeriesData
from seqcast.errors import SeqcastError

__all__ = ["Panel", "panel_of_one", "read_panel"]

# How many notes about single series Panel.notes repeats by name; the rest are counted.
_NAMED_NOTES = 5


@dataclass(frozen=True, eq=False)
class Panel:
    """Checked series that share a target name, covariates and one frequency.

    ``series`` holds one :class:`~seqcast.data.series.SeriesData` per id, in
    the order the ids first appear in the data; each may start and end at its
    own date. ``id_column`` names the id in outputs (the user's id column or
    index level, else ``"series"``); ``statics`` holds the static columns' raw
    values, one row per id (index: the ids); ``layout`` says how the data was
    laid out (:data:`~seqcast.choices.PANEL_LAYOUTS`); ``notes`` say what
    reading changed (empty rows dropped, points filled), for the command line.

    >>> panel = read_panel({"A": pd.Series([1.0, 2.0, 3.0]), "B": pd.Series([4.0, 5.0, 6.0])})
    >>> len(panel), panel.ids, panel.get("B").frame["value"].tolist(), panel.layout
    (2, ('A', 'B'), [4.0, 5.0, 6.0], 'mapping')
    """

    series: tuple[SeriesData, ...]
    ids: tuple[str, ...]
    id_column: str
    target: str
    statics: pd.DataFrame
    freq: str | None
    layout: str
    notes: tuple[str, ...] = ()
    _positions: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        one_of(self.layout, PANEL_LAYOUTS, "panel layout")
        if len(self.series) != len(self.ids):
            raise SeqcastError(
                f"a panel needs one id per series, not {len(self.ids)} ids for "
                f"{len(self.series)} series"
            )
        positions = {id_: i for i, id_ in enumerate(self.ids)}
        if len(positions) != len(self.ids):
            repeated = pd.Index(self.ids)[pd.Index(self.ids).duplicated()][0]
            raise SeqcastError(
                f"the series id '{repeated}' is used twice; give each series its own"
            )
        object.__setattr__(self, "_positions", positions)  # get() in constant time

    def __len__(self) -> int:
        return len(self.series)

    def __iter__(self) -> Iterator[SeriesData]:
        return iter(self.series)

    def get(self, id_: Any) -> SeriesData:
        """The series ``id_`` (its text, or a value that prints as it: ``get(7)`` for ``"7"``)."""
        position = self._positions.get(str(id_))
        if position is None:
            raise SeqcastError(
                f"unknown series '{id_}'; the series are: {listing(self.ids, limit=12)}"
            )
        return self.series[position]

    @property
    def covariates(self) -> tuple[str, ...]:
        """The covariates every series holds, after its target."""
        return self.series[0].covariates if self.series else ()

    @property
    def date_style(self) -> DateStyle:
        """How the data wrote its dates (its first series'), for the dates a user gives."""
        return self.series[0].date_style if self.series else DateStyle()

    def with_date_style(self, style: DateStyle) -> Panel:
        """The panel, each series' dates read as ``style`` says where its own data did not tell.

        A saved model's style (how the data it was fitted on wrote dates) fills in
        for new data whose dates do not tell (ISO, datetimes).
        """
        series = tuple(
            replace(data, date_style=data.date_style.or_else(style)) for data in self.series
        )
        return replace(self, series=series)

    def before(self, end: Any, what: str = "the end") -> Panel:
        """The panel with each series' points before the label ``end`` (a date or step).

        ``what`` names ``end`` in the message when a series has none before it.

        >>> panel = read_panel({"A": pd.Series([1.0, 2.0, 3.0, 4.0])})
        >>> panel.before(3).get("A").frame["value"].tolist()
        [1.0, 2.0, 3.0]
        """
        kept = []
        for id_, series in zip(self.ids, self.series):
            index = series.frame.index
            rows = index < parse_label(index, end, what, series.date_style)
            if not rows.any():
                raise SeqcastError(
                    f"series '{id_}' starts after {what} {end}: it has no points before it; "
                    "drop it from the data or choose a later date"
                )
            filled = None if series.filled is None else series.filled[rows]
            kept.append(replace(series, frame=series.frame[rows], filled=filled))
        return replace(self, series=tuple(kept))

    @property
    def lengths(self) -> np.ndarray:
        """``(len(self),)`` int64: the number of points of each series."""
        return np.array([len(series) for series in self.series], dtype=np.int64)


def read_panel(
    data: Any,
    target: str | None = None,
    covariates: Sequence[str] = (),
    *,
    id_column: str | None = None,
    targets: Sequence[str] | str | bool | None = None,
    static: Sequence[str] = (),
    date_column: str | None = None,
    date_format: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    freq: str | None = None,
    fill: str | None = None,
    duplicates: str | None = None,
    categorical: Sequence[str] | None = None,
    options: ReadOptions | None = None,
) -> Panel:
    """Read ``data`` (a file, a pandas object, a dict or list of series) as a :class:`Panel`.

    The layout follows from the arguments and the data:

    - ``id_column`` names the column (or index level) of the series' ids: long
      format. Ids are text (``7`` reads as ``"7"``), in order of first appearance;
      the rows of one id keep their order in the file.
    - ``targets`` lists the columns that are each one series (wide format; the
      target of every series is then named ``"value"``, and ``covariates`` are
      shared by all). ``targets="all"`` (or ``True``) takes every numeric column
      that is not a covariate.
    - A DataFrame indexed by (id, date) needs neither: the level that does not
      hold dates is the id, named ``id_column`` or the level's own name.
    - A dict ``{id: Series, DataFrame or path}``, or a list of Series (ids:
      their names, else ``"0"``, ``"1"``...). A Series' values become the target
      (named ``target``, else ``"value"``).
    - Otherwise one series, read as :func:`~seqcast.data.series.read_series`
      reads it, is a panel of one (id: its target's name).
    - A :class:`Panel` is returned as it is.

    ``static`` names columns that hold one value per series (a store's region):
    they are checked to be constant within each series and gathered in
    :attr:`Panel.statics`, not kept as covariates; only long format and an
    (id, date) index have them. ``date_column``, ``date_format``, ``sep`` and
    ``decimal`` read the table as :func:`~seqcast.data.read.read_table` does;
    ``target``, ``covariates``, ``freq``, ``fill``, ``duplicates`` and
    ``categorical`` check each series as
    :func:`~seqcast.data.series.prepare_series` does (the same text covariates
    for all series: guessed once from the whole table).

    ``options`` (a :class:`~seqcast.data.options.ReadOptions`) says all the
    reading options at once; a keyword given beside it (not None) overrides it.

    Empty target cells before a series' first value and after its last are
    dropped (a single series is read unchanged, as read_series reads it).
    Every problem is one SeqcastError naming the series: too few points, a
    gap, a date repeated with other values, a frequency that differs from the
    first series', a static column that changes, an empty id.

    >>> wide = pd.DataFrame({"month": ["2024-01", "2024-02", "2024-03", "2024-04"],
    ...                      "north": [1.0, 2, 3, 4], "south": [None, 5.0, 6, 7]})
    >>> panel = read_panel(wide, targets="all")
    >>> panel.ids, panel.target, panel.freq, str(panel.get("south").frame.index[0].date())
    (('north', 'south'), 'value', 'MS', '2024-02-01')
    """
    if isinstance(data, Panel):
        return data
    options = ReadOptions.of(
        options,
        date_column=date_column,
        date_format=date_format,
        sep=sep,
        decimal=decimal,
        freq=freq,
        fill=fill,
        duplicates=duplicates,
    )
    request = panel_request(
        target,
        covariates,
        id_column=id_column,
        targets=targets,
        static=static,
        categorical=categorical,
        options=options,
    )
    style = DateStyle(options.date_format)
    if isinstance(data, (Mapping, list, tuple)):
        parts = mapping_series(mapping_entries(data, request), request)
    else:
        rows = laid_out(data, request)
        style = date_style_of(rows.table, options.date_format)
        if rows.layout == "single":
            parts = single_series(rows, request)
        elif rows.layout == "wide":
            parts = wide_series(rows, request)
        else:  # long, multiindex
            parts = long_series(rows, request)
    return _joined(parts, style)


def panel_of_one(series: SeriesData) -> Panel:
    """A series already read, as the panel of one that :func:`read_panel` makes of one series."""
    return _joined(one_series_parts(series), series.date_style)


# ------------------------------------------------------------------------------------- joining


def _joined(parts: Parts, style: DateStyle) -> Panel:
    """The checked series as one Panel: their common frequency, and the notes said once.

    Each series says how the data wrote its dates: ``style``.
    """
    notes = list(parts.notes)
    if parts.layout != "single":  # a panel of one says its series' notes as its own
        own = [
            (name, note)
            for name, data in zip(parts.names, parts.series)
            for note in data.notes
            if note not in parts.file_notes
        ]
        notes += [f"series '{name}': {note}" for name, note in own[:_NAMED_NOTES]]
        if len(own) > _NAMED_NOTES:
            notes.append(
                f"and {len(own) - _NAMED_NOTES} more notes on single series (panel.get(id).notes)"
            )
    return Panel(
        series=tuple(
            data if data.date_style == style else replace(data, date_style=style)
            for data in parts.series
        ),
        ids=parts.names,
        id_column=parts.id_column,
        target=parts.target,
        statics=parts.statics,
        freq=_common_freq(parts.series, parts.names),
        layout=parts.layout,
        notes=tuple(notes),
    )


def _common_freq(series: Sequence[SeriesData], names: Sequence[str]) -> str | None:
    """The frequency all series share; a series at another one is an error naming both."""
    first = series[0].freq
    for name, data in zip(names, series):
        if data.freq == first:
            continue
        if data.freq is None or first is None:
            dated, steps = (names[0], name) if data.freq is None else (name, names[0])
            raise SeqcastError(
                f"series '{steps}' counts integer steps but series '{dated}' has dates; "
                "give every series dates, or none"
            )
        raise SeqcastError(
            f"series '{name}' is {describe_freq(data.freq)} ({data.freq}) but series "
            f"'{names[0]}' is {describe_freq(first)} ({first}); a panel holds series of one "
            "frequency: read each frequency as a panel of its own, or resample the series to "
            "one first (pandas' df.resample)"
        )
    return first
