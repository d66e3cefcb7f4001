"""Dates: finding them in a table, reading them, and what their spacing says.

What the other data modules ask about dates and steps lives here:

* the detection and parsing of a date column (:func:`looks_like_dates`,
  :func:`try_dates`, :func:`parse_dates`; whole numbers such as 1700 read as
  years), which :func:`seqcast.data.read.read_table` uses to set the index;
* index labels as messages write them and as users give them
  (:func:`label`, :func:`parse_label`, :func:`label_position`).

How the dates are spaced (their frequency, gaps) is :mod:`seqcast.data.frequency`.

>>> index = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"])
>>> label(index[-1]), label_position(index, "2020-01-15", "start")
('2020-03-01', 1)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.errors import SeqcastError

__all__ = [
    "DATE_COLUMN_NAMES",
    "label",
    "label_position",
    "looks_like_dates",
    "parse_dates",
    "parse_label",
    "short_reason",
    "try_dates",
]

# Column names that mean "the dates" when the user does not say which column holds them.
DATE_COLUMN_NAMES = frozenset(
    {"date", "ds", "datetime", "timestamp", "time", "month", "week", "day", "period"}
)


# ------------------------------------------------------------------------- detecting, parsing


def _is_text(values: pd.Series | pd.Index) -> bool:
    return ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)


def _to_datetime(values: pd.Series) -> pd.Series:
    with warnings.catch_warnings():
        # "Could not infer format..." is pandas thinking aloud; the result is checked below.
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(values, errors="coerce")


def looks_like_dates(values: pd.Series) -> bool:
    """Whether a column is meant as the dates: datetimes, or text that mostly parses as dates."""
    if ptypes.is_datetime64_any_dtype(values.dtype):
        return True
    if not _is_text(values):
        return False  # numbers named "month" or "day" are more likely counts than dates
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    if text.empty:
        return False
    try:
        parsed = _to_datetime(text)
    except (ValueError, TypeError, OverflowError):
        return False
    return bool(parsed.notna().mean() >= 0.8)


def try_dates(values: pd.Series) -> pd.DatetimeIndex | None:
    """``values`` as dates if every non-empty one is text (or a datetime) that parses; else None."""
    if ptypes.is_datetime64_any_dtype(values.dtype):
        return pd.DatetimeIndex(values)
    if not _is_text(values) or values.isna().all():
        return None  # numbers named "month" or "day" are more likely counts than dates
    try:
        parsed = _to_datetime(values)
    except (ValueError, TypeError, OverflowError):
        return None
    if parsed.isna().any():
        return None
    return pd.DatetimeIndex(parsed)


def parse_dates(values: pd.Series, what: str) -> pd.DatetimeIndex:
    """Parse a column the user named as the dates, explaining the first value that is not one."""
    if ptypes.is_datetime64_any_dtype(values.dtype):
        dates = pd.DatetimeIndex(values)
    elif ptypes.is_numeric_dtype(values.dtype) and not ptypes.is_bool_dtype(values.dtype):
        dates = _years(values, what)
    else:
        try:
            dates = pd.DatetimeIndex(_to_datetime(values))
        except (ValueError, TypeError, OverflowError) as err:
            raise SeqcastError(
                f"cannot read {what} as dates: {short_reason(err)}; "
                "write every date in one format and time zone, such as 2020-01-31"
            ) from err
        blank = values.isna().to_numpy(dtype=bool)
        if _is_text(values):
            blank = blank | values.astype(str).str.strip().eq("").to_numpy(dtype=bool)
        bad = dates.isna() & ~blank
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
            return value if isinstance(value, pd.Timestamp) else pd.Timestamp(str(value))
        except (ValueError, TypeError):
            raise SeqcastError(
                f"{what} {value!r} is not a date; write it like 2019-01-01"
            ) from None
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
