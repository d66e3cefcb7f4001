"""Checking a read table can be forecast: the target, the covariates, numbers, no holes.

:func:`prepare_series` takes what :func:`~seqcast.data.read.read_table`
returns, picks the target and covariate columns, converts them to float (a
covariate of text, such as a day type, is kept as text: its categories are
encoded by the fitted transform, :mod:`seqcast.data.categories`), and
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

from seqcast.checks import column_names, is_whole_number, listing, one_of, positive_int
from seqcast.choices import FILL_METHODS
from seqcast.data.columns import as_float, as_text, check_finite, check_some_values, text_columns
from seqcast.data.dates import try_dates
from seqcast.data.frequency import full_index, regular_index
from seqcast.data.one_series import check_one_series_index
from seqcast.data.read import read_hint, read_notes, read_table
from seqcast.data.repair import fill_missing, merge_duplicates
from seqcast.errors import SeqcastError

__all__ = ["SeriesData", "check_length", "choose_target", "prepare_series", "read_series"]

_MIN_POINTS = 3  # pd.infer_freq needs three dates, and a forecaster needs something to learn


@dataclass(frozen=True)
class SeriesData:
    """A checked series: columns ``[target, *covariates]`` on a regular index.

    The target and the numeric covariates are float64; the covariates named in
    ``categorical`` hold text (stripped, a blank as ``""``), the user's
    categories, which the fitted transform encodes.
    ``freq`` is the pandas offset alias of the dates (``"D"``, ``"MS"``,
    ``"W-SAT"``, ``"YS-JAN"``...), or ``None`` when the index counts integer steps.
    ``filled`` is None, or booleans shaped like :attr:`values`: True where a
    value was filled in (``prepare_series(fill=...)``), not read. ``notes``
    say what reading and checking changed (duplicate rows dropped, points
    filled, the file's encoding); the command line prints them.

    >>> data = prepare_series(pd.DataFrame({"y": [1, 2, 3]}))
    >>> data.values.shape, data.freq, list(data.future_index(2))
    ((3, 1), None, [3, 4])
    """

    frame: pd.DataFrame
    target: str
    covariates: tuple[str, ...]
    freq: str | None
    filled: np.ndarray | None = None
    notes: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()

    @property
    def values(self) -> np.ndarray:
        """A new float32 array ``(time, 1 + len(covariates))``, the target in column 0.

        A series with text covariates has none: its categories become numbers in
        :meth:`seqcast.data.transform.SeriesTransform.encode`.
        """
        if self.categorical:
            raise SeqcastError(
                f"the covariate(s) {', '.join(self.categorical)} hold text; encode the series "
                "with a fitted SeriesTransform (transform.encode(series.frame))"
            )
        # copy=True: pandas' copy-on-write would otherwise hand out a read-only array.
        return self.frame.to_numpy(dtype=np.float32, copy=True)

    @property
    def columns(self) -> tuple[str, ...]:
        """The target then the covariates: the column order of :attr:`values`."""
        return (self.target, *self.covariates)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def filled_points(self) -> np.ndarray:
        """``(time,)`` booleans: True where the target or a covariate was filled in."""
        if self.filled is None:
            return np.zeros(len(self.frame), dtype=bool)
        return self.filled.any(axis=1)

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
            if not is_whole_number(last):
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
    frame: pd.DataFrame,
    target: str | None = None,
    covariates: Sequence[str] = (),
    categorical: Sequence[str] | None = None,
    *,
    freq: str | None = None,
    fill: str = "none",
    duplicates: str = "error",
) -> SeriesData:
    """Choose and check the columns to forecast; return them on a regular index.

    ``frame`` is what :func:`read_table` returns (dates or positions as the
    index). ``target`` may be left out when one column alone holds numbers.
    Text that reads as numbers (``"1.5"``) and booleans are converted to
    float64. The target must be numbers. A covariate of text (day types
    ``W``/``A``/``U``, holiday names; a pandas ``category`` column) is kept as
    text, blanks as ``""`` (a category of their own: no holiday): the covariate
    is text when most of its filled cells are not numbers; with a few stray
    words among numbers it is a numeric column with a mistake, and an error.
    ``categorical`` names the text covariates instead of guessing (a fitted
    model knows which they were). Anything else that stops a forecast (missing
    values, repeated, unsorted or unevenly spaced dates, fewer than 3 points)
    raises a SeqcastError saying where and what to do.

    Rows that repeat a date with the same values are dropped (with a note);
    ``duplicates`` says what to do when the values differ
    (:data:`~seqcast.choices.DUPLICATE_POLICIES`: ``"error"``, ``"first"``,
    ``"last"``, ``"mean"``, ``"sum"``). ``freq`` declares the frequency
    (``"B"``, ``"D"``, ``"h"``...) instead of inferring it; ``fill``
    (:data:`~seqcast.choices.FILL_METHODS`: ``"none"``, ``"interpolate"``,
    ``"ffill"``, ``"zero"``) fills missing dates and blank values, marked in
    :attr:`SeriesData.filled`.

    >>> days = pd.to_datetime(["2024-03-27", "2024-03-28", "2024-04-02", "2024-04-03"])
    >>> data = prepare_series(pd.DataFrame({"close": [10.0, 11, 12, 13]}, index=days),
    ...                       freq="B", fill="ffill")
    >>> data.frame["close"].tolist(), data.notes
    ([10.0, 11.0, 11.0, 11.0, 12.0, 13.0], ('filled 2 missing points (--fill ffill)',))

    >>> dates = pd.date_range("2021-01-31", periods=4, freq="ME")
    >>> frame = pd.DataFrame({"sales": [1, 2, 3, 4], "price": ["9", "9.5", "9", "8"]}, index=dates)
    >>> data = prepare_series(frame, target="sales", covariates=["price"])
    >>> data.freq, data.columns, data.values[1].tolist()
    ('ME', ('sales', 'price'), [2.0, 9.5])
    >>> frame["day"] = ["W", "A", " W", "U"]
    >>> data = prepare_series(frame, target="sales", covariates=["price", "day"])
    >>> data.categorical, data.frame["day"].tolist()
    (('day',), ['W', 'A', 'W', 'U'])
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

    one_of(fill, FILL_METHODS, "fill")
    covariates = column_names(covariates, "covariate")
    target = choose_target(frame, target, covariates)
    for column in covariates:
        if column not in frame.columns:
            raise SeqcastError(
                f"unknown covariate column '{column}'; "
                f"the columns are: {listing(frame.columns, limit=12)}{read_hint(frame)}"
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
    text = text_columns(frame, covariates, categorical, index)
    columns: dict[str, np.ndarray] = {}
    for name in (target, *covariates):
        if name in text:
            columns[name] = as_text(frame[name]).to_numpy(dtype=object)
        else:
            columns[name] = as_float(frame[name], name, index)
    clean, notes = merge_duplicates(pd.DataFrame(columns, index=index), duplicates)
    index = clean.index
    for name in clean.columns:
        if name in text:
            continue
        values = clean[name].to_numpy(dtype="float64")
        # With fill, blank values are filled like missing dates; infinities never are.
        check_finite(
            values if fill == "none" else np.where(np.isnan(values), 0.0, values), name, index
        )

    filled = None
    if fill == "none":
        index, freq = regular_index(index, freq)
        clean = clean.set_axis(index)
    else:
        full, freq = full_index(index, freq)
        clean, filled = fill_missing(clean, full, fill)
        count = int(filled.any(axis=1).sum())
        if count:
            notes.append(f"filled {count} missing point{'s' if count > 1 else ''} (--fill {fill})")
        check_some_values(clean)
    notes = [*read_notes(frame), *notes]
    return SeriesData(
        frame=clean,
        target=target,
        covariates=covariates,
        freq=freq,
        filled=filled,
        notes=tuple(notes),
        categorical=text,
    )


def read_series(
    data: Any,
    target: str | None = None,
    columns: Sequence[str] = (),
    *,
    date_column: str | None = None,
    date_format: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    freq: str | None = None,
    fill: str = "none",
    duplicates: str = "error",
    categorical: Sequence[str] | None = None,
) -> SeriesData:
    """``data`` read (:func:`~seqcast.data.read.read_table`) and checked (:func:`prepare_series`).

    The keywords are those two functions' own; ``columns`` are the covariates.

    >>> read_series(pd.Series([1.0, 2.0, 3.0], name="y")).values.ravel().tolist()
    [1.0, 2.0, 3.0]
    """
    frame = read_table(
        data, date_column=date_column, date_format=date_format, sep=sep, decimal=decimal
    )
    return prepare_series(
        frame,
        target,
        columns,
        freq=freq,
        fill=fill,
        duplicates=duplicates,
        categorical=categorical,
    )


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


def choose_target(frame: pd.DataFrame, target: str | None, covariates: tuple[str, ...]) -> str:
    """``target`` if ``frame`` has it; else the one column (or one numeric column) left over.

    >>> choose_target(pd.DataFrame({"day": ["W"], "sales": [1.0]}), None, ())
    'sales'
    """
    if frame.shape[1] == 0:
        raise SeqcastError("the data has no columns; give at least one column of numbers")
    if target is not None:
        target = str(target)
        if target not in frame.columns:
            raise SeqcastError(
                f"unknown target column '{target}'; "
                f"the columns are: {listing(frame.columns, limit=12)}{read_hint(frame)}"
            )
        return target
    candidates = [column for column in frame.columns if column not in covariates]
    if len(candidates) == 1:
        return candidates[0]
    numeric = [column for column in candidates if ptypes.is_numeric_dtype(frame[column].dtype)]
    if len(numeric) == 1:
        return numeric[0]
    raise SeqcastError(
        f"the data has several columns ({listing(frame.columns, limit=12)}){read_hint(frame)}; "
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
