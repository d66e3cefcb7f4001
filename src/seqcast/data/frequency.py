"""How a series' labels are spaced: its frequency, its gaps, the season it implies.

:func:`regular_index` checks that an index is unique, increasing and evenly
spaced, and finds its frequency (a pandas offset alias, calendar-aware: month
starts, business days, weeks ending on a Sunday...). A gap or an irregular
date is reported at the first place that breaks the frequency most dates
follow, with the fix. :func:`season_of` gives the usual seasonal period of a
frequency, for seasonal naive, SARIMA and MASE.

>>> index, freq = regular_index(pd.DatetimeIndex(["2020-01-01", "2020-02-01", "2020-03-01"]))
>>> freq, season_of(freq)
('MS', 12)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from seqcast.data.dates import label
from seqcast.errors import SeqcastError

__all__ = [
    "SEASON_OF_FREQUENCY",
    "Spacings",
    "checked_freq",
    "describe_freq",
    "full_index",
    "regular_index",
    "season_of",
]

# The seasonal period a frequency implies, for seasonal naive, SARIMA and MASE.
SEASON_OF_FREQUENCY = {"h": 24, "D": 7, "B": 5, "W": 52, "M": 12, "MS": 12, "Q": 4, "QS": 4}


# regular_index and full_index: the labels, and a frequency said or not -> the labels spaced
_Finder = Callable[[pd.Index, str | None], tuple[pd.Index, str | None]]

#: The fix a gap message ends with: the command line's flag, then the keyword.
FILL_FIX = "with --fill interpolate (or ffill, zero; fill= in Python), or fix the file"


def regular_index(index: pd.Index, freq: str | None = None) -> tuple[pd.Index, str | None]:
    """Check the labels are unique, increasing and evenly spaced; return them with their freq.

    Dates come back as a DatetimeIndex carrying the frequency (a pandas offset
    alias; ``freq`` declares it instead of inferring it); whole-number steps as
    a RangeIndex, with ``None`` for the frequency.

    >>> regular_index(pd.Index([10, 20, 30]))
    (RangeIndex(start=10, stop=40, step=10), None)
    """
    _check_order(index)
    if freq is not None:
        full, freq = full_index(index, freq)
        if len(full) > len(index):
            pos = int(np.argmax(~full[: len(index)].isin(index)))  # the first missing date
            _gap(full[pos - 1], index[pos], freq)
        return full, freq
    if isinstance(index, pd.DatetimeIndex):
        freq = _date_freq(index)
        return pd.DatetimeIndex(index, freq=freq), freq
    return _integer_steps(index), None


def full_index(index: pd.Index, freq: str | None = None) -> tuple[pd.Index, str | None]:
    """The evenly spaced labels from the first label of ``index`` to its last, gaps included.

    The frequency of dates is ``freq`` if declared (``"B"``, ``"D"``, ``"h"``...),
    else the one most neighbouring dates follow; whole-number steps go up by
    their most common step. A label off that grid (a Saturday in business-day
    data) is an error, as are repeated or unsorted labels.

    >>> days = pd.DatetimeIndex(["2024-03-28", "2024-04-02", "2024-04-03"])  # Easter
    >>> index, freq = full_index(days, "B")
    >>> freq, [str(d.date()) for d in index]
    ('B', ['2024-03-28', '2024-03-29', '2024-04-01', '2024-04-02', '2024-04-03'])
    """
    _check_order(index)
    if not isinstance(index, pd.DatetimeIndex):
        if freq is not None:
            raise SeqcastError(
                f"the data counts steps, not dates, so it has no frequency like {freq!r}; "
                "leave out freq / --freq, or give the dates (--date-column)"
            )
        labels = index.to_numpy(dtype="int64")
        step = _common_step(labels)
        full = pd.RangeIndex(int(labels[0]), int(labels[-1]) + step, step, name=index.name)
        off = ~index.isin(full)
        if off.any():
            raise SeqcastError(
                f"the step {labels[int(np.argmax(off))]} is off the grid of the others, which go "
                f"up by {step}; fix the file"
            )
        return full, None
    freq = _likely_freq(index) if freq is None else checked_freq(freq)
    full = pd.date_range(index[0], index[-1], freq=freq, name=index.name)
    off = ~index.isin(full)
    if off.any():
        date = index[int(np.argmax(off))]
        raise SeqcastError(
            f"the date {label(date)} is not on the {describe_freq(freq)} ('{freq}') grid of the "
            "other dates; drop or fix that row, or declare another frequency with freq= / --freq"
        )
    return full, freq


class Spacings:
    """The regular index of each set of labels already seen, found once for all series.

    The series of a panel often share their dates (every store, every day):
    :func:`regular_index` and
    :func:`full_index` depend on the labels alone, so
    what they found for one series holds for every series with the same
    labels. A set of labels they refuse is not kept: each series says so.
    """

    def __init__(self) -> None:
        self._found: dict[tuple, tuple[pd.Index, str | None]] = {}

    def regular(self, index: pd.Index, freq: str | None) -> tuple[pd.Index, str | None]:
        """:func:`regular_index` of ``index``, remembered."""
        return self._remembered("regular", regular_index, index, freq)

    def full(self, index: pd.Index, freq: str | None) -> tuple[pd.Index, str | None]:
        """:func:`full_index` of ``index``, remembered."""
        return self._remembered("full", full_index, index, freq)

    def _remembered(
        self, kind: str, find: _Finder, index: pd.Index, freq: str | None
    ) -> tuple[pd.Index, str | None]:
        key = (kind, _labels_key(index), freq)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = find(index, freq)
        # A copy of the index, so that renaming one series' index leaves the others' alone.
        return found[0].copy(), found[1]


def _labels_key(index: pd.Index) -> tuple:
    """What regular_index and full_index read of an index: its labels, kind, name, freq."""
    if isinstance(index, pd.DatetimeIndex):
        labels = index.asi8.tobytes()
    else:
        labels = index.to_numpy().tobytes()
    return (
        type(index).__name__,
        str(index.dtype),
        index.name,
        getattr(index, "freq", None),
        labels,
    )


def checked_freq(freq: str) -> str:
    """A declared frequency as its canonical pandas alias; an unknown one is a SeqcastError.

    >>> checked_freq("B"), checked_freq("D")
    ('B', 'D')
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "H" is deprecated for "h": accept both
            return to_offset(freq).freqstr
    except (ValueError, TypeError) as err:
        raise SeqcastError(
            f"unknown frequency {freq!r}; give a pandas frequency such as D (daily), B (business "
            "days), h (hourly), W (weekly) or MS (month starts) with freq= / --freq"
        ) from err


def _gap(before: pd.Timestamp, after: pd.Timestamp, freq: str) -> None:
    raise SeqcastError(
        f"the series has a gap: after {label(before)} the next date is {label(after)}, "
        f"while the data is otherwise {describe_freq(freq)} ('{freq}'); "
        f"fill the missing dates {FILL_FIX}"
    )


def _check_order(index: pd.Index) -> None:
    """Raise unless the labels are unique and increasing."""
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


def _common_step(labels: np.ndarray) -> int:
    values, counts = np.unique(np.diff(labels), return_counts=True)
    return int(values[np.argmax(counts)])


def _integer_steps(index: pd.Index) -> pd.RangeIndex:
    if isinstance(index, pd.RangeIndex):
        return index
    labels = index.to_numpy(dtype="int64")
    step = _common_step(labels)
    off = np.flatnonzero(np.diff(labels) != step)
    if len(off):
        pos = int(off[0])
        raise SeqcastError(
            f"the series has a gap: after step {labels[pos]} the next is {labels[pos + 1]}, "
            f"while the steps otherwise go up by {step}; fill the missing steps {FILL_FIX}"
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
    return None if found is None else _quarter_anchor(to_offset(found).freqstr)


_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def _quarter_anchor(freq: str) -> str:
    """A quarterly alias anchored in its first quarter's month: ``QS-OCT`` → ``QS-JAN``.

    The same quarters (January, April, July, October) are QS-JAN to pandas 3
    and QS-OCT to pandas 2's infer_freq; one name for them lets series and
    models compare frequencies whatever pandas read them.

    >>> _quarter_anchor("QS-OCT"), _quarter_anchor("QE-NOV"), _quarter_anchor("MS")
    ('QS-JAN', 'QE-FEB', 'MS')
    """
    kind, _, month = freq.partition("-")
    if kind not in ("QS", "QE", "BQS", "BQE") or month not in _MONTHS:
        return freq
    return f"{kind}-{_MONTHS[_MONTHS.index(month) % 3]}"


def _matches(index: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """For each pair of neighbouring dates: is the second one step of ``freq`` after the first?"""
    offset = to_offset(freq)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PerformanceWarning: some offsets add element-wise
        return np.asarray(index[:-1] + offset == index[1:], dtype=bool)


def _date_freq(index: pd.DatetimeIndex) -> str:
    freq = _likely_freq(index)
    matches = _matches(index, freq)
    if matches.all():
        return freq
    pos = int(np.argmin(matches))
    before, after = index[pos], index[pos + 1]
    if before + to_offset(freq) < after:
        _gap(before, after, freq)
    raise SeqcastError(
        f"the dates are irregular: after {label(before)} the next date is {label(after)}, "
        f"while the data is otherwise {describe_freq(freq)} ('{freq}'); "
        f"put them on that frequency (df.resample('{freq}').mean())"
    )


def _likely_freq(index: pd.DatetimeIndex) -> str:
    """The frequency of ``index``, or failing that the one most neighbouring dates follow."""
    if index.freq is not None:
        return index.freq.freqstr  # pandas checked it when the index was built
    freq = _infer_freq(index)
    if freq is not None:
        return freq
    if len(index) < 3:
        return _step_alias(index[1] - index[0])

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
    return best


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


def describe_freq(freq: str) -> str:
    """A frequency in words, as messages say it.

    >>> describe_freq("W-SUN"), describe_freq("MS"), describe_freq("2D")
    ('weekly', 'monthly', 'every 2 days')
    """
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
