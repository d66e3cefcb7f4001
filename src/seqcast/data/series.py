"""One series read and checked: :func:`prepare_series` and :func:`read_series`.

One series goes through the stages every panel's series goes through
(:func:`~seqcast.data.panel.read_panel` reads one as a panel of one):
:func:`~seqcast.data.read.read_table` loads the table and finds its dates,
:mod:`seqcast.data.choose` chooses its columns, and
:func:`~seqcast.data.prepare.checked_series` types and repairs them into a
:class:`~seqcast.data.series_data.SeriesData`. :func:`prepare_series` takes
a pandas table a user indexed themselves, whose index it checks first.

Every problem the user can fix is raised as :class:`~seqcast.errors.SeqcastError`
with one sentence that names the column / date and says what to do.

>>> read_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]})).freq is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import column_names, one_of, positive_int
from seqcast.choices import FILL_METHODS
from seqcast.data.choose import choose_target, chosen_columns, unique_columns
from seqcast.data.date_index import date_style_of
from seqcast.data.date_text import try_dates
from seqcast.data.one_series import check_one_series_index
from seqcast.data.prepare import checked_series
from seqcast.data.read import read_table
from seqcast.data.series_data import SeriesData
from seqcast.errors import SeqcastError

__all__ = ["SeriesData", "check_length", "choose_target", "prepare_series", "read_series"]


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
    data = _checked(frame, target, covariates, categorical, freq, fill, duplicates, own_index=True)
    return replace(data, date_style=date_style_of(frame))  # as read_table found them written


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
    # read_table's index holds dates or whole-number steps already: only the columns are left.
    data = _checked(frame, target, columns, categorical, freq, fill, duplicates)
    return replace(data, date_style=date_style_of(frame, date_format))  # for its users' dates


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


def _checked(
    frame: pd.DataFrame,
    target: str | None,
    covariates: Sequence[str],
    categorical: Sequence[str] | None,
    freq: str | None,
    fill: str,
    duplicates: str,
    *,
    own_index: bool = False,
) -> SeriesData:
    """A table's columns chosen, typed and repaired.

    Its index holds dates or whole-number steps (as read_table leaves it),
    or is a user's ``own_index``, checked here once the columns are.
    """
    unique_columns(frame)
    one_of(fill, FILL_METHODS, "fill")
    covariates = column_names(covariates, "covariate")
    target = chosen_columns(frame, target, covariates)
    if own_index:
        frame.index = _checked_index_type(frame.index)
    return checked_series(
        frame, target, covariates, categorical, freq=freq, fill=fill, duplicates=duplicates
    )


def _checked_index_type(index: pd.Index) -> pd.Index:
    """The index as dates or integers; anything else is a mistake worth a message."""
    check_one_series_index(index)
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    if isinstance(index, pd.DatetimeIndex):
        return index  # its empty dates are checked_series' to refuse
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
