"""How text reads as dates: the order of day and month, and several UTC offsets.

Below :mod:`seqcast.data.dates` (which finds the date column and reports its
bad values), this module turns a column of text into datetimes:

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

from seqcast.errors import SeqcastError

__all__ = ["NUMERIC_DATE", "day_first", "frequency_of", "non_blank", "text_dates", "to_datetime"]

# A date written with numbers alone, day and month in either order: 03/04/2023, 3.4.23, 03-04-2023.
NUMERIC_DATE = r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)"
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


def text_dates(values: pd.Series, what: str, date_format: str | None = None) -> pd.Series:
    """Text as dates (NaT where a value does not read), the day/month order from the column."""
    if date_format is not None:
        return to_datetime(values, date_format=date_format)
    return to_datetime(values, dayfirst=day_first(non_blank(values), what))
