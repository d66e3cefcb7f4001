"""Checking a read table can be forecast: the target, the covariates, numbers, no holes.

:func:`prepare_series` takes what :func:`~seqcast.data.read.read_table`
returns, picks the target and covariate columns, converts them to float, and
checks what a forecaster relies on: no missing or infinite values, and labels
unique, increasing and evenly spaced (:func:`~seqcast.data.frequency.regular_index`).
The result, :class:`SeriesData`, knows its frequency and so can label the
steps after its end. :func:`check_length` says whether a series can fill a
window plus its horizon.

Every problem the user can fix is raised as :class:`~seqcast.errors.SeqcastError`
with one sentence that names the column / date and says what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.frequencies import to_offset

from seqcast.checks import column_names, listing, positive_int
from seqcast.data.dates import label, try_dates
from seqcast.data.frequency import regular_index
from seqcast.data.read import check_one_series_index, read_table
from seqcast.errors import SeqcastError

__all__ = ["SeriesData", "check_length", "prepare_series"]

_MIN_POINTS = 3  # pd.infer_freq needs three dates, and a forecaster needs something to learn


@dataclass(frozen=True)
class SeriesData:
    """A checked series: float64 columns ``[target, *covariates]`` on a regular index.

    ``freq`` is the pandas offset alias of the dates (``"D"``, ``"MS"``,
    ``"W-SAT"``, ``"YS-JAN"``...), or ``None`` when the index counts integer steps.

    >>> data = prepare_series(pd.DataFrame({"y": [1, 2, 3]}))
    >>> data.values.shape, data.freq, list(data.future_index(2))
    ((3, 1), None, [3, 4])
    """

    frame: pd.DataFrame
    target: str
    covariates: tuple[str, ...]
    freq: str | None

    @property
    def values(self) -> np.ndarray:
        """A new float32 array ``(time, 1 + len(covariates))``, the target in column 0."""
        # copy=True: pandas' copy-on-write would otherwise hand out a read-only array.
        return self.frame.to_numpy(dtype=np.float32, copy=True)

    @property
    def columns(self) -> tuple[str, ...]:
        """The target then the covariates: the column order of :attr:`values`."""
        return (self.target, *self.covariates)

    def __len__(self) -> int:
        return len(self.frame)

    def future_index(self, horizon: int, after: Any = None) -> pd.Index:
        """The ``horizon`` labels that follow the last one (or follow the label ``after``).

        Dates continue at ``freq``; integer steps continue by the index's step.

        >>> index = pd.date_range("2020-01-01", periods=3, freq="MS")
        >>> data = prepare_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=index))
        >>> [str(d.date()) for d in data.future_index(2)]
        ['2020-04-01', '2020-05-01']
        """
        horizon = positive_int(horizon, "horizon")
        index = self.frame.index
        if self.freq is None:
            step = index.step if isinstance(index, pd.RangeIndex) else 1
            last = index[-1] if after is None else after
            if isinstance(last, (bool, np.bool_)) or not ptypes.is_integer(last):
                raise SeqcastError(
                    f"the series counts integer steps, so 'after' must be a whole number, "
                    f"not {last!r}"
                )
            start = int(last) + step
            return pd.RangeIndex(start, start + step * horizon, step, name=index.name)
        offset = to_offset(self.freq)
        if after is None:
            last = index[-1]
        else:
            try:
                last = pd.Timestamp(after)
            except (ValueError, TypeError) as err:
                raise SeqcastError(
                    f"'after' must be a date such as 2020-01-31, not {after!r}"
                ) from err
            if index.tz is not None and last.tz is None:
                last = last.tz_localize(index.tz)
        return pd.date_range(last + offset, periods=horizon, freq=offset, name=index.name)


def prepare_series(
    frame: pd.DataFrame, target: str | None = None, covariates: Sequence[str] = ()
) -> SeriesData:
    """Choose and check the columns to forecast; return them as float64 on a regular index.

    ``frame`` is what :func:`read_table` returns (dates or positions as the
    index). ``target`` may be left out when one column alone holds numbers.
    Text that reads as numbers (``"1.5"``) and booleans are converted; anything
    else that stops a forecast (missing values, repeated, unsorted or unevenly
    spaced dates, fewer than 3 points) raises a SeqcastError saying where and
    what to do.

    >>> dates = pd.date_range("2021-01-31", periods=4, freq="ME")
    >>> frame = pd.DataFrame({"sales": [1, 2, 3, 4], "price": ["9", "9.5", "9", "8"]}, index=dates)
    >>> data = prepare_series(frame, target="sales", covariates=["price"])
    >>> data.freq, data.columns, data.values[1].tolist()
    ('ME', ('sales', 'price'), [2.0, 9.5])
    """
    if isinstance(frame, pd.Series):
        frame = read_table(frame)
    if not isinstance(frame, pd.DataFrame):
        raise SeqcastError(
            f"prepare_series needs a pandas DataFrame, not a {type(frame).__name__}; "
            "read the data with read_table first"
        )
    frame = frame.copy()
    frame.columns = [str(column) for column in frame.columns]
    repeated = frame.columns[frame.columns.duplicated()]
    if len(repeated):
        raise SeqcastError(
            f"the column name '{repeated[0]}' is used more than once; give each column its own name"
        )

    covariates = column_names(covariates, "covariate")
    target = _choose_target(frame, target, covariates)
    for column in covariates:
        if column not in frame.columns:
            raise SeqcastError(
                f"unknown covariate column '{column}'; "
                f"the columns are: {listing(frame.columns, limit=12)}"
            )
    if target in covariates:
        raise SeqcastError(
            f"'{target}' is both the target and a covariate; leave it out of the covariates"
        )

    index = _checked_index_type(frame.index)
    if len(frame) < _MIN_POINTS:
        raise SeqcastError(
            f"the series has {len(frame)} point{'s' if len(frame) != 1 else ''}, "
            f"too few to forecast; give at least {_MIN_POINTS} (many more for a neural network)"
        )
    columns = {name: _as_float(frame[name], name, index) for name in (target, *covariates)}
    for name, values in columns.items():
        _check_finite(values, name, index)

    index, freq = regular_index(index)
    clean = pd.DataFrame(columns, index=index)
    return SeriesData(frame=clean, target=target, covariates=covariates, freq=freq)


def check_length(n_points: int, window: int, horizon: int, what: str = "the series") -> None:
    """Raise a SeqcastError unless ``n_points`` can fill one window plus its horizon.

    >>> check_length(100, window=20, horizon=5)
    >>> check_length(20, window=20, horizon=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seqcast.errors.SeqcastError: the series has 20 points, but a window of 20 ... at least 25; ...
    """
    window = positive_int(window, "window")
    horizon = positive_int(horizon, "horizon")
    if n_points < window + horizon:
        raise SeqcastError(
            f"{what} has {n_points} points, but a window of {window} plus a horizon of "
            f"{horizon} needs at least {window + horizon}; "
            "use a shorter window or horizon, or more data"
        )


# ------------------------------------------------------------------------------------ helpers


def _choose_target(frame: pd.DataFrame, target: str | None, covariates: tuple[str, ...]) -> str:
    if frame.shape[1] == 0:
        raise SeqcastError("the data has no columns; give at least one column of numbers")
    if target is not None:
        target = str(target)
        if target not in frame.columns:
            raise SeqcastError(
                f"unknown target column '{target}'; "
                f"the columns are: {listing(frame.columns, limit=12)}"
            )
        return target
    candidates = [column for column in frame.columns if column not in covariates]
    if len(candidates) == 1:
        return candidates[0]
    numeric = [column for column in candidates if ptypes.is_numeric_dtype(frame[column].dtype)]
    if len(numeric) == 1:
        return numeric[0]
    raise SeqcastError(
        f"the data has several columns ({listing(frame.columns, limit=12)}); "
        "choose the one to forecast with target=... / --target"
    )


def _checked_index_type(index: pd.Index) -> pd.Index:
    """The index as dates or integers; anything else is a mistake worth a message."""
    check_one_series_index(index)  # read_table asks the same, in the same words
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    if isinstance(index, pd.DatetimeIndex):
        if index.hasnans:
            pos = int(np.argmax(index.isna()))
            raise SeqcastError(f"the date in row {pos + 1} is empty; fill it in or drop that row")
        return index
    if ptypes.is_integer_dtype(index.dtype) and not ptypes.is_bool_dtype(index.dtype):
        return index
    dates = try_dates(index.to_series())  # text labels that all read as dates; else None
    if dates is not None:
        return dates.rename(index.name)
    example = index[0] if len(index) else None
    raise SeqcastError(
        f"the index holds neither dates nor whole-number steps (it starts with {example!r}); "
        "set the dates as index (df.set_index('date')) or drop it (df.reset_index(drop=True))"
    )


def _where(index: pd.Index, pos: int) -> str:
    """Where row ``pos`` is, in the words a message needs: its date, or its row number."""
    if isinstance(index, pd.DatetimeIndex):
        return label(index[pos])
    return f"row {pos + 1}"


def _as_float(values: pd.Series, name: str, index: pd.Index) -> np.ndarray:
    """``values`` as float64, with text that reads as a number converted and NaN for blanks."""
    dtype = values.dtype
    if ptypes.is_bool_dtype(dtype) or (
        ptypes.is_numeric_dtype(dtype) and not ptypes.is_complex_dtype(dtype)
    ):
        return values.to_numpy(dtype="float64", na_value=np.nan)
    if (
        ptypes.is_datetime64_any_dtype(dtype)
        or ptypes.is_timedelta64_dtype(dtype)
        or ptypes.is_complex_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    ):
        raise SeqcastError(
            f"column '{name}' holds {dtype} values, not numbers; choose a column of numbers"
        )
    text = values.astype(object)
    blank = text.isna().to_numpy(dtype=bool) | text.map(
        lambda v: isinstance(v, str) and not v.strip()
    ).to_numpy(dtype=bool)
    cleaned = text.map(lambda v: v.strip() if isinstance(v, str) else v)
    cleaned[blank] = np.nan
    try:
        numbers = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        numbers = np.full(len(values), np.nan)  # unhashable or exotic objects: none are numbers
    bad = np.isnan(numbers) & ~blank
    if bad.any():
        pos = int(np.argmax(bad))
        raise SeqcastError(
            f"column '{name}' is not numeric: it holds {text.iloc[pos]!r} at {_where(index, pos)}; "
            "fix that value or choose a column of numbers"
        )
    return numbers


def _check_finite(values: np.ndarray, name: str, index: pd.Index) -> None:
    missing = np.isnan(values)
    if missing.any():
        count, pos = int(missing.sum()), int(np.argmax(missing))
        raise SeqcastError(
            f"column '{name}' has {count} missing value{'s' if count > 1 else ''} "
            f"(the first at {_where(index, pos)}); fill them (df.interpolate()) or drop those rows"
        )
    infinite = np.isinf(values)
    if infinite.any():
        pos = int(np.argmax(infinite))
        raise SeqcastError(
            f"column '{name}' has an infinite value at {_where(index, pos)}; "
            "replace it with a number or drop that row"
        )
