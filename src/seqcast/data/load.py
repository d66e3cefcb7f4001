"""Loading a table: a CSV / TSV / Parquet file, a DataFrame or a Series, as a new DataFrame.

The first stage of reading (:mod:`seqcast.data.read` for one series,
:mod:`seqcast.data.panel` for many): :func:`load_table` returns the data as a
new DataFrame whose column names are text, its index not yet read (which
column holds the dates is :mod:`seqcast.data.date_index`'s business). A text
file's separator, decimal mark and encoding are sniffed
(:mod:`seqcast.data.sniff`), and what was guessed is kept with the table for
the messages that list its columns (:func:`read_hint`) and for the notes a
command prints (:func:`read_notes`).

Every problem the user can fix is raised as :class:`~seqcast.errors.SeqcastError`
with one sentence that names the file and says what to do; pandas' own errors
are cut to their first sentence (:func:`~seqcast.data.dates.short_reason`).

>>> load_table(pd.DataFrame({"date": ["2020-01-01"], 7: [1.0]})).columns.tolist()
['date', '7']
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.data.dates import short_reason
from seqcast.data.file_kind import WORKBOOK_SUFFIXES, file_head, not_a_table, workbook_message
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

__all__ = ["check_some_columns", "load_table", "read_hint", "read_notes"]

READ_ATTR = "seqcast.read"  # the DataFrame.attrs key of how a text file was read

_CSV_SUFFIXES = {".csv": ",", ".txt": ",", ".tsv": "\t"}
_PARQUET_SUFFIXES = (".parquet", ".pq")
_KNOWN_TYPES = ".csv, .tsv, .txt (optionally .gz) or .parquet, .pq"
_ROW_NUMBERS = "Unnamed: 0"  # how pandas reads the header of the index df.to_csv() writes


def load_table(
    source: str | os.PathLike | pd.DataFrame | pd.Series,
    *,
    sep: str | None = None,
    decimal: str | None = None,
    text: Collection[str] = (),
) -> pd.DataFrame:
    """``source`` as a new DataFrame, its column names as text; its index not yet read.

    The first half of :func:`~seqcast.data.read.read_table`, and the first step
    of :func:`~seqcast.data.panel.read_panel`, which must find the series' ids
    (a column, an index level) before the dates. The columns named in ``text``
    are read from a text file as written, not as numbers: ids are labels, and
    ``001`` must stay ``001``. The row numbers pandas writes beside the data
    (:func:`drop_row_numbers`) are left out.

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
        frame = _read_file(Path(os.fspath(source)), sep=sep, decimal=decimal, text=text)
    else:
        raise SeqcastError(
            f"cannot read a {type(source).__name__} as a series; "
            "give a path to a CSV or Parquet file, or a pandas DataFrame or Series"
        )
    check_some_columns(frame)
    if isinstance(frame.columns, pd.MultiIndex):
        raise SeqcastError(
            "the data has several levels of column names; flatten them first "
            "(df.columns = ['_'.join(map(str, c)) for c in df.columns])"
        )
    # Everything downstream (messages, --target) speaks of columns by name, as text.
    frame.columns = [str(column) for column in frame.columns]
    return drop_row_numbers(frame)


def drop_row_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the row numbers ``df.to_csv()`` writes first: ``Unnamed: 0``, 0 to n - 1.

    They number the rows, they are no data: not a covariate, not a target. A
    column of that name holding anything else is kept.

    >>> frame = pd.DataFrame({"Unnamed: 0": [0, 1, 2], "sales": [5.0, 6.0, 7.0]})
    >>> drop_row_numbers(frame).columns.tolist()
    ['sales']
    >>> drop_row_numbers(frame.assign(**{"Unnamed: 0": [3, 1, 2]})).columns.tolist()
    ['Unnamed: 0', 'sales']
    """
    if frame.shape[1] < 2 or frame.columns[0] != _ROW_NUMBERS:
        return frame
    numbers = frame[_ROW_NUMBERS]
    if not ptypes.is_integer_dtype(numbers.dtype) or not np.array_equal(
        numbers.to_numpy(), np.arange(len(frame))
    ):
        return frame
    frame = frame.drop(columns=_ROW_NUMBERS)
    found = frame.attrs.get(READ_ATTR)
    if found:  # a file's: said with its other notes
        found["notes"].append(
            f"left out column '{_ROW_NUMBERS}', the row numbers df.to_csv() writes"
        )
    return frame


def check_some_columns(frame: pd.DataFrame) -> None:
    """Refuse a table without columns (a file of dates alone has none left once they are read)."""
    if frame.shape[1] == 0:
        raise SeqcastError("the data has no columns; give at least one column of numbers")


def _read_file(
    path: Path, *, sep: str | None, decimal: str | None, text: Collection[str]
) -> pd.DataFrame:
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
    if suffix in WORKBOOK_SUFFIXES:
        raise SeqcastError(workbook_message(path))
    if not (suffix in _PARQUET_SUFFIXES and not compressed):
        # An image or an archive read as text fails on a codec ('charmap'): say what it is.
        problem = not_a_table(path, file_head(path))
        if problem:
            raise SeqcastError(problem)
    if suffix in _PARQUET_SUFFIXES and not compressed:
        frame = _read_parquet(path)
    elif suffix in _CSV_SUFFIXES:
        frame = _read_csv(
            path, sep=sep, decimal=decimal, default_sep=_CSV_SUFFIXES[suffix], text=text
        )
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
    path: Path, *, sep: str | None, decimal: str | None, default_sep: str, text: Collection[str]
) -> pd.DataFrame:
    kind = "tab-separated text" if default_sep == "\t" else "CSV"
    notes = []
    as_written = {name: str for name in text}  # a name the file lacks is left alone
    try:
        found = sniff_file(path, sep=sep, decimal=decimal, default_sep=default_sep)
        read = {"sep": found.sep, "decimal": found.decimal, "dtype": as_written}
        try:
            frame = pd.read_csv(path, encoding=found.encoding, **read)
        except UnicodeDecodeError:
            if found.encoding != "utf-8-sig":
                raise
            # Excel's "CSV" on Windows and many older tools write Windows-1252 (or Latin-1).
            frame = pd.read_csv(path, encoding="cp1252", **read)
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
    frame = numbers_with_thousands(frame, found.decimal, keep=tuple(as_written))
    # Kept for messages that list the columns (read_hint) and for the notes a command prints.
    frame.attrs[READ_ATTR] = {"sep": found.sep, "decimal": found.decimal, "notes": notes}
    return frame


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


def read_notes(frame: pd.DataFrame) -> list[str]:
    """What reading ``frame`` from a file had to guess that a user should know (the encoding)."""
    return list(frame.attrs.get(READ_ATTR, {}).get("notes", []))


def read_hint(frame: pd.DataFrame) -> str:
    """For messages that list the columns: the separator a file was read with, and the fix.

    Empty for a frame that was not read from a text file. When the only column's
    name holds another separator, the file was split at the wrong one.

    >>> frame = pd.DataFrame({"date;sales": ["2020-01-01;1"]})
    >>> frame.attrs["seqcast.read"] = {"sep": ",", "decimal": "."}
    >>> read_hint(frame)
    " (read with separator ','; give --sep ';' if the file uses semicolons)"
    """
    found = frame.attrs.get(READ_ATTR)
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
