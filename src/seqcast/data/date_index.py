"""Finding a table's dates and setting them as its index (or counting its rows as steps).

The second stage of reading, after :mod:`seqcast.data.load`: :func:`index_by_date`
takes the dates from the ``date_column`` if given, else the table's own
DatetimeIndex (or PeriodIndex), else the one column named like a date or
whose text all reads as dates (:mod:`seqcast.data.date_text` tells which and
reads them); otherwise the index counts steps. The result says in
``attrs[DATES_ATTR]`` where its dates came from, or :data:`NO_DATES`, and
in ``attrs[DATE_ORDER_ATTR]`` whether text dates were written day or month
first (:func:`date_style_of` reads it back, so that the dates a user gives
are read the same way). A file's rows whose dates are merely out of order
are sorted by date, with a note.

One series is read at a time unless the caller says the rows are ``stacked``
(several series whose ids it has taken out): an index of several levels, or
dates that repeat once per value of a text column, is then refused
(:mod:`seqcast.data.one_series`).
"""

from __future__ import annotations

import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import listing
from seqcast.data.date_text import (
    DATE_COLUMN_NAMES,
    holds_dates,
    looks_like_dates,
    parse_dates,
    try_dates,
    written_day_first,
)
from seqcast.data.dates import ORDERS, DateStyle
from seqcast.data.load import READ_ATTR
from seqcast.data.one_series import check_not_long_format, check_one_series_index
from seqcast.errors import SeqcastError

__all__ = ["DATES_ATTR", "DATE_ORDER_ATTR", "NO_DATES", "date_style_of", "index_by_date"]

# An indexed table says in attrs[DATES_ATTR] where its dates came from ("column 'Datum'",
# "the index"), or NO_DATES when it looked for them and found none (the index counts steps):
# the command line tells the user, the library prints nothing.
DATES_ATTR = "seqcast_dates"
NO_DATES = "none found"
# How text dates were written: ORDERS' "day first" or "month first"; absent when they did not
# tell (ISO dates, datetimes). Text, not a DateStyle: attrs go into Parquet files as JSON.
DATE_ORDER_ATTR = "seqcast_date_order"


def date_style_of(frame: pd.DataFrame, date_format: str | None = None) -> DateStyle:
    """How ``frame`` (as :func:`index_by_date` left it) wrote its dates; read with ``date_format``.

    >>> frame = index_by_date(pd.DataFrame({"date": ["13.01.2023", "14.01.2023"], "y": [1, 2]}))
    >>> date_style_of(frame)
    DateStyle(date_format=None, day_first=True)
    """
    order = frame.attrs.get(DATE_ORDER_ATTR)
    return DateStyle.saved(date_format, order if order in ORDERS.values() else None)


def index_by_date(
    frame: pd.DataFrame,
    *,
    date_column: str | None = None,
    date_format: str | None = None,
    stacked: bool = False,
) -> pd.DataFrame:
    """``frame`` (from :func:`~seqcast.data.load.load_table`, modified in place) on its dates.

    Without dates, the index counts positions. The second half of
    :func:`~seqcast.data.read.read_table`, which documents how the dates are
    found. With ``stacked``, the rows hold several series whose ids the caller
    has taken out: dates may repeat (once per series) and are not refused as a
    long-format table.

    >>> frame = pd.DataFrame({"date": ["2020-01-01", "2020-01-01"], "y": [1, 2]})
    >>> index_by_date(frame, stacked=True).index.tolist()
    [Timestamp('2020-01-01 00:00:00'), Timestamp('2020-01-01 00:00:00')]
    """
    if not stacked:
        check_one_series_index(frame.index)
    dates, source, column = _found_dates(frame, date_column, date_format, stacked)
    if dates is None:
        frame.attrs[DATES_ATTR] = NO_DATES
        if ptypes.is_integer_dtype(frame.index.dtype):
            # Integer step labels, a slice's (RangeIndex(355, 1001)) included, are the
            # user's own: kept, so that starts and forecasts are said in the same steps.
            return frame
        return frame.reset_index(drop=True)
    _note_order(frame, frame[column] if column is not None else frame.index.to_series(), dates)
    if column is not None:
        frame = frame.drop(columns=column)
    frame.index = dates
    if dates.has_duplicates and not stacked:
        check_not_long_format(frame)
    frame.attrs[DATES_ATTR] = source
    # Stacked series' rows are sorted series by series, once their ids are known.
    return frame if stacked else _in_date_order(frame)


def _note_order(frame: pd.DataFrame, values: pd.Series, dates: pd.DatetimeIndex) -> None:
    """Say in ``frame.attrs`` whether ``values``, text, wrote ``dates`` day or month first."""
    if not (ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)):
        return  # datetimes already: what an earlier reading said stays
    day_first = written_day_first(values, dates)
    if day_first is None:
        frame.attrs.pop(DATE_ORDER_ATTR, None)
    else:
        frame.attrs[DATE_ORDER_ATTR] = ORDERS[day_first]


def _in_date_order(frame: pd.DataFrame) -> pd.DataFrame:
    """A file's rows sorted by date when their dates are merely out of order, with a note.

    The sort is stable: rows that repeat a date keep their order in the file,
    which ``duplicates="first"`` / ``"last"`` go by. A date repeated further
    down is the duplicates' business (merged, or refused, with their notes):
    only dates whose first rows are out of order are sorted here. A pandas
    object is left as it is (its order is the user's own, and refused
    downstream if it is not by date).
    """
    found = frame.attrs.get(READ_ATTR)
    index = frame.index
    if not found or index.is_monotonic_increasing:  # the usual file: nothing to hash
        return frame
    if index[~index.duplicated()].is_monotonic_increasing:
        return frame
    frame = frame.sort_index(kind="stable")
    frame.attrs[READ_ATTR]["notes"].append(f"sorted {len(frame)} rows by date")
    return frame


def _found_dates(
    frame: pd.DataFrame, date_column: str | None, date_format: str | None, stacked: bool
) -> tuple[pd.DatetimeIndex | None, str, str | None]:
    """The dates of ``frame``, where they came from, and the column that held them (if one)."""
    if date_column is not None:
        date_column = str(date_column)
        if date_column in frame.columns:
            return _column_dates(frame, date_column, date_format, stacked)
        if frame.index.name is not None and str(frame.index.name) == date_column:
            # A pandas user's frame may already have the dates as its (named) index.
            dates = parse_dates(frame.index.to_series(), "the index", date_format)
            return dates.rename(date_column), "the index", None
        raise SeqcastError(
            f"unknown column '{date_column}' for date_column / --date-column; "
            f"the columns are: {listing(frame.columns, limit=12)}"
        )

    if isinstance(frame.index, pd.PeriodIndex):
        return frame.index.to_timestamp(), "the index", None  # their start dates, freq kept
    if isinstance(frame.index, pd.DatetimeIndex):
        return frame.index, "the index", None

    found = _date_columns(frame, date_format, stacked)
    if len(found) > 1:
        raise SeqcastError(
            f"several columns look like dates ({listing(found, limit=12)}); "
            "choose one with date_column=... / --date-column"
        )
    if found:
        return _column_dates(frame, found[0], date_format, stacked)
    if date_format is not None:
        _check_date_format_reads(frame, date_format)
        raise SeqcastError(
            f"no column holds dates written as {date_format!r}; give the format the dates "
            "are written in, or name their column with date_column=... / --date-column"
        )
    if ptypes.is_integer_dtype(frame.index.dtype):
        return None, NO_DATES, None
    # Text labels that all read as dates (try_dates leaves anything but text alone).
    dates = try_dates(frame.index.to_series(), "the index", date_format)
    if dates is None:
        return None, NO_DATES, None
    return dates.rename(frame.index.name), "the index", None


def _date_columns(frame: pd.DataFrame, date_format: str | None, stacked: bool) -> list[str]:
    """The columns that hold the dates: named like a date, or whose values all read as dates."""
    found = []
    for column in frame.columns:
        what = f"column '{column}'"
        # Stacked series repeat each date once per series: their distinct values tell as much.
        values = _distinct(frame[column]) if stacked else frame[column]
        if column.strip().lower() in DATE_COLUMN_NAMES:
            # A few typos are allowed here: parse_dates reports them.
            if looks_like_dates(values, what, date_format):
                found.append(column)
        elif holds_dates(values, what, date_format):
            found.append(column)
    return found


def _distinct(values: pd.Series) -> pd.Series:
    """The distinct values of a text column, in order of first appearance (others as they are)."""
    if not (ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)):
        return values
    return pd.Series(values.unique(), dtype=values.dtype, name=values.name)


def _parse_stacked(values: pd.Series, what: str, date_format: str | None) -> pd.DatetimeIndex:
    """``parse_dates`` of a column whose dates repeat, each distinct text parsed once."""
    if not (ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)):
        return parse_dates(values, what, date_format)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    if len(uniques) == len(values):
        return parse_dates(values, what, date_format)
    try:
        dates = parse_dates(pd.Series(uniques, dtype=values.dtype), what, date_format)
    except SeqcastError:
        # The message names a row: the whole column's own.
        return parse_dates(values, what, date_format)
    return dates.take(codes)


def _check_date_format_reads(frame: pd.DataFrame, date_format: str) -> None:
    """Name the first value of the dates that ``date_format`` does not read, if there are dates."""
    for column in frame.columns:
        what = f"column '{column}'"
        try:
            named = column.strip().lower() in DATE_COLUMN_NAMES
            dated = (named and looks_like_dates(frame[column], what)) or holds_dates(
                frame[column], what
            )
        except SeqcastError:
            dated = True  # dates that read two ways
        if dated:
            parse_dates(frame[column], what, date_format)  # raises, naming the value


def _column_dates(
    frame: pd.DataFrame, column: str, date_format: str | None, stacked: bool
) -> tuple[pd.DatetimeIndex, str, str]:
    # Parsed strictly: a date column with a typo or an empty cell is reported, not ignored.
    parse = _parse_stacked if stacked else parse_dates
    dates = parse(frame[column], f"column '{column}'", date_format)
    return dates.rename(column), f"column '{column}'", column
