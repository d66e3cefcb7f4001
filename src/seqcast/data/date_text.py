"""Dates in a table: finding the column that holds them, and reading its text as dates.

Below :mod:`seqcast.data.date_index` (which sets a table's index to its dates),
this module answers every question about a column of dates:

* whether a column is the dates (:func:`looks_like_dates` for a column named
  like a date, :func:`holds_dates` for one of any name, :func:`try_dates`),
  and its dates read strictly (:func:`parse_dates`, naming the first value
  that is not one; whole numbers such as 1700 read as years; a
  ``date_format`` the user gives);
* numbers-only dates (``03/04/2023``, ``3.4.23``) are read day-first or
  month-first as the whole column shows (:func:`day_first`): a first number
  above 12 proves day-first, a second one month-first; when neither does, the
  reading whose dates are evenly spaced wins, and a column evenly spaced both
  ways is refused with the ``--date-format`` that settles it;
* dates written with several UTC offsets (``+01:00``/``+02:00`` across a
  daylight-saving change) become one time line (:func:`to_datetime`).

>>> dates = text_dates(pd.Series(["11/01/2023", "12/01/2023", "13/01/2023"]), "column 'date'")
>>> dates.dt.month.tolist(), dates.dt.day.tolist()
([1, 1, 1], [11, 12, 13])
"""

from __future__ import annotations

import datetime
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.data.dates import NUMERIC_DATE, short_reason
from seqcast.errors import SeqcastError

__all__ = [
    "DATE_COLUMN_NAMES",
    "NUMERIC_DATE",
    "day_first",
    "frequency_of",
    "holds_dates",
    "looks_like_dates",
    "non_blank",
    "parse_dates",
    "text_dates",
    "to_datetime",
    "try_dates",
    "written_day_first",
]

# A UTC offset ending a date-time: Z, +01:00, -0500.
_OFFSET = re.compile(r"(Z|([+-])(\d{2}):?(\d{2}))\s*$")


def non_blank(values: pd.Series) -> pd.Series:
    """The values as stripped text, without the missing and empty ones."""
    text = values.dropna().astype(str).str.strip()
    return text[text != ""]


def _shown(day: pd.Timestamp) -> str:
    return day.strftime("%Y-%m-%d") if day == day.normalize() else day.isoformat(sep=" ")


def to_datetime(
    values: pd.Series, *, dayfirst: bool = False, date_format: str | None = None
) -> pd.Series:
    """``values`` as datetimes, NaT where one does not read; raises ValueError for a bad format."""
    options: dict[str, Any] = {"errors": "coerce", "dayfirst": dayfirst, "format": date_format}
    with warnings.catch_warnings():
        # "Could not infer format..." is pandas thinking aloud; the result is checked below.
        warnings.simplefilter("ignore", UserWarning)
        warnings.filterwarnings(
            "ignore", "In a future version of pandas, parsing datetimes with mixed"
        )
        try:
            parsed = pd.to_datetime(values, **options)
            if ptypes.is_object_dtype(getattr(parsed, "dtype", None)):
                # pandas 2 returns dates with several UTC offsets as objects (pandas 3 raises)
                return _across_offsets(values, options)
            return parsed
        except ValueError as err:
            # pandas 3 says "timezone"; pandas 2 "Tz-aware ... unless utc=True"
            if not any(word in str(err).lower() for word in ("timezone", "utc=true")):
                raise
            return _across_offsets(values, options)


def _across_offsets(values: pd.Series, options: dict[str, Any]) -> pd.Series:
    """Dates written with several UTC offsets (across a daylight-saving change) on one time line.

    Hourly data across the change is evenly spaced in UTC (no hour repeated or
    missing), so the dates are read as instants, labelled in the offset of the
    latest one. Daily data written at local midnight is evenly spaced in local
    time instead: when the instants are not regular but the local times are,
    the local times are kept, without an offset.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        instants = pd.to_datetime(values, utc=True, **options)
        if frequency_of(instants) is None:
            text = values.astype("string").str.replace(_OFFSET, "", regex=True)
            local = pd.to_datetime(text, **options)
            if frequency_of(local) is not None:
                return local
    if instants.isna().all():
        return instants
    latest = str(values.iloc[int(instants.reset_index(drop=True).argmax())])
    return instants.dt.tz_convert(_offset_of(latest))


def _offset_of(text: str) -> datetime.tzinfo:
    """The UTC offset a date-time is written with (``+02:00``), as a fixed time zone."""
    found = _OFFSET.search(text)
    if found is None or found.group(1) == "Z":
        return datetime.timezone.utc
    sign = -1 if found.group(2) == "-" else 1
    minutes = 60 * int(found.group(3)) + int(found.group(4))
    return datetime.timezone(sign * datetime.timedelta(minutes=minutes))


def frequency_of(dates: pd.Series) -> str | None:
    """The frequency of the distinct dates if they are evenly spaced (pd.infer_freq); else None."""
    distinct = pd.DatetimeIndex(dates.dropna().unique()).sort_values()
    if len(distinct) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pd.infer_freq(distinct)
        except (ValueError, TypeError):
            return None


def _spread(dates: pd.Series) -> float:
    """How uneven the steps between the distinct dates are (their std over their mean)."""
    steps = np.diff(pd.DatetimeIndex(dates.dropna().unique()).sort_values().asi8)
    if len(steps) < 2 or steps.mean() <= 0:
        return float("inf")
    return float(steps.std() / steps.mean())


def day_first(text: pd.Series, what: str) -> bool:
    """Whether dates written like 03/04/2023 put the day first, judged on the whole column.

    A first number above 12 proves day-first, a second one month-first. When
    every day and month is 12 or less, both readings are valid; the one whose
    dates are evenly spaced wins, and when both are (01/01/2023 ... 01/12/2023:
    monthly day-first, daily month-first) only the user can say.
    """
    fields = text.str.extract(NUMERIC_DATE).dropna()
    if fields.empty:
        return False
    days_first = bool((fields[0].astype(int) > 12).any())
    months_first = bool((fields[2].astype(int) > 12).any())
    if days_first != months_first:
        return days_first
    if days_first:
        return False  # both orders in one column: the values that do not read are reported
    readings = {order: to_datetime(text, dayfirst=order) for order in (True, False)}
    if readings[True].equals(readings[False]):
        return False
    freqs = {order: frequency_of(dates) for order, dates in readings.items()}
    regular = [order for order, freq in freqs.items() if freq is not None]
    if len(regular) == 1:
        return regular[0]
    if not regular:  # gaps either way: keep a reading only if it is clearly the more even
        spread = {order: _spread(dates) for order, dates in readings.items()}
        if spread[True] < spread[False] / 2 or spread[False] < spread[True] / 2:
            return spread[True] < spread[False]
    sep, year = fields.iloc[0, 1], "%Y" if len(fields.iloc[0, 3]) == 4 else "%y"

    def shown(order: bool) -> str:
        first = pd.DatetimeIndex(readings[order].dropna().unique()).sort_values()[:3]
        spacing = f"frequency '{freqs[order]}'" if freqs[order] else "irregular"
        return f"{', '.join(_shown(day) for day in first)}... ({spacing})"

    raise SeqcastError(
        f"{what} reads two ways: day first as {shown(True)}, month first as {shown(False)}; "
        f"say which with date_format / --date-format, e.g. --date-format %d{sep}%m{sep}{year}"
    )


def written_day_first(values: pd.Series, dates: pd.Index) -> bool | None:
    """Whether ``values`` (text) wrote ``dates`` day first; None where no value tells.

    Only dates written with numbers alone (03/04/2023) whose day is not their
    month tell; a few of them suffice, the column having been read one way.

    >>> days = pd.DatetimeIndex(["2023-04-03", "2023-04-04"])
    >>> written_day_first(pd.Series(["03.04.2023", "04.04.2023"]), days)
    True
    >>> written_day_first(pd.Series(["2023-04-03", "2023-04-04"]), days) is None
    True
    """
    dates = pd.DatetimeIndex(dates)
    if not _is_text(values) or len(values) != len(dates):
        return None
    telling = np.flatnonzero((dates.day != dates.month) & dates.notna())[:_SAMPLE]
    fields = values.iloc[telling].astype(str).str.extract(NUMERIC_DATE)
    written = fields[0].notna().to_numpy()
    if not written.any():
        return None
    first = fields[0][written].astype(int).to_numpy()
    return bool((first == dates[telling][written].day).all())


def text_dates(values: pd.Series, what: str, date_format: str | None = None) -> pd.Series:
    """Text as dates (NaT where a value does not read), the day/month order from the column."""
    if date_format is not None:
        return to_datetime(values, date_format=date_format)
    return to_datetime(values, dayfirst=day_first(non_blank(values), what))


# ------------------------------------------------------------------------- detecting, parsing

# Column names that mean "the dates" when the user does not say which column holds them.
DATE_COLUMN_NAMES = frozenset(
    {"date", "ds", "datetime", "timestamp", "time", "month", "week", "day", "period"}
)


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
