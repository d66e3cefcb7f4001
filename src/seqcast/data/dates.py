"""Dates as messages write them and as users give them; pandas' errors cut to a sentence.

What the other modules ask about labels lives here, below every reader:
:func:`label` and :func:`row_label` write a date or a step in a message,
:func:`parse_label` and :func:`label_position` read one a user gives (``--valid-from
2020-01-01``), and :func:`short_reason` cuts pandas' and pyarrow's errors to
the sentence a message quotes. Finding the dates in a table and reading them
is :mod:`seqcast.data.date_text`'s business; their spacing
:mod:`seqcast.data.frequency`'s.

>>> index = pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"])
>>> label(index[-1]), label_position(index, "2020-01-15", "start")
('2020-03-01', 1)
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from seqcast.errors import SeqcastError

__all__ = ["label", "label_position", "parse_label", "row_label", "short_reason"]


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
