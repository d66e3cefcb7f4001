"""Reading a user's series from a file or a pandas object into a DataFrame.

:func:`read_table` turns a CSV / TSV / Parquet file, a DataFrame or a Series
into a new DataFrame whose index holds the dates (or integer positions when
the data has no dates). Which column holds the dates, and how they read, is
:mod:`seqcast.data.dates`' business; checking that the columns can be
forecast is :mod:`seqcast.data.series`'.

Every problem the user can fix is raised as :class:`~seqcast.errors.SeqcastError`
with one sentence that names the file / column and says what to do; pandas'
own errors are cut to their first sentence (:func:`~seqcast.data.dates.short_reason`).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import listing
from seqcast.data.dates import (
    DATE_COLUMN_NAMES,
    holds_dates,
    looks_like_dates,
    parse_dates,
    short_reason,
    try_dates,
)
from seqcast.data.one_series import check_not_long_format, check_one_series_index
from seqcast.data.sniff import (
    SEPARATOR_NAMES,
    SEPARATORS,
    CsvFormat,
    checked_format,
    numbers_with_thousands,
    sep_name,
    sniff_file,
)
from seqcast.errors import SeqcastError

__all__ = [
    "DATES_ATTR",
    "NO_DATES",
    "index_by_date",
    "load_table",
    "read_hint",
    "read_notes",
    "read_table",
]

_READ = "seqcast.read"  # the DataFrame.attrs key of how a text file was read

# read_table's result says in attrs[DATES_ATTR] where its dates came from ("column 'Datum'",
# "the index"), or NO_DATES when it looked for them and found none (the index counts steps):
# the command line tells the user, the library prints nothing.
DATES_ATTR = "seqcast_dates"
NO_DATES = "none found"

_CSV_SUFFIXES = {".csv": ",", ".txt": ",", ".tsv": "\t"}
_PARQUET_SUFFIXES = (".parquet", ".pq")
_KNOWN_TYPES = ".csv, .tsv, .txt (optionally .gz) or .parquet, .pq"


def read_table(
    source: str | os.PathLike | pd.DataFrame | pd.Series,
    *,
    date_column: str | None = None,
    date_format: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Read ``source`` into a new DataFrame indexed by date (or by position when undated).

    ``source`` is a path to a CSV (``.csv``, ``.txt``, ``.tsv`` tab-separated, each
    optionally ``.gz``) or Parquet (``.parquet``, ``.pq``) file, or a DataFrame or
    Series (a Series becomes one column named after it, or ``"value"``). The
    caller's object is never modified.

    The dates are, in this order: the ``date_column`` if given; the existing
    DatetimeIndex (or PeriodIndex) of a pandas object; the one column named
    like a date (``date``, ``ds``, ``time``, ``month``...) whose values mostly
    parse as dates, or whose text all reads as dates whatever its name
    (``order_date``, ``Datum``, ``Fecha``; numbers are dates only in a column
    named like one). Otherwise the index counts positions (0, 1, 2...), which
    is fine: forecasts are then labelled by step, and ``attrs["seqcast_dates"]``
    of the result says ``"none found"`` (else where the dates came from) so
    that a caller can tell the user.

    Day and month are read in the order the whole column shows (``13/01/2023``
    is day-first); a column that reads evenly spaced both ways (``01/01/2023``
    ... ``01/12/2023``: monthly day-first, daily month-first) is refused unless
    ``date_format``, a strptime format passed to pandas (``"%d/%m/%Y"``), says
    how. Dates written with several UTC offsets (``+01:00`` and ``+02:00``
    across a daylight-saving change) become one time line in UTC, labelled in
    the offset of the latest date: forecasts are written with that offset, and
    a daylight-saving change inside the horizon is not anticipated.

    One series is read at a time: an index of several levels (store, date),
    or dates that repeat once per value of a text column (long format), is
    refused with the way to read them as a panel
    (:func:`~seqcast.data.panel.read_panel`) or to pick one series.

    A text file's separator (``,`` ``;`` tab ``|``) and decimal mark (``,``
    when the separator is not a comma and the numbers read like ``12,5``) are
    found from its first lines unless ``sep`` / ``decimal`` say them; numbers
    with thousands separators (``1.234,5``) are read as numbers. The file is
    UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; one that
    is not UTF-8 is read as Windows-1252, with a note (:func:`read_notes`).

    >>> frame = pd.DataFrame({"Date": ["2020-01-01", "2020-01-02"], "sales": [3, 4]})
    >>> table = read_table(frame)
    >>> table.index.name, table.columns.tolist(), str(table.index[1].date())
    ('Date', ['sales'], '2020-01-02')
    >>> table = read_table(pd.DataFrame({"Datum": ["30.01.2024", "31.01.2024"], "y": [1, 2]}))
    >>> table.index.name, str(table.index[0].date()), table.attrs["seqcast_dates"]
    ('Datum', '2024-01-30', "column 'Datum'")
    >>> read_table(pd.Series([1.0, 2.0])).columns.tolist()
    ['value']
    """
    frame = load_table(source, sep=sep, decimal=decimal)
    return index_by_date(frame, date_column=date_column, date_format=date_format)


def load_table(
    source: str | os.PathLike | pd.DataFrame | pd.Series,
    *,
    sep: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """``source`` as a new DataFrame, its column names as text; its index not yet read.

    The first half of :func:`read_table`, for readers of several series
    (:func:`seqcast.data.panel.read_panel`) that must find the series' ids (a
    column, an index level) before the dates.

    >>> load_table(pd.Series([1.0, 2.0], name=7)).columns.tolist()
    ['7']
    """
    if isinstance(source, pd.Series):
        name = "value" if source.name is None else str(source.name)
        frame = source.to_frame(name=name)  # to_frame copies the values
    elif isinstance(source, pd.DataFrame):
        frame = source.copy(deep=True)
    elif isinstance(source, (str, os.PathLike)):
        sep, decimal = checked_format(sep, decimal)
        frame = _read_file(Path(os.fspath(source)), sep=sep, decimal=decimal)
    else:
        raise SeqcastError(
            f"cannot read a {type(source).__name__} as a series; "
            "give a path to a CSV or Parquet file, or a pandas DataFrame or Series"
        )
    if frame.shape[1] == 0:
        raise SeqcastError("the data has no columns; give at least one column of numbers")
    if isinstance(frame.columns, pd.MultiIndex):
        raise SeqcastError(
            "the data has several levels of column names; flatten them first "
            "(df.columns = ['_'.join(map(str, c)) for c in df.columns])"
        )
    # Everything downstream (messages, --target) speaks of columns by name, as text.
    frame.columns = [str(column) for column in frame.columns]
    return frame


def index_by_date(
    frame: pd.DataFrame,
    *,
    date_column: str | None = None,
    date_format: str | None = None,
    stacked: bool = False,
) -> pd.DataFrame:
    """``frame`` (from :func:`load_table`, modified in place) indexed by its dates or positions.

    The second half of :func:`read_table`, which documents how the dates are
    found. With ``stacked``, the rows hold several series whose ids the caller
    has taken out: dates may repeat (once per series) and are not refused as
    a long-format table.

    >>> frame = pd.DataFrame({"date": ["2020-01-01", "2020-01-01"], "y": [1, 2]})
    >>> index_by_date(frame, stacked=True).index.tolist()
    [Timestamp('2020-01-01 00:00:00'), Timestamp('2020-01-01 00:00:00')]
    """
    return _set_date_index(frame, date_column, date_format, stacked)


def _read_file(path: Path, *, sep: str | None, decimal: str | None) -> pd.DataFrame:
    shown = str(path)
    if not path.exists():
        raise SeqcastError(f"there is no file '{shown}'; check the path and the current folder")
    if path.is_dir():
        raise SeqcastError(
            f"'{shown}' is a folder, not a file; give the path of a CSV or Parquet file"
        )
    if path.stat().st_size == 0:
        raise SeqcastError(f"the file '{shown}' is empty; give a file with a header row and data")

    name = path.name.lower()
    compressed = name.endswith(".gz")
    suffix = Path(name[:-3] if compressed else name).suffix
    if suffix in _PARQUET_SUFFIXES and not compressed:
        frame = _read_parquet(path)
    elif suffix in _CSV_SUFFIXES:
        frame = _read_csv(path, sep=sep, decimal=decimal, default_sep=_CSV_SUFFIXES[suffix])
    else:
        raise SeqcastError(
            f"cannot tell the format of '{shown}' from its name; "
            f"save it as {_KNOWN_TYPES}, or load it with pandas and pass the DataFrame"
        )
    if len(frame) == 0:
        raise SeqcastError(
            f"the file '{shown}' has no data rows; give a file with data under the header"
        )
    return frame


def _read_csv(
    path: Path, *, sep: str | None, decimal: str | None, default_sep: str
) -> pd.DataFrame:
    kind = "tab-separated text" if default_sep == "\t" else "CSV"
    notes = []
    try:
        found = sniff_file(path, sep=sep, decimal=decimal, default_sep=default_sep)
        try:
            frame = pd.read_csv(path, sep=found.sep, decimal=found.decimal, encoding=found.encoding)
        except UnicodeDecodeError:
            if found.encoding != "utf-8-sig":
                raise
            # Excel's "CSV" on Windows and many older tools write Windows-1252 (or Latin-1).
            frame = pd.read_csv(path, sep=found.sep, decimal=found.decimal, encoding="cp1252")
            found = CsvFormat(found.sep, found.decimal, "cp1252")
            notes.append(
                f"'{path}' is not UTF-8: read it as Windows-1252 (cp1252); if names or "
                "accents look wrong, save the file as CSV UTF-8"
            )
    except pd.errors.EmptyDataError as err:
        raise SeqcastError(
            f"the file '{path}' holds no columns; give a file with a header row"
        ) from err
    # ParserError and UnicodeDecodeError are ValueErrors; a broken .gz raises OSError, EOFError
    # or zlib.error depending on where it breaks.
    except (ValueError, OSError, EOFError, zlib.error) as err:
        raise SeqcastError(
            f"cannot read '{path}' as {kind}: {short_reason(err)}; check that the file is {kind}"
            + ("" if sep else " (or give its separator with sep= / --sep)")
        ) from err
    frame = numbers_with_thousands(frame, found.decimal)
    # Kept for messages that list the columns (read_hint) and for the notes a command prints.
    frame.attrs[_READ] = {"sep": found.sep, "decimal": found.decimal, "notes": notes}
    return frame


def read_notes(frame: pd.DataFrame) -> list[str]:
    """What reading ``frame`` from a file had to guess that a user should know (the encoding)."""
    return list(frame.attrs.get(_READ, {}).get("notes", []))


def read_hint(frame: pd.DataFrame) -> str:
    """For messages that list the columns: the separator a file was read with, and the fix.

    Empty for a frame that was not read from a text file. When the only column's
    name holds another separator, the file was split at the wrong one.

    >>> frame = pd.DataFrame({"date;sales": ["2020-01-01;1"]})
    >>> frame.attrs["seqcast.read"] = {"sep": ",", "decimal": "."}
    >>> read_hint(frame)
    " (read with separator ','; give --sep ';' if the file uses semicolons)"
    """
    found = frame.attrs.get(_READ)
    if not found:
        return ""
    sep = found["sep"]
    hint = f" (read with separator '{sep_name(sep)}'"
    names = [str(column) for column in frame.columns]
    for other in SEPARATORS:
        if other != sep and len(names) == 1 and other in names[0]:
            hint += f"; give --sep '{sep_name(other)}' if the file uses {SEPARATOR_NAMES[other]}"
            break
    return hint + ")"


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401  (pandas' Parquet engine)
    except ImportError as err:  # pragma: no cover - pyarrow is a dependency
        raise SeqcastError(
            "reading Parquet needs pyarrow; install it (pip install pyarrow)"
        ) from err
    from pyarrow import ArrowException

    try:
        return pd.read_parquet(path)
    except (ArrowException, ValueError, OSError, TypeError) as err:
        raise SeqcastError(
            f"cannot read '{path}' as Parquet: {short_reason(err)}; "
            "check that the file is a Parquet file"
        ) from err


def _set_date_index(
    frame: pd.DataFrame, date_column: str | None, date_format: str | None, stacked: bool = False
) -> pd.DataFrame:
    if not stacked:
        check_one_series_index(frame.index)
    if date_column is not None:
        date_column = str(date_column)
        if date_column in frame.columns:
            return _dated_by_column(frame, date_column, date_format, stacked)
        if frame.index.name is not None and str(frame.index.name) == date_column:
            # A pandas user's frame may already have the dates as its (named) index.
            dates = parse_dates(frame.index.to_series(), "the index", date_format)
            return _dated(frame, dates.rename(date_column), "the index", stacked)
        raise SeqcastError(
            f"unknown column '{date_column}' for date_column / --date-column; "
            f"the columns are: {listing(frame.columns, limit=12)}"
        )

    if isinstance(frame.index, pd.PeriodIndex):
        # periods → their start dates, freq kept
        return _dated(frame, frame.index.to_timestamp(), "the index", stacked)
    if isinstance(frame.index, pd.DatetimeIndex):
        return _dated(frame, frame.index, "the index", stacked)

    found = _date_columns(frame, date_format, stacked)
    if len(found) > 1:
        raise SeqcastError(
            f"several columns look like dates ({listing(found, limit=12)}); "
            "choose one with date_column=... / --date-column"
        )
    if found:
        return _dated_by_column(frame, found[0], date_format, stacked)
    if date_format is not None:
        _check_date_format_reads(frame, date_format)
        raise SeqcastError(
            f"no column holds dates written as {date_format!r}; give the format the dates "
            "are written in, or name their column with date_column=... / --date-column"
        )

    frame.attrs[DATES_ATTR] = NO_DATES
    if ptypes.is_integer_dtype(frame.index.dtype):
        # Integer step labels, a slice's (RangeIndex(355, 1001)) included, are the
        # user's own: kept, so that starts and forecasts are said in the same steps.
        return frame
    # Text labels that all read as dates (try_dates leaves anything but text alone).
    dates = try_dates(frame.index.to_series(), "the index", date_format)
    if dates is not None:
        return _dated(frame, dates.rename(frame.index.name), "the index", stacked)
    return frame.reset_index(drop=True)


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


def _dated_by_column(
    frame: pd.DataFrame, column: str, date_format: str | None, stacked: bool
) -> pd.DataFrame:
    # Parsed strictly: a date column with a typo or an empty cell is reported, not ignored.
    parse = _parse_stacked if stacked else parse_dates
    dates = parse(frame[column], f"column '{column}'", date_format)
    return _dated(frame.drop(columns=column), dates.rename(column), f"column '{column}'", stacked)


def _dated(
    frame: pd.DataFrame, dates: pd.DatetimeIndex, source: str, stacked: bool
) -> pd.DataFrame:
    frame.index = dates
    if dates.has_duplicates and not stacked:
        check_not_long_format(frame)
    frame.attrs[DATES_ATTR] = source
    return frame
