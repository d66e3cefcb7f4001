"""Dates as messages write them and as users give them; pandas' errors cut to a sentence.

What the other modules ask about labels lives here, below every reader:
:func:`label` and :func:`row_label` write a date or a step in a message,
:func:`parse_label` and :func:`label_position` read one a user gives (``--valid-from
2020-01-01``), and :func:`short_reason` cuts pandas' and pyarrow's errors to
the sentence a message quotes. Finding the dates in a table and reading them
is :mod:`seqcast.data.date_text`'s business; their spacing
:mod:`seqcast.data.frequency`'s.

A date the user gives is read as the data writes its dates: its
:class:`DateStyle` (the ``date_format`` given, or the order of day and month
that the column proved) travels with the data to :func:`user_date`, the one
rule every date argument goes through. ``03/02/2023`` is 3 February beside
dates written ``31/01/2023``; beside ISO dates it reads both ways, and is a
question rather than a guess.

>>> index = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"])
>>> label(index[-1]), label_position(index, "2020-01-15", "start")
('2020-03-01', 1)
>>> label(user_date("03/02/2023", "--start", DateStyle(day_first=True)))
'2023-02-03'
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seqcast.errors import SeqcastError

__all__ = [
    "NUMERIC_DATE",
    "ORDERS",
    "DateStyle",
    "label",
    "label_position",
    "parse_label",
    "row_label",
    "said",
    "short_reason",
    "user_date",
]

# A date written with numbers alone, day and month in either order: 03/04/2023, 3.4.23, 03-04-2023.
NUMERIC_DATE = r"^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)"


def short_reason(err: BaseException) -> str:
    """The first line of an exception's message, short enough to sit inside a sentence.

    The readers of files (:mod:`seqcast.data.load`, :mod:`seqcast.data.partition`)
    and of dates (:mod:`seqcast.data.date_text`) report pandas' and pyarrow's
    errors with it, so it lives here, below them all.

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


# ----------------------------------------------------------------------- dates users give

#: How a :class:`DateStyle`'s order of day and month is written in a saved model's manifest.
ORDERS = {True: "day first", False: "month first"}


@dataclass(frozen=True)
class DateStyle:
    """How a table writes its dates, so that a date a user gives is read the same way.

    ``date_format`` is the strptime format the user gave (``--date-format``);
    ``day_first`` whether dates written with numbers alone (``03/04/2023``)
    put the day first, as the column proved, or None where it proved neither
    (ISO dates, datetimes, no dates, or days that all equal their month).

    >>> DateStyle("%d.%m.%Y").order, DateStyle(day_first=False).order, DateStyle().order
    (True, False, None)
    >>> DateStyle.saved(None, "day first") == DateStyle(day_first=True)
    True
    """

    date_format: str | None = None
    day_first: bool | None = None

    @property
    def order(self) -> bool | None:
        """Whether the day comes first: as the format writes it, else as the column proved."""
        if self.date_format is not None:
            day, month = self.date_format.find("%d"), self.date_format.find("%m")
            if day >= 0 and month >= 0:
                return day < month
        return self.day_first

    @property
    def order_text(self) -> str | None:
        """The order as a saved model's manifest writes it (``"day first"``), or None."""
        return None if self.day_first is None else ORDERS[self.day_first]

    @classmethod
    def saved(cls, date_format: str | None, order_text: str | None) -> DateStyle:
        """The style a manifest saved (``order_text`` as :attr:`order_text` wrote it)."""
        day_first = {text: first for first, text in ORDERS.items()}.get(order_text or "")
        return cls(date_format, day_first)

    def or_else(self, other: DateStyle) -> DateStyle:
        """This style, with what it does not know taken from ``other`` (a fitted model's)."""
        return DateStyle(
            self.date_format or other.date_format,
            self.day_first if self.day_first is not None else other.day_first,
        )


def user_date(value: Any, what: str, style: DateStyle | None = None) -> pd.Timestamp:
    """A date a user gives (``--start 03/02/2023``), read as the data's ``style`` writes dates.

    Written in the data's ``date_format``, or with numbers alone in the order
    of day and month the data's column proved; ISO dates (``2023-02-03``) and
    dates with a month name read in any style. Numbers alone that read both
    ways (``03/02/2023`` beside ISO dates) are refused with both readings:
    the user says which. ``what`` names the argument in messages.

    >>> user_date("03.02.23", "--start", DateStyle("%m/%d/%Y")).date()
    datetime.date(2023, 3, 2)
    >>> user_date("2023-02-03", "--start", DateStyle(day_first=False)).date()
    datetime.date(2023, 2, 3)
    """
    if isinstance(value, (datetime.date, np.datetime64)):
        return pd.Timestamp(value)
    style = style or DateStyle()
    text = str(value).strip()
    if style.date_format is not None:
        stamp = pd.to_datetime(text, format=style.date_format, errors="coerce")
        if not pd.isna(stamp):
            return stamp
    numbers = re.match(NUMERIC_DATE, text)
    if numbers is not None:
        text = _iso_text(numbers, text, what, style.order)
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise SeqcastError(f"{what} {value!r} is not a date; write it like 2019-01-01")
    return stamp


def _iso_text(numbers: re.Match, text: str, what: str, day_first: bool | None) -> str:
    """``text`` (``03/04/2023 12:00``) with its date written as ISO (``2023-04-03 12:00``)."""
    first, _, second, year = numbers.groups()
    one, two = int(first), int(second)
    full_year = int(year) if len(year) == 4 else datetime.datetime.strptime(year, "%y").year
    if day_first is None:
        if one <= 12 and two <= 12 and one != two:
            as_day, as_month = _day(full_year, two, one), _day(full_year, one, two)
            raise SeqcastError(
                f"{what} {text} reads as {_spoken(as_day)} or {_spoken(as_month)}; write it "
                f"as {as_day:%Y-%m-%d} or {as_month:%Y-%m-%d}"
            )
        day_first = one > 12
    day, month = (one, two) if day_first else (two, one)
    try:
        date = _day(full_year, month, day)
    except ValueError:
        order = ORDERS[day_first]
        raise SeqcastError(
            f"{what} {text} is not a date written {order}, as the data writes its dates; "
            f"write it {order} or as {full_year:04d}-MM-DD"
        ) from None
    return f"{date:%Y-%m-%d}{text[numbers.end() :]}"


def _day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def _spoken(date: datetime.date) -> str:
    return f"{date.day} {date:%B}"  # 3 April


def parse_label(
    index: pd.Index, value: Any, what: str, style: DateStyle | None = None
) -> pd.Timestamp | int:
    """``value`` (a date such as "2019-01-01", or a step) as a label of ``index``'s kind.

    A date is read as the data's ``style`` writes its dates (:func:`user_date`).
    ``what`` names the argument in the message when ``value`` is not one.

    >>> parse_label(pd.date_range("2020-01-01", periods=3), "2020-01-02", "start")
    Timestamp('2020-01-02 00:00:00')
    >>> parse_label(pd.RangeIndex(10), "4", "start")
    4
    """
    if isinstance(index, pd.DatetimeIndex):
        stamp = user_date(value, what, style)
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


def said(value: Any, parsed: Any) -> str:
    """A user's ``value`` as a message echoes it: with the date it was read as, when it differs.

    >>> day = pd.Timestamp("2023-02-03")
    >>> said("03/02/2023", day), said("2023-02-03", day), said(7, 7)
    ('03/02/2023 (2023-02-03)', '2023-02-03', '7')
    """
    shown = label(parsed)
    if isinstance(value, (datetime.date, np.datetime64)) or str(value).strip() == shown:
        return shown  # a date given as a date, or written as messages write it
    return f"{value} ({shown})"


def label_position(index: pd.Index, value: Any, what: str, style: DateStyle | None = None) -> int:
    """The position of the first label of ``index`` at or after ``value`` (a date or a step).

    >>> label_position(pd.RangeIndex(0, 20, 5), 7, "valid")
    2
    """
    parsed = parse_label(index, value, what, style)
    position = int(index.searchsorted(parsed))
    if position >= len(index):
        raise SeqcastError(
            f"{what} {said(value, parsed)} is after the last point of the data "
            f"({index[-1]}); choose an earlier one"
        )
    return position
