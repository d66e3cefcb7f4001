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

Each series is checked by :func:`~seqcast.data.series.prepare_series` with the
same options, and a problem in one series is reported with its id first
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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import column_names, listing, one_of
from seqcast.choices import ALL_TARGETS, DUPLICATE_POLICIES, FILL_METHODS, PANEL_LAYOUTS
from seqcast.data.columns import as_text, text_columns
from seqcast.data.frequency import checked_freq, describe_freq
from seqcast.data.one_series import date_levels
from seqcast.data.read import DATES_ATTR, NO_DATES, index_by_date, load_table, read_hint, read_notes
from seqcast.data.series import SeriesData, choose_target, prepare_series
from seqcast.errors import SeqcastError

__all__ = ["Panel", "read_panel"]

#: The id's name in outputs when the data does not name it (wide, mapping, single).
DEFAULT_ID_COLUMN = "series"
#: The target's name in every series of a wide table, whose series are its columns.
WIDE_TARGET = "value"
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

    def before(self, end: Any, what: str = "the end") -> Panel:
        """The panel with each series' points before the label ``end`` (a date or step).

        ``what`` names ``end`` in the message when a series has none before it.

        >>> panel = read_panel({"A": pd.Series([1.0, 2.0, 3.0, 4.0])})
        >>> panel.before(3).get("A").frame["value"].tolist()
        [1.0, 2.0, 3.0]
        """
        from dataclasses import replace

        from seqcast.data.dates import parse_label

        kept = []
        for id_, series in zip(self.ids, self.series):
            index = series.frame.index
            rows = index < parse_label(index, end, what)
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


@dataclass(frozen=True)
class _Options:
    """What every series of a panel is checked with (prepare_series' keywords)."""

    target: str | None
    covariates: tuple[str, ...]
    categorical: Sequence[str] | None
    freq: str | None
    fill: str
    duplicates: str

    def prepare(self, frame: pd.DataFrame, id_: str, target: str) -> SeriesData:
        try:
            return prepare_series(
                frame,
                target,
                self.covariates,
                self.categorical,
                freq=self.freq,
                fill=self.fill,
                duplicates=self.duplicates,
            )
        except SeqcastError as err:
            raise SeqcastError(f"series '{id_}': {err}") from err


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
    fill: str = "none",
    duplicates: str = "error",
    categorical: Sequence[str] | None = None,
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
    one_of(fill, FILL_METHODS, "fill")
    one_of(duplicates, DUPLICATE_POLICIES, "duplicates")
    options = _Options(
        target=None if target is None else str(target),
        covariates=column_names(covariates, "covariate"),
        categorical=categorical,
        freq=None if freq is None else checked_freq(freq),
        fill=fill,
        duplicates=duplicates,
    )
    static = column_names(static, "static column")
    if id_column is not None:
        id_column = str(id_column)
        if not id_column.strip():
            raise SeqcastError("the id column's name is empty; give the column of the series' ids")
    wide = targets is not None
    if wide:
        if id_column is not None:
            raise SeqcastError(
                "give either id_column / --id-column (long format: one column of ids) or "
                "targets / --targets (wide format: one column per series), not both"
            )
        if options.target is not None:
            raise SeqcastError(
                "give either target / --target (one column to forecast) or targets / --targets "
                "(several columns, one series each), not both"
            )
    read = {"date_column": date_column, "date_format": date_format}

    if isinstance(data, (Mapping, list, tuple)):
        if wide:
            raise SeqcastError(
                "targets / --targets pick the columns of one wide table; a dict or list of "
                "series already holds one series per entry: leave targets out"
            )
        _refuse_statics(static, "a dict or list of series")
        return _read_mapping(data, options, id_column, read, sep=sep, decimal=decimal)

    frame = load_table(data, sep=sep, decimal=decimal)
    if wide:
        _refuse_statics(static, "a wide table")
        table = index_by_date(frame, **read)
        return _read_wide(table, targets, options)
    if isinstance(frame.index, pd.MultiIndex):
        frame, ids, id_column = _ids_from_index(frame, id_column)
        layout = "multiindex"
    elif id_column is not None:
        ids = _id_column(frame, id_column)
        layout = "long"
    else:
        _refuse_statics(static, "a table of one series")
        return _single(index_by_date(frame, **read), options)
    table = index_by_date(frame, **read, stacked=True)
    return _read_long(table, ids, id_column, layout, options, static)


# ------------------------------------------------------------------------------------- layouts


def _single(table: pd.DataFrame, options: _Options) -> Panel:
    # prepare_series' own messages: one series needs no name in them.
    data = prepare_series(
        table,
        options.target,
        options.covariates,
        options.categorical,
        freq=options.freq,
        fill=options.fill,
        duplicates=options.duplicates,
    )
    return Panel(
        series=(data,),
        ids=(data.target,),
        id_column=DEFAULT_ID_COLUMN,
        target=data.target,
        statics=_no_statics((data.target,), DEFAULT_ID_COLUMN),
        freq=data.freq,
        layout="single",
        notes=data.notes,
    )


def _read_long(
    table: pd.DataFrame,
    ids: pd.Series,
    id_column: str,
    layout: str,
    options: _Options,
    static: tuple[str, ...],
) -> Panel:
    """Split a table of stacked series (``ids`` beside its rows) into one checked series per id."""
    hint = read_hint(table)
    file_notes = read_notes(table)
    for name in static:
        if name not in table.columns:
            raise SeqcastError(
                f"unknown static column '{name}'; the columns are: "
                f"{listing(table.columns, limit=12)}{hint}"
            )
    target = choose_target(table.drop(columns=list(static)), options.target, options.covariates)
    _check_columns(table, target, options.covariates, static, hint)
    categorical = _categorical(table, options)

    codes, names = _id_codes(ids, id_column, layout)
    if len(names) > 1 and np.any(np.diff(codes) < 0):
        # One stable sort brings each series' rows together, in their order in the file.
        order = np.argsort(codes, kind="stable")
        table = table.take(order)
        codes = codes[order]
    counts = np.bincount(codes, minlength=len(names))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    first, last = _value_span(_has_value(table[target]), starts, counts, names, target)

    statics = _statics(table, static, codes, first, last, names, id_column)
    work = table[[target, *options.covariates]]
    work.attrs = {}  # the file's notes are the panel's, said once, not once per series
    # A table without dates counts rows over all series: each series counts its own steps.
    renumber = table.attrs.get(DATES_ATTR) == NO_DATES and isinstance(table.index, pd.RangeIndex)
    checks = _Options(
        target, options.covariates, categorical, options.freq, options.fill, options.duplicates
    )
    labels = table.index.array
    series = []
    for i, name in enumerate(names):
        part = work.iloc[first[i] : last[i] + 1]
        if renumber:
            index = pd.RangeIndex(len(part), name=table.index.name)
        else:
            # A new index, not a slice of the table's: pandas (2.3) lets a slice keep its
            # parent's cached is_unique=False, and infer_freq then finds no frequency.
            index = pd.Index(labels[first[i] : last[i] + 1], name=table.index.name)
        series.append(checks.prepare(part.set_axis(index), name, target))
    notes = [*file_notes, *_trim_notes(first - starts, starts + counts - 1 - last)]
    return _panel(series, names, id_column, target, statics, layout, notes, file_notes)


def _read_wide(
    table: pd.DataFrame, targets: Sequence[str] | str | bool, options: _Options
) -> Panel:
    """One series per target column; the covariates are shared by all."""
    hint = read_hint(table)
    covariates = options.covariates
    if targets is True or (isinstance(targets, str) and targets == ALL_TARGETS):
        if ALL_TARGETS in table.columns:
            raise SeqcastError(
                f"targets='{ALL_TARGETS}' takes every numeric column, but a column is named "
                f"'{ALL_TARGETS}'; list the target columns by name"
            )
        names = tuple(
            column
            for column in table.columns
            if column not in covariates and ptypes.is_numeric_dtype(table[column].dtype)
        )
        if not names:
            raise SeqcastError(
                f"no column holds numbers besides the covariates (the columns are: "
                f"{listing(table.columns, limit=12)}{hint}); name the target columns with "
                "targets=... / --targets"
            )
    else:
        names = column_names(targets, "target")
        if not names:
            raise SeqcastError("targets / --targets is empty; name at least one column")
    for name in names:
        if name not in table.columns:
            raise SeqcastError(
                f"unknown target column '{name}'; the columns are: "
                f"{listing(table.columns, limit=12)}{hint}"
            )
        if name in covariates:
            raise SeqcastError(
                f"'{name}' is both a target and a covariate; leave it out of the covariates"
            )
    if WIDE_TARGET in covariates:
        raise SeqcastError(
            f"in wide format each series' values are named '{WIDE_TARGET}', and so is a "
            "covariate; rename that covariate"
        )
    _check_columns(table, names[0], covariates, (), hint)
    categorical = _categorical(table, options)
    file_notes = read_notes(table)
    checks = _Options(
        WIDE_TARGET, covariates, categorical, options.freq, options.fill, options.duplicates
    )
    series, before, after = [], [], []
    for name in names:
        part = table[[name, *covariates]].rename(columns={name: WIDE_TARGET})
        part.attrs = {}
        part, dropped = _trimmed(part, WIDE_TARGET, name)
        before.append(dropped[0])
        after.append(dropped[1])
        series.append(checks.prepare(part, name, WIDE_TARGET))
    notes = [*file_notes, *_trim_notes(np.array(before), np.array(after))]
    statics = _no_statics(names, DEFAULT_ID_COLUMN)
    return _panel(series, names, DEFAULT_ID_COLUMN, WIDE_TARGET, statics, "wide", notes, file_notes)


def _read_mapping(
    data: Mapping | Sequence,
    options: _Options,
    id_column: str | None,
    read: dict[str, Any],
    *,
    sep: str | None,
    decimal: str | None,
) -> Panel:
    """One series per entry of a dict ``{id: data}`` or a list of Series."""
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

    series, names, before, after = [], [], [], []
    for id_, value in entries:
        try:
            if isinstance(value, pd.Series):
                # The values are the target; the Series' name is (at most) its id.
                value = value.rename(options.target or WIDE_TARGET)
            table = index_by_date(load_table(value, sep=sep, decimal=decimal), **read)
            target = choose_target(table, options.target, options.covariates)
        except SeqcastError as err:
            raise SeqcastError(f"series '{id_}': {err}") from err
        if series and target != series[0].target:
            raise SeqcastError(
                f"series '{id_}' forecasts column '{target}' but series '{names[0]}' forecasts "
                f"'{series[0].target}'; give target=... / --target, or the same column names"
            )
        part, dropped = _trimmed(table, target, id_)
        before.append(dropped[0])
        after.append(dropped[1])
        series.append(options.prepare(part, id_, target))
        names.append(id_)
    id_column = id_column or DEFAULT_ID_COLUMN
    notes = _trim_notes(np.array(before), np.array(after))
    statics = _no_statics(names, id_column)
    return _panel(series, names, id_column, series[0].target, statics, "mapping", notes, [])


# ------------------------------------------------------------------------------------- helpers


def _panel(
    series: list[SeriesData],
    names: Sequence[str],
    id_column: str,
    target: str,
    statics: pd.DataFrame,
    layout: str,
    notes: list[str],
    file_notes: list[str],
) -> Panel:
    freq = _common_freq(series, names)
    own = [
        (name, note)
        for name, data in zip(names, series)
        for note in data.notes
        if note not in file_notes
    ]
    notes += [f"series '{name}': {note}" for name, note in own[:_NAMED_NOTES]]
    if len(own) > _NAMED_NOTES:
        notes.append(
            f"and {len(own) - _NAMED_NOTES} more notes on single series (panel.get(id).notes)"
        )
    return Panel(
        series=tuple(series),
        ids=tuple(names),
        id_column=id_column,
        target=target,
        statics=statics,
        freq=freq,
        layout=layout,
        notes=tuple(notes),
    )


def _refuse_statics(static: tuple[str, ...], what: str) -> None:
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


def _id_codes(ids: pd.Series, id_column: str, layout: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each row's series number, and the ids as text in order of first appearance.

    The ids are factorised first and only the distinct ones made text, so that a
    table of millions of rows costs one hash pass.
    """
    codes, uniques = pd.factorize(ids.to_numpy(), use_na_sentinel=True)
    text = as_text(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    blank = codes < 0
    if (text == "").any():
        blank |= np.isin(codes, np.flatnonzero(text == ""))
    if blank.any():
        where = "index level" if layout == "multiindex" else "column"
        raise SeqcastError(
            f"the id {where} '{id_column}' is empty in row {int(np.argmax(blank)) + 1}; "
            "fill in the series that row belongs to, or drop the row"
        )
    # Ids that read the same as text (" A" and "A", 7 and "7") are one series.
    merged, names = pd.factorize(text)
    return merged[codes].astype(np.int64), tuple(str(name) for name in names)


def _has_value(values: pd.Series) -> np.ndarray:
    """Booleans: True where a target cell holds something (not empty, not blank text)."""
    if ptypes.is_numeric_dtype(values.dtype) and not isinstance(values.dtype, pd.CategoricalDtype):
        return values.notna().to_numpy()
    return (as_text(values) != "").to_numpy()


def _value_span(
    has: np.ndarray,
    starts: np.ndarray,
    counts: np.ndarray,
    names: Sequence[str],
    target: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Per series (rows ``starts[i]`` on, ``counts[i]`` of them): its first and last valued row."""
    n = len(has)
    positions = np.arange(n)
    first = np.minimum.reduceat(np.where(has, positions, n), starts)
    last = np.maximum.reduceat(np.where(has, positions, -1), starts)
    empty = first >= starts + counts
    if empty.any():
        i = int(np.argmax(empty))
        raise SeqcastError(
            f"series '{names[i]}' has no values: its column '{target}' is empty in all "
            f"{counts[i]} of its rows; fill them in or drop the series"
        )
    return first, last


def _trimmed(frame: pd.DataFrame, target: str, id_: str) -> tuple[pd.DataFrame, tuple[int, int]]:
    """``frame`` without its empty target rows before the first value and after the last."""
    has = _has_value(frame[target])
    if not has.any():
        raise SeqcastError(
            f"series '{id_}' has no values: its column '{target}' is empty in all "
            f"{len(frame)} of its rows; fill them in or drop the series"
        )
    first = int(np.argmax(has))
    last = len(has) - 1 - int(np.argmax(has[::-1]))
    return frame.iloc[first : last + 1], (first, len(has) - 1 - last)


def _trim_notes(before: np.ndarray, after: np.ndarray) -> list[str]:
    notes = []
    for dropped, where in ((before, "before the first value"), (after, "after the last value")):
        rows = int(dropped.sum())
        if rows:
            plural = "" if rows == 1 else "s"
            notes.append(
                f"dropped {rows} empty row{plural} {where} of {int((dropped > 0).sum())} series"
            )
    return notes


def _check_columns(
    table: pd.DataFrame,
    target: str,
    covariates: tuple[str, ...],
    static: tuple[str, ...],
    hint: str,
) -> None:
    for name in covariates:
        if name not in table.columns:
            raise SeqcastError(
                f"unknown covariate column '{name}'; the columns are: "
                f"{listing(table.columns, limit=12)}{hint}"
            )
        if name in static:
            raise SeqcastError(
                f"'{name}' is both a covariate and a static column; a static column holds one "
                "value per series, a covariate one per date: list it once"
            )
    if target in static:
        raise SeqcastError(f"'{target}' is both the target and a static column; list it once")
    if target in covariates:
        raise SeqcastError(
            f"'{target}' is both the target and a covariate; leave it out of the covariates"
        )


def _categorical(table: pd.DataFrame, options: _Options) -> tuple[str, ...]:
    """The text covariates, decided once on the whole table so that every series agrees."""
    return text_columns(table, options.covariates, options.categorical, table.index)


def _statics(
    table: pd.DataFrame,
    static: tuple[str, ...],
    codes: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    names: Sequence[str],
    id_column: str,
) -> pd.DataFrame:
    """One row per series: the value of each static column, checked constant over its rows."""
    if not static:
        return _no_statics(names, id_column)
    positions = np.arange(len(table))
    kept = (positions >= first[codes]) & (positions <= last[codes])
    values = table.loc[kept, list(static)].reset_index(drop=True)
    groups = values.groupby(codes[kept], sort=True)
    changing = groups.nunique(dropna=False) > 1
    if changing.to_numpy().any():
        row, col = np.argwhere(changing.to_numpy())[0]
        name = static[col]
        seen = values[name][codes[kept] == changing.index[row]].unique()
        raise SeqcastError(
            f"the static column '{name}' changes within series '{names[changing.index[row]]}' "
            f"({listing([str(value) for value in seen], limit=3)}); a static column holds one "
            "value per series: give it as a covariate if it changes over time, or fix the file"
        )
    statics = groups.first()
    statics.index = pd.Index(names, name=id_column)
    return statics


def _no_statics(names: Sequence[str], id_column: str) -> pd.DataFrame:
    return pd.DataFrame(index=pd.Index(list(names), name=id_column, dtype=object))


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
