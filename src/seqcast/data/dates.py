"""Dates: finding them in a table, reading them, and what their spacing says.

What the other data modules ask about dates and steps lives here:

* the detection and parsing of a date column (:func:`looks_like_dates` for a
  column named like a date, :func:`holds_dates` for one of any name,
  :func:`try_dates`, :func:`parse_dates`; whole numbers such as 1700 read as
  years; a ``date_format`` the user gives), which
  :func:`seqcast.data.read.read_table` uses to set the index. How text reads
  as dates (day or month first, several UTC offsets) is
  :mod:`seqcast.data.date_text`;
* index labels as messages write them and as users give them
  (:func:`label`, :func:`parse_label`, :func:`label_position`).

How the dates are spaced (their frequency, gaps) is :mod:`seqcast.data.frequency`.

>>> index = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"])
>>> label(index[-1]), label_position(index, "2020-01-15", "start")
('2020-03-01', 1)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.data.date_text import (
    NUMERIC_DATE,
    non_blank,
    text_dates,
    to_datetime,
)
from seqcast.errors import SeqcastError

__all__ = [
    "DATE_COLUMN_NAMES",
    "holds_dates",
    "label",
    "label_position",
    "looks_like_dates",
    "parse_dates",
    "parse_label",
    "row_label",
    "short_reason",
    "try_dates",
]

# Column names that mean "the dates" when the user does not say which column holds them.
DATE_COLUMN_NAMES = frozenset(
    {"date", "ds", "datetime", "timestamp", "time", "month", "week", "day", "period"}
)


# ------------------------------------------------------------------------- detecting, parsing

# Text that reads as a number (12, 2023, 1.5, 1,5): a count, not a date, unless named like one.
_NUMBER = r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$"
# How many values a column's first look reads before the whole column is parsed.
_SAMPLE = 20


def _is_text(values: pd.Series | pd.Index) -> bool:
    return ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)


def looks_like_dates(
    values: pd.Series, what: str = "the dates", date_format: str | None = None
) -> bool:
    """Whether a column is meant as the dates: datetimes, or text that mostly parses as dates.

    With ``date_format``, whole numbers written in it (20240131 for ``%Y%m%d``) count too.
    Raises a SeqcastError when the text reads as dates two ways (day or month first).
    """
    if ptypes.is_datetime64_any_dtype(values.dtype):
        return True
    if date_format is not None and ptypes.is_integer_dtype(values.dtype):
        values = values.astype("string")
    if not _is_text(values):
        return False  # numbers named "month" or "day" are more likely counts than dates
    text = non_blank(values)
    if text.empty:
        return False
    try:
        parsed = text_dates(text, what, date_format)
    except SeqcastError:
        raise
    except (ValueError, TypeError, OverflowError):
        return False
    return bool(parsed.notna().mean() >= 0.8)


def try_dates(
    values: pd.Series, what: str = "the index", date_format: str | None = None
) -> pd.DatetimeIndex | None:
    """``values`` as dates if every non-empty one is text (or a datetime) that parses; else None.

    Raises a SeqcastError when the text reads as dates two ways (day or month first).
    """
    if ptypes.is_datetime64_any_dtype(values.dtype):
        return pd.DatetimeIndex(values)
    if not _is_text(values) or values.isna().all():
        return None  # numbers named "month" or "day" are more likely counts than dates
    try:
        # A first look at a few values, in either order of day and month, spares parsing a
        # long column of names one by one.
        head = values.head(_SAMPLE)
        orders = (False,) if date_format else (False, True)
        readable = [to_datetime(head, dayfirst=o, date_format=date_format) for o in orders]
        if not np.logical_or.reduce([dates.notna().to_numpy() for dates in readable]).all():
            return None
        parsed = text_dates(values, what, date_format)
    except SeqcastError:
        raise
    except (ValueError, TypeError, OverflowError):
        return None
    if parsed.isna().any():
        return None
    return pd.DatetimeIndex(parsed)


def holds_dates(values: pd.Series, what: str, date_format: str | None = None) -> bool:
    """Whether a column of any name is the dates by its values: datetimes, or text all dates.

    Text that reads as numbers (``12``, ``2023``, ``1,5``) is not taken for dates here:
    only a column named like a date (:data:`DATE_COLUMN_NAMES`) may hold dates so written.

    >>> holds_dates(pd.Series(["31.01.2024", "01.02.2024"]), "column 'Datum'")
    True
    >>> holds_dates(pd.Series(["1,5", "2,25"]), "column 'price'")
    False
    """
    if ptypes.is_datetime64_any_dtype(values.dtype):
        return True
    if not _is_text(values):
        return False
    text = non_blank(values)
    # pandas reads "1,5" as a date in year 1, and "Mon" or "12-5" as days of this year: a date
    # found by its value has a year (2023-01-31, Jan 31 2023) or is written 31/01/23.
    dated = text.str.contains(r"\d{4}") | text.str.match(NUMERIC_DATE)
    if text.empty or text.str.match(_NUMBER).any() or not dated.all():
        return False
    return try_dates(values, what, date_format) is not None


def parse_dates(values: pd.Series, what: str, date_format: str | None = None) -> pd.DatetimeIndex:
    """Parse a column chosen as the dates, explaining the first value that is not one.

    ``date_format`` is a strptime format (``"%d.%m.%Y"``) passed to pandas;
    without it, the order of day and month is read from the whole column.
    """
    if ptypes.is_datetime64_any_dtype(values.dtype):
        dates = pd.DatetimeIndex(values)
    elif date_format is not None:
        dates = _formatted(values, what, date_format)
    elif ptypes.is_numeric_dtype(values.dtype) and not ptypes.is_bool_dtype(values.dtype):
        dates = _years(values, what)
    else:
        try:
            dates = pd.DatetimeIndex(text_dates(values, what))
        except SeqcastError:
            raise
        except (ValueError, TypeError, OverflowError) as err:
            raise SeqcastError(
                f"cannot read {what} as dates: {short_reason(err)}; "
                "write every date in one format and time zone, such as 2020-01-31"
            ) from err
        bad = dates.isna() & ~_blank(values)
        if bad.any():
            pos = int(np.argmax(bad))
            raise SeqcastError(
                f"{what} holds a value that is not a date: {values.iloc[pos]!r} in row {pos + 1}; "
                "fix it, or write every date in one format such as 2020-01-31"
            )
    if dates.isna().any():
        pos = int(np.argmax(dates.isna()))
        raise SeqcastError(
            f"{what} has an empty date in row {pos + 1}; fill it in or drop that row"
        )
    return dates


def _blank(values: pd.Series) -> np.ndarray:
    blank = values.isna().to_numpy(dtype=bool)
    if _is_text(values):
        blank = blank | values.astype(str).str.strip().eq("").to_numpy(dtype=bool)
    return blank


def _formatted(values: pd.Series, what: str, date_format: str) -> pd.DatetimeIndex:
    """``values`` read with the user's strptime format; the first value it does not read, named."""
    if ptypes.is_integer_dtype(values.dtype):
        values = values.astype("string")  # 20240131 with %Y%m%d
    try:
        dates = pd.DatetimeIndex(to_datetime(values, date_format=date_format))
    except (ValueError, TypeError, OverflowError) as err:
        raise SeqcastError(
            f"the date format {date_format!r} cannot be used: {short_reason(err)}; "
            "write it with strptime codes, such as %d/%m/%Y for 31/01/2024"
        ) from err
    bad = dates.isna() & ~_blank(values)
    if bad.any():
        pos = int(np.argmax(bad))
        raise SeqcastError(
            f"the date format {date_format!r} does not read {values.iloc[pos]!r} "
            f"(row {pos + 1} of {what}); give the format the dates are written in, "
            "such as %d/%m/%Y for 31/01/2024"
        )
    return dates


def _years(values: pd.Series, what: str) -> pd.DatetimeIndex:
    """Whole numbers like 1700 or 1700.0 as the start of those years; other numbers are refused."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    known = numbers[~np.isnan(numbers)]
    if len(known) and np.all(known == np.round(known)) and known.min() >= 1 and known.max() <= 9999:
        text = pd.Series(numbers).map(lambda y: "" if np.isnan(y) else f"{int(y):04d}")
        try:
            return pd.DatetimeIndex(pd.to_datetime(text, format="%Y", errors="coerce"))
        except (ValueError, OverflowError) as err:  # years beyond what pandas can hold
            raise SeqcastError(
                f"cannot read {what} as years: {short_reason(err)}; give dates pandas can hold"
            ) from err
    example = known[0] if len(known) else float("nan")
    raise SeqcastError(
        f"{what} holds numbers such as {example:g}, not dates; "
        "write the dates as text such as 2020-01-31, or leave out the date column to count steps"
    )


def short_reason(err: BaseException) -> str:
    """The first line of an exception's message, short enough to sit inside a sentence.

    The reader of files (:mod:`seqcast.data.read`) reports pandas' and pyarrow's
    errors with it too, so it lives here, below both.

    >>> short_reason(ValueError("Error tokenizing data. C error: Expected 2 fields. Try x"))
    'Expected 2 fields'
    """
    # pandas' CSV parser prefixes the useful part ("Expected 2 fields in line 3, saw 4").
    message = str(err).replace("Error tokenizing data. C error: ", "")
    lines = message.strip().splitlines()
    # Only the first sentence: later ones tend to suggest pandas arguments the user cannot pass.
    text = lines[0].strip().split(". ")[0] if lines else type(err).__name__
    text = text.rstrip(".;")
    return text if len(text) <= 160 else text[:157] + "..."


# ------------------------------------------------------------------------------------ labels


def label(value: Any) -> str:
    """An index label as messages write it: a date without its midnight time, a step as it is.

    >>> label(pd.Timestamp("2020-01-31")), label(pd.Timestamp("2020-01-31 06:00")), label(12)
    ('2020-01-31', '2020-01-31 06:00:00', '12')
    """
    if isinstance(value, pd.Timestamp):
        if value == value.normalize():
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    return str(value)


def row_label(index: pd.Index, pos: int) -> str:
    """Row ``pos`` as a message names it: its date, or its row number (counting from 1).

    >>> row_label(pd.DatetimeIndex(["2024-01-31"]), 0), row_label(pd.RangeIndex(3), 2)
    ('2024-01-31', 'row 3')
    """
    if isinstance(index, pd.DatetimeIndex):
        return label(index[pos])
    return f"row {pos + 1}"


def parse_label(index: pd.Index, value: Any, what: str) -> pd.Timestamp | int:
    """``value`` (a date such as "2019-01-01", or a step) as a label of ``index``'s kind.

    ``what`` names the argument in the message when ``value`` is not one.

    >>> parse_label(pd.date_range("2020-01-01", periods=3), "2020-01-02", "start")
    Timestamp('2020-01-02 00:00:00')
    >>> parse_label(pd.RangeIndex(10), "4", "start")
    4
    """
    if isinstance(index, pd.DatetimeIndex):
        try:
            stamp = value if isinstance(value, pd.Timestamp) else pd.Timestamp(str(value))
        except (ValueError, TypeError):
            raise SeqcastError(
                f"{what} {value!r} is not a date; write it like 2019-01-01"
            ) from None
        # A date without an offset means the data's own time (its offset, or its local time).
        if index.tz is not None and stamp.tz is None:
            return stamp.tz_localize(index.tz)
        if index.tz is None and stamp.tz is not None:
            return stamp.tz_localize(None)
        return stamp
    try:
        return int(value)
    except (ValueError, TypeError):
        raise SeqcastError(
            f"{what} {value!r} is not a step number, and the data has no dates"
        ) from None


def label_position(index: pd.Index, value: Any, what: str) -> int:
    """The position of the first label of ``index`` at or after ``value`` (a date or a step).

    >>> label_position(pd.RangeIndex(0, 20, 5), 7, "valid")
    2
    """
    position = int(index.searchsorted(parse_label(index, value, what)))
    if position >= len(index):
        raise SeqcastError(
            f"{what} {value} is after the last point of the data ({index[-1]}); choose an "
            "earlier one"
        )
    return position
