"""Each series of a panel's table, typed and repaired: the rows of one id at a time.

The stage of :func:`~seqcast.data.panel.read_panel` after the (id, date)
index (:mod:`seqcast.data.layouts`): the columns are chosen once for the
whole table (:mod:`seqcast.data.choose`), the series' rows are brought
together by one stable sort on the ids, the empty target cells before each
series' first value and after its last are found for all series at once,
static columns are checked constant per id by one groupby, and then each
series is typed and repaired by :func:`~seqcast.data.prepare.checked_series`,
a problem in one series reported with its id first. One series (``single``)
goes the same way with one id, and its messages need no id.

>>> from seqcast.data.layouts import laid_out
>>> from seqcast.data.request import panel_request
>>> request = panel_request(id_column="id")
>>> frame = pd.DataFrame({"id": ["A"] * 3 + ["B"] * 4, "y": [1, 2, 3, None, 5, 6, 7]})
>>> parts = long_series(laid_out(frame, request), request)
>>> parts.names, [len(series) for series in parts.series], parts.notes
(('A', 'B'), [3, 3], ['dropped 1 empty row before the first value of 1 series'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import listing
from seqcast.data.choose import (
    choose_target,
    chosen_columns,
    unique_columns,
    wide_targets,
)
from seqcast.data.columns import as_text, text_columns
from seqcast.data.date_index import DATES_ATTR, NO_DATES
from seqcast.data.frequency import Spacings
from seqcast.data.layouts import DEFAULT_ID_COLUMN, WIDE_TARGET, Rows, laid_out
from seqcast.data.load import READ_ATTR, read_notes
from seqcast.data.prepare import checked_series
from seqcast.data.request import PanelRequest
from seqcast.data.screen import Spans, screened
from seqcast.data.series_data import SeriesData
from seqcast.errors import SeqcastError

__all__ = [
    "Parts",
    "long_series",
    "mapping_series",
    "single_series",
    "wide_series",
]


@dataclass
class Parts:
    """The checked series of a table, by id, and what a Panel says about them."""

    series: list[SeriesData]
    names: tuple[str, ...]
    id_column: str
    target: str
    statics: pd.DataFrame
    layout: str
    notes: list[str]
    # The file's own notes, said once for the panel rather than once per series.
    file_notes: list[str] = field(default_factory=list)


def single_series(rows: Rows, request: PanelRequest) -> Parts:
    """One series, a panel of one; its messages are prepare_series' own, with no id in them."""
    table = rows.table
    unique_columns(table)
    target = chosen_columns(table, request.target, request.covariates)
    data = checked_series(table, target, request.covariates, request.categorical, **request.repairs)
    return one_series_parts(data)


def one_series_parts(data: SeriesData) -> Parts:
    """A checked series as the parts of a panel of one: its id is its target's name."""
    names = (data.target,)
    statics = _no_statics(names, DEFAULT_ID_COLUMN)
    return Parts([data], names, DEFAULT_ID_COLUMN, data.target, statics, "single", [*data.notes])


def long_series(rows: Rows, request: PanelRequest) -> Parts:
    """Split a table of stacked series (ids beside its rows) into one checked series per id."""
    table, static, covariates = rows.table, request.static, request.covariates
    file_notes = read_notes(table)
    target = chosen_columns(table, request.target, covariates, static)
    # The text covariates, decided once on the whole table so that every series agrees.
    categorical = text_columns(table, covariates, request.categorical, table.index)

    codes, names = _id_codes(rows.ids, rows.id_column, rows.layout)
    if len(names) > 1 and np.any(np.diff(codes) < 0):
        # One stable sort brings each series' rows together, in their order in the file.
        order = np.argsort(codes, kind="stable")
        table = table.take(order)
        codes = codes[order]
    table, codes, sorted_note = _in_date_order_by_series(table, codes)
    counts = np.bincount(codes, minlength=len(names))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    first, last = _value_span(_has_value(table[target]), starts, counts, names, target)

    statics = _statics(table, static, codes, first, last, names, rows.id_column)
    spans = Spans(codes, first, last)
    series = _stacked_series(table, spans, names, target, categorical, request)
    notes = [*file_notes, *sorted_note, *_trim_notes(first - starts, starts + counts - 1 - last)]
    return Parts(series, names, rows.id_column, target, statics, rows.layout, notes, file_notes)


def _in_date_order_by_series(
    table: pd.DataFrame, codes: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Each series' rows sorted by date when a file's are merely out of order, with a note.

    The rule of one series' file (``seqcast.data.date_index``), series by series:
    the sort is stable, so rows that repeat a date keep their order in the file
    for ``duplicates="first"`` / ``"last"``, and a date repeated further down is
    left to the duplicates' rule. A pandas object is left as it is (its order is
    the user's own, refused downstream if it is not by date).
    """
    if READ_ATTR not in table.attrs or len(table) < 2:
        return table, codes, []
    keys = pd.MultiIndex.from_arrays([codes, table.index])
    if keys.is_monotonic_increasing or keys[~keys.duplicated()].is_monotonic_increasing:
        return table, codes, []
    dates = pd.factorize(table.index, sort=True)[0]
    order = np.lexsort((dates, codes))  # stable: by series, then by date
    note = f"sorted {len(table)} rows by date within each series"
    return table.take(order), codes[order], [note]


def _stacked_series(
    table: pd.DataFrame,
    spans: Spans,
    names: tuple[str, ...],
    target: str,
    categorical: tuple[str, ...],
    request: PanelRequest,
) -> list[SeriesData]:
    """Each series of a table sorted by series, its columns typed and screened all at once."""
    covariates = request.covariates
    work = table[[target, *covariates]]
    work.attrs = {}  # the file's notes are the panel's, said once, not once per series
    try:
        unique_columns(work)
    except SeqcastError as err:  # every series has these columns: the first one says so
        raise SeqcastError(f"series '{names[0]}': {err}") from err
    # A table without dates counts rows over all series: each series counts its own steps.
    renumber = table.attrs.get(DATES_ATTR) == NO_DATES and isinstance(table.index, pd.RangeIndex)
    labels = table.index.array
    fill = request.options.fill_method
    typed = screened(
        work, spans, None if renumber else labels, target, covariates, categorical, fill=fill
    )
    series, spacings = [], Spacings()
    for i, name in enumerate(names):
        span = slice(int(spans.first[i]), int(spans.last[i]) + 1)
        if renumber:
            index = pd.RangeIndex(span.stop - span.start, name=table.index.name)
        else:
            # A new index, not a slice of the table's: pandas (2.3) lets a slice keep its
            # parent's cached is_unique=False, and infer_freq then finds no frequency.
            index = pd.Index(labels[span], name=table.index.name)
        clear = typed is not None and bool(typed.clear[i])
        if clear:
            part = pd.DataFrame({c: values[span] for c, values in typed.columns.items()}, index)
        else:
            part = work.iloc[span].set_axis(index)
        checked = _named(
            part, name, target, covariates, categorical, request, typed=clear, spacings=spacings
        )
        series.append(checked)
    return series


def wide_series(rows: Rows, request: PanelRequest) -> Parts:
    """One series per target column of a wide table; the covariates are shared by all."""
    table, covariates = rows.table, request.covariates
    names = wide_targets(table, request.targets, covariates)
    # The text covariates, decided once on the whole table so that every series agrees.
    categorical = text_columns(table, covariates, request.categorical, table.index)
    file_notes = read_notes(table)
    series, before, after = [], [], []
    for name in names:
        part = table[[name, *covariates]].rename(columns={name: WIDE_TARGET})
        part.attrs = {}
        part, dropped = _trimmed(part, WIDE_TARGET, name)
        before.append(dropped[0])
        after.append(dropped[1])
        series.append(_named(part, name, WIDE_TARGET, covariates, categorical, request))
    notes = [*file_notes, *_trim_notes(np.array(before), np.array(after))]
    statics = _no_statics(names, DEFAULT_ID_COLUMN)
    return Parts(series, names, DEFAULT_ID_COLUMN, WIDE_TARGET, statics, "wide", notes, file_notes)


def mapping_series(entries: list[tuple[str, object]], request: PanelRequest) -> Parts:
    """One series per entry of a dict ``{id: data}`` or a list of Series, each read on its own."""
    covariates = request.covariates
    series: list[SeriesData] = []
    names: list[str] = []
    before, after = [], []
    for id_, value in entries:
        try:
            table = laid_out(value, request, entry=True).table
            target = choose_target(table, request.target, covariates)
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
        # Each entry is a table of its own: its covariates are checked, and guessed, in it.
        series.append(_named(part, id_, target, covariates, request.categorical, request))
        names.append(id_)
    id_column = request.id_column or DEFAULT_ID_COLUMN
    notes = _trim_notes(np.array(before), np.array(after))
    statics = _no_statics(names, id_column)
    return Parts(series, tuple(names), id_column, series[0].target, statics, "mapping", notes)


# ------------------------------------------------------------------------------------- helpers


def _named(
    part: pd.DataFrame,
    id_: str,
    target: str,
    covariates: tuple[str, ...],
    categorical: Sequence[str] | None,
    request: PanelRequest,
    *,
    typed: bool = False,
    spacings: Spacings | None = None,
) -> SeriesData:
    """One series of a panel checked, its columns too; a problem is reported with its id first.

    A mapping's entry is a table of its own, whose covariates only this
    check has seen; in other layouts every series has the table's columns.
    A ``typed`` part was typed and screened clear with the others'.
    """
    try:
        return checked_series(
            part,
            target,
            covariates,
            categorical,
            **request.repairs,
            columns_checked=False,
            typed=typed,
            spacings=spacings,
        )
    except SeqcastError as err:
        raise SeqcastError(f"series '{id_}': {err}") from err


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
        raise _no_values(names[i], target, int(counts[i]))
    return first, last


def _trimmed(frame: pd.DataFrame, target: str, id_: str) -> tuple[pd.DataFrame, tuple[int, int]]:
    """``frame`` without its empty target rows before the first value and after the last."""
    has = _has_value(frame[target])
    if not has.any():
        raise _no_values(id_, target, len(frame))
    first = int(np.argmax(has))
    last = len(has) - 1 - int(np.argmax(has[::-1]))
    return frame.iloc[first : last + 1], (first, len(has) - 1 - last)


def _no_values(id_: str, target: str, rows: int) -> SeqcastError:
    return SeqcastError(
        f"series '{id_}' has no values: its column '{target}' is empty in all "
        f"{rows} of its rows; fill them in or drop the series"
    )


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
