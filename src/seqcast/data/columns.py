"""A column's values: numbers, or the categories of a text covariate, and where a bad one is.

:func:`prepare_series` (:mod:`seqcast.data.series`) asks these for each column
it keeps: whether a covariate holds categories (:func:`is_text`), the numbers
of a column of numbers (:func:`as_float`: text that reads as a number is
converted, anything else is an error naming the value and its date), and
whether the numbers can be forecast (:func:`check_finite`).

>>> import pandas as pd
>>> days = pd.date_range("2024-01-01", periods=3, freq="D")
>>> as_float(pd.Series(["1.5", " 2", ""]), "price", days).tolist()
[1.5, 2.0, nan]
>>> is_text(pd.Series(["W", "W", "A"]), "day", days)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import column_names
from seqcast.data.dates import row_label
from seqcast.errors import SeqcastError

__all__ = [
    "as_float",
    "as_text",
    "check_finite",
    "check_some_values",
    "is_text",
    "numbers_of",
    "text_columns",
]


def as_text(values: pd.Series) -> pd.Series:
    """``values`` as stripped text, a blank (empty, spaces, NaN, None) as ``""``.

    A whole number read as a float (``1.0``, as pandas reads a column with
    blanks) is written ``"1"``, as the same value without blanks reads.

    >>> as_text(pd.Series([" W", None, 1.0, 2.5, "A"])).tolist()
    ['W', '', '1', '2.5', 'A']
    """

    def one(value: Any) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            return str(int(value))
        return str(value).strip()

    return values.astype(object).map(one)


def text_columns(
    frame: pd.DataFrame,
    covariates: tuple[str, ...],
    categorical: Sequence[str] | None,
    index: pd.Index,
) -> tuple[str, ...]:
    """The covariates to keep as text: ``categorical`` if given, else those mostly of text."""
    if categorical is not None:
        named = column_names(categorical, "categorical")
        return tuple(name for name in covariates if name in named)
    return tuple(name for name in covariates if is_text(frame[name], name, index))


def is_text(values: pd.Series, name: str, index: pd.Index) -> bool:
    """Whether a covariate holds categories: a ``category`` dtype, or mostly cells of text.

    Mostly: more than half of the filled cells are words (not numbers, with a
    letter in them). A column of numbers with a stray word ("tbd") stays
    numeric, and so does one of numbers in another notation ("1,5"), so that
    the mistake is reported (by :func:`as_float`) rather than turned into
    hundreds of categories.
    """
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return True
    if not (ptypes.is_object_dtype(dtype) or ptypes.is_string_dtype(dtype)):
        return False
    text = as_text(values)
    filled = text != ""
    try:
        numbers = pd.to_numeric(text.where(filled, None), errors="coerce").notna()
    except (TypeError, ValueError):
        return False  # exotic objects: as_float says what they are
    lettered = text.map(lambda cell: any(char.isalpha() for char in cell))
    words = int((filled & ~numbers & lettered).sum())
    return words > 0 and words > int(filled.sum()) / 2


def as_float(values: pd.Series, name: str, index: pd.Index) -> np.ndarray:
    """``values`` as float64, with text that reads as a number converted and NaN for blanks."""
    numbers, bad = numbers_of(values, name)
    if bad.any():
        pos = int(np.argmax(bad))
        raise SeqcastError(
            f"column '{name}' is not numeric: it holds {values.astype(object).iloc[pos]!r} at "
            f"{row_label(index, pos)}; fix that value or choose a column of numbers"
        )
    return numbers


def numbers_of(values: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``values`` as float64 (NaN for blanks), and where a filled cell is not a number.

    Cell by cell, so that a whole table's column reads as each series' part of it
    would. A column of dates, durations or complex numbers is refused outright.

    >>> numbers, bad = numbers_of(pd.Series(["1.5", "", "tbd"]), "price")
    >>> numbers.tolist()[:2], bad.tolist()
    ([1.5, nan], [False, False, True])
    """
    dtype = values.dtype
    if ptypes.is_bool_dtype(dtype) or (
        ptypes.is_numeric_dtype(dtype) and not ptypes.is_complex_dtype(dtype)
    ):
        return values.to_numpy(dtype="float64", na_value=np.nan), np.zeros(len(values), bool)
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
    return numbers, np.isnan(numbers) & ~blank


def check_some_values(frame: pd.DataFrame) -> None:
    """After filling, only a column with no value at all can still hold blanks."""
    for name in frame.columns:
        if frame[name].isna().any():
            raise SeqcastError(f"column '{name}' has no values at all; choose a column of numbers")


def check_finite(values: np.ndarray, name: str, index: pd.Index) -> None:
    """Refuse missing (NaN) and infinite values, naming the first one's place."""
    missing = np.isnan(values)
    if missing.any():
        count, pos = int(missing.sum()), int(np.argmax(missing))
        raise SeqcastError(
            f"column '{name}' has {count} missing value{'s' if count > 1 else ''} "
            f"(the first at {row_label(index, pos)}); fill them with --fill interpolate "
            "(or ffill, zero; fill= in Python), or drop those rows"
        )
    infinite = np.isinf(values)
    if infinite.any():
        pos = int(np.argmax(infinite))
        raise SeqcastError(
            f"column '{name}' has an infinite value at {row_label(index, pos)}; "
            "replace it with a number or drop that row"
        )
