"""Dates: finding them in a table, reading them, and what their spacing says.

What the other data modules ask about dates and steps lives here:

* the detection and parsing of a date column (:func:`looks_like_dates`,
  :func:`try_dates`, :func:`parse_dates`; whole numbers such as 1700 read as
  years), which :func:`seqcast.data.read.read_table` uses to set the index;
* whether an index is unique, increasing and evenly spaced, and at which
  frequency (:func:`regular_index`): a gap or an irregular date is reported
  with the first place that breaks the frequency most dates follow;
* index labels as messages write them and as users give them
  (:func:`label`, :func:`parse_label`, :func:`label_position`);
* the usual seasonal period of a frequency (:func:`season_of`).

>>> index, freq = regular_index(pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"]))
>>> freq, season_of(freq), label(index[-1])
('MS', 12, '2020-03-01')
>>> label_position(index, "2020-01-15", "start")
1
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.frequencies import to_offset

from seqcast.errors import SeqcastError

__all__ = [
    "DATE_COLUMN_NAMES",
    "SEASON_OF_FREQUENCY",
    "label",
    "label_position",
    "looks_like_dates",
    "parse_dates",
    "parse_label",
    "regular_index",
    "season_of",
    "short_reason",
    "try_dates",
]

# Column names that mean "the dates" when the user does not say which column holds them.
DATE_COLUMN_NAMES = frozenset(
    {"date", "ds", "datetime", "timestamp", "time", "month", "week", "day", "period"}
)

# The seasonal period a frequency implies, for seasonal naive, SARIMA and MASE.
SEASON_OF_FREQUENCY = {"h": 24, "D": 7, "B": 5, "W": 52, "M": 12, "MS": 12, "Q": 4, "QS": 4}


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


# ------------------------------------------------------------------------ spacing, frequency


def regular_index(index: pd.Index) -> tuple[pd.Index, str | None]:
    """Check the labels are unique, increasing and evenly spaced; return them with their freq.

    Dates come back as a DatetimeIndex carrying the frequency (a pandas offset
    alias); whole-number steps as a RangeIndex, with ``None`` for the frequency.

    >>> regular_index(pd.Index([10, 20, 30]))
    (RangeIndex(start=10, stop=40, step=10), None)
    """
    duplicated = index.duplicated()
    if duplicated.any():
        pos = int(np.argmax(duplicated))
        if isinstance(index, pd.DatetimeIndex):
            raise SeqcastError(
                f"the date {label(index[pos])} appears more than once; keep one row per date, "
                "e.g. by averaging them (df.groupby(level=0).mean())"
            )
        raise SeqcastError(
            f"the step {index[pos]} appears more than once; keep one row per step, "
            "e.g. by averaging them (df.groupby(level=0).mean())"
        )
    decreasing = np.flatnonzero(index[1:] < index[:-1])
    if len(decreasing):
        pos = int(decreasing[0])
        if isinstance(index, pd.DatetimeIndex):
            raise SeqcastError(
                f"dates are not in increasing order ({label(index[pos])} comes before "
                f"{label(index[pos + 1])}); sort the data by date first (df.sort_index())"
            )
        raise SeqcastError(
            f"the steps are not in increasing order ({index[pos]} comes before {index[pos + 1]}); "
            "sort the data first (df.sort_index())"
        )
    if isinstance(index, pd.DatetimeIndex):
        freq = _date_freq(index)
        return pd.DatetimeIndex(index, freq=freq), freq
    return _integer_steps(index), None


def _integer_steps(index: pd.Index) -> pd.RangeIndex:
    if isinstance(index, pd.RangeIndex):
        return index
    labels = index.to_numpy(dtype="int64")
    steps = np.diff(labels)
    values, counts = np.unique(steps, return_counts=True)
    step = int(values[np.argmax(counts)])
    off = np.flatnonzero(steps != step)
    if len(off):
        pos = int(off[0])
        raise SeqcastError(
            f"the series has a gap: after step {labels[pos]} the next is {labels[pos + 1]}, "
            f"while the steps otherwise go up by {step}; fill the missing steps "
            f"(df.reindex(range({labels[0]}, {labels[-1] + step}, {step})) then interpolate)"
        )
    return pd.RangeIndex(int(labels[0]), int(labels[-1]) + step, step, name=index.name)


def _infer_freq(index: pd.DatetimeIndex) -> str | None:
    """pd.infer_freq as a canonical alias, quiet about pandas' change of return type."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = pd.infer_freq(index)
        except (ValueError, TypeError):
            return None
    return None if found is None else to_offset(found).freqstr


def _matches(index: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """For each pair of neighbouring dates: is the second one step of ``freq`` after the first?"""
    offset = to_offset(freq)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PerformanceWarning: some offsets add element-wise
        return np.asarray(index[:-1] + offset == index[1:], dtype=bool)


def _date_freq(index: pd.DatetimeIndex) -> str:
    if index.freq is not None:
        return index.freq.freqstr  # pandas checked it when the index was built
    freq = _infer_freq(index)
    if freq is not None:
        return freq

    # Irregular: find the frequency that most neighbouring dates follow, so that the message
    # can point at the first place that breaks it. pandas infers a calendar-aware frequency
    # (month starts, weeks ending Saturday...) from any three evenly spaced dates, so try
    # the frequencies of a sample of consecutive triples.
    starts = np.unique(np.linspace(0, len(index) - 3, num=min(len(index) - 2, 200)).astype(int))
    candidates = {_infer_freq(index[i : i + 3]) for i in starts}
    # ... and the most common plain steps, which triples with an off-grid date can hide.
    steps, counts = np.unique(np.diff(index.asi8), return_counts=True)
    for step in steps[np.argsort(-counts, kind="stable")[:3]]:
        candidates.add(_step_alias(pd.Timedelta(int(step), unit=index.unit)))
    candidates.discard(None)
    best, best_share = None, 0.0
    # On a tie the coarser frequency wins: an extra date between two regular ones is likelier
    # than a finer frequency with many gaps.
    for candidate in sorted(candidates, key=lambda f: index[0] + to_offset(f), reverse=True):
        share = float(_matches(index, candidate).mean())
        if share > best_share:
            best, best_share = candidate, share
    if best is None or best_share < 0.5:
        raise SeqcastError(
            f"the dates do not follow one regular frequency (they start {label(index[0])}, "
            f"{label(index[1])}, {label(index[2])}); put them on one, "
            "e.g. daily with df.resample('D').mean()"
        )
    pos = int(np.argmin(_matches(index, best)))
    before, after = index[pos], index[pos + 1]
    described = _describe_freq(best)
    if before + to_offset(best) < after:
        raise SeqcastError(
            f"the series has a gap: after {label(before)} the next date is {label(after)}, "
            f"while the data is otherwise {described} ('{best}'); "
            f"fill the missing dates (df.asfreq('{best}') then interpolate)"
        )
    raise SeqcastError(
        f"the dates are irregular: after {label(before)} the next date is {label(after)}, "
        f"while the data is otherwise {described} ('{best}'); "
        f"put them on that frequency (df.resample('{best}').mean())"
    )


def _step_alias(step: pd.Timedelta) -> str:
    """A fixed step as an alias: whole days as ``"D"`` / ``"3D"`` (pandas would say ``"24h"``)."""
    day = pd.Timedelta(days=1)
    if step >= day and step % day == pd.Timedelta(0):
        return to_offset(f"{step // day}D").freqstr
    return to_offset(step).freqstr


_FREQ_WORDS = {
    # prefix of the offset's rule code: (adjective, unit for multiples)
    "D": ("daily", "days"),
    "B": ("business-daily", "business days"),
    "W": ("weekly", "weeks"),
    "MS": ("monthly", "months"),
    "ME": ("monthly", "months"),
    "M": ("monthly", "months"),  # pandas < 2.2's month end
    "QS": ("quarterly", "quarters"),
    "QE": ("quarterly", "quarters"),
    "Q": ("quarterly", "quarters"),
    "YS": ("yearly", "years"),
    "YE": ("yearly", "years"),
    "AS": ("yearly", "years"),
    "A": ("yearly", "years"),
    "Y": ("yearly", "years"),
    "h": ("hourly", "hours"),
    "H": ("hourly", "hours"),
    "min": ("minutely", "minutes"),
    "T": ("minutely", "minutes"),
    "s": ("secondly", "seconds"),
    "S": ("secondly", "seconds"),
}


def _describe_freq(freq: str) -> str:
    offset = to_offset(freq)
    words = _FREQ_WORDS.get(offset.rule_code.split("-")[0])
    if words is None:
        return f"at frequency '{freq}'"
    adjective, unit = words
    return adjective if offset.n == 1 else f"every {offset.n} {unit}"


def season_of(freq: str | None) -> int:
    """The usual seasonal period of a pandas frequency ("D" → 7, "MS" → 12); 1 if none.

    >>> season_of("MS"), season_of("W-SUN"), season_of("YS-JAN"), season_of(None)
    (12, 52, 1, 1)
    """
    if not freq:
        return 1
    base = freq.split("-")[0].lstrip("0123456789")
    base = {"ME": "M", "QE": "Q", "H": "h"}.get(base, base)
    return SEASON_OF_FREQUENCY.get(base, 1)
