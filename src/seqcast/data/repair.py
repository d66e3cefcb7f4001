"""Repairs a user asks for by name: repeated dates merged, missing dates filled.

Public exports often repeat a row (same date, same values): such exact
duplicates are dropped with a note. Rows that repeat a date with different
values are an error unless the user says how to merge them
(:data:`~seqcast.choices.DUPLICATE_POLICIES`). Missing dates (a weather station
down for two days, market holidays in business-day data) are an error unless
the user says how to fill them (:data:`~seqcast.choices.FILL_METHODS`); the
points filled are remembered, so that a backtest never scores them as truth.

>>> days = pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-02"])
>>> frame = pd.DataFrame({"y": [1.0, 1.0, 2.0]}, index=days)
>>> merged, notes = merge_duplicates(frame, "error")
>>> merged["y"].tolist(), notes
([1.0, 2.0], ['dropped 1 exact duplicate row (same date, same values)'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seqcast.checks import one_of
from seqcast.choices import DUPLICATE_POLICIES, FILL_METHODS
from seqcast.data.dates import label
from seqcast.errors import SeqcastError

__all__ = ["fill_missing", "merge_duplicates"]

_DUPLICATES_FIX = (
    "keep one row per date with --duplicates first (or last, mean, sum; duplicates= in Python), "
    "or fix the file"
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def merge_duplicates(frame: pd.DataFrame, policy: str) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with one row per label, and notes saying what was dropped or merged.

    Exact duplicates (same label, same values, blanks alike) are always dropped.
    Rows that share a label but not their values raise a SeqcastError for
    ``policy="error"``; else they are merged: ``first``, ``last``, ``mean``
    or ``sum`` of each column, in the order the rows first appear.
    """
    one_of(policy, DUPLICATE_POLICIES, "duplicates")
    if not frame.index.has_duplicates:
        return frame, []
    notes = []
    keyed = frame.reset_index(names="__label__")
    exact = keyed.duplicated(keep="first").to_numpy()
    if exact.any():
        frame = frame[~exact]
        notes.append(
            f"dropped {_plural(int(exact.sum()), 'exact duplicate row')} (same date, same values)"
        )
    repeated = frame.index.duplicated(keep=False)
    if not repeated.any():
        return frame, notes
    if policy == "error":
        first = frame.index[int(np.argmax(repeated))]
        where = label(first) if isinstance(frame.index, pd.DatetimeIndex) else first
        what = "date" if isinstance(frame.index, pd.DatetimeIndex) else "step"
        raise SeqcastError(
            f"the {what} {where} appears more than once with different values; {_DUPLICATES_FIX}"
        )
    count = int(repeated.sum())
    labels = int(frame.index[repeated].nunique())
    grouped = frame.groupby(level=0, sort=False)
    text = _text_columns(frame)
    numbers = [name for name in frame.columns if name not in text]
    # min_count=1: the sum of blanks stays blank (a missing value), not 0
    merged = grouped[numbers].sum(min_count=1) if policy == "sum" else grouped[numbers].agg(policy)
    for name in text:
        # A day type or a holiday name has no mean or sum: the first row's category stands.
        merged[name] = grouped[name].agg("first" if policy in ("mean", "sum") else policy)
    merged = merged[list(frame.columns)]
    notes.append(
        f"merged {_plural(count, 'row')} that repeat {_plural(labels, 'date')} "
        f"by their {policy} (--duplicates {policy})"
    )
    return merged, notes


def fill_missing(
    frame: pd.DataFrame, full: pd.Index, method: str
) -> tuple[pd.DataFrame, np.ndarray]:
    """``frame`` on the labels ``full``, its missing values filled by ``method``; and the mask.

    The mask (``(len(full), columns)`` booleans) is True where a value was
    filled: every value of a missing date, and blank cells. ``interpolate``
    draws a straight line between the neighbours (the first / last known value
    at the ends), ``ffill`` repeats the last known value (the first one before
    it), ``zero`` writes 0 (counts such as sales on a closed day).

    >>> days = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-04"])
    >>> frame = pd.DataFrame({"y": [1.0, 2.0, 4.0]}, index=days)
    >>> filled, mask = fill_missing(frame, pd.date_range("2020-01-01", periods=4), "interpolate")
    >>> filled["y"].tolist(), mask[:, 0].tolist()
    ([1.0, 2.0, 3.0, 4.0], [False, False, True, False])
    """
    one_of(method, FILL_METHODS, "fill")
    frame = frame.reindex(full)
    mask = frame.isna().to_numpy()
    if not mask.any():
        return frame, mask  # nothing is missing: every method leaves the values as they are
    text = _text_columns(frame)
    numbers = [name for name in frame.columns if name not in text]
    if method == "interpolate":
        frame[numbers] = frame[numbers].interpolate(method="linear", limit_direction="both")
    elif method == "ffill":
        frame[numbers] = frame[numbers].ffill().bfill()
    elif method == "zero":
        frame[numbers] = frame[numbers].fillna(0.0)
    if text:
        # Categories (day types, holidays) cannot be interpolated or zeroed: a missing
        # date takes the category of the day before it.
        frame[text] = frame[text].ffill().bfill()
    return frame, mask


def _text_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of text (categories), which no arithmetic applies to."""
    return [name for name in frame.columns if not pd.api.types.is_numeric_dtype(frame[name])]
