"""Reading a user's series from a file or a pandas object, and checking it can be forecast.

Two steps, so that each one's mistakes get their own message:

* :func:`read_table` turns a CSV / Parquet file, a DataFrame or a Series into a
  new DataFrame whose index holds the dates (or integer positions when the data
  has no dates);
* :func:`prepare_series` picks the target and covariate columns, converts them
  to float, and checks what a forecaster relies on: no missing values, dates
  unique, increasing and evenly spaced. The result, :class:`SeriesData`,
  knows its frequency and so can label the steps after its end.

Every problem the user can fix is raised as :class:`~seqcast.errors.SeqcastError`
with one sentence that names the column / date and says what to do.
"""

from __future__ import annotations

import os
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.frequencies import to_offset

from seqcast.errors import SeqcastError

__all__ = [
    "DATE_COLUMN_NAMES",
    "SeriesData",
    "check_length",
    "prepare_series",
    "read_table",
]

# Column names that mean "the dates" when the user does not say which column holds them.
DATE_COLUMN_NAMES = frozenset(
    {"date", "ds", "datetime", "timestamp", "time", "month", "week", "day", "period"}
)

_CSV_SUFFIXES = {".csv": ",", ".txt": ",", ".tsv": "\t"}
_PARQUET_SUFFIXES = (".parquet", ".pq")
_KNOWN_TYPES = ".csv, .tsv, .txt (optionally .gz) or .parquet, .pq"
_MIN_POINTS = 3  # pd.infer_freq needs three dates, and a forecaster needs something to learn


# ------------------------------------------------------------------------------------ reading


def read_table(
    source: str | os.PathLike | pd.DataFrame | pd.Series, *, date_column: str | None = None
) -> pd.DataFrame:
    """Read ``source`` into a new DataFrame indexed by date (or by position when undated).

    ``source`` is a path to a CSV (``.csv``, ``.txt``, ``.tsv`` tab-separated, each
    optionally ``.gz``) or Parquet (``.parquet``, ``.pq``) file, or a DataFrame or
    Series (a Series becomes one column named after it, or ``"value"``). The
    caller's object is never modified.

    The dates are, in this order: the ``date_column`` if given; the existing
    DatetimeIndex (or PeriodIndex) of a pandas object; the one column named
    like a date (``date``, ``ds``, ``time``, ``month``...) whose values parse
    as dates. Otherwise the index counts positions (0, 1, 2...), which is
    fine: forecasts are then labelled by step.

    >>> frame = pd.DataFrame({"Date": ["2020-01-01", "2020-01-02"], "sales": [3, 4]})
    >>> table = read_table(frame)
    >>> table.index.name, table.columns.tolist(), str(table.index[1].date())
    ('Date', ['sales'], '2020-01-02')
    >>> read_table(pd.Series([1.0, 2.0])).columns.tolist()
    ['value']
    """
    if isinstance(source, pd.Series):
        name = "value" if source.name is None else str(source.name)
        frame = source.to_frame(name=name)  # to_frame copies the values
    elif isinstance(source, pd.DataFrame):
        frame = source.copy(deep=True)
    elif isinstance(source, (str, os.PathLike)):
        frame = _read_file(Path(os.fspath(source)))
    else:
        raise SeqcastError(
            f"cannot read a {type(source).__name__} as a series; "
            "give a path to a CSV or Parquet file, or a pandas DataFrame or Series"
        )
    if frame.shape[1] == 0:
        raise SeqcastError("the data has no columns; give at least one column of numbers")
    if isinstance(frame.columns, pd.MultiIndex):
        raise SeqcastError(
            "the data has several levels of column names; flatten them first "
            "(df.columns = ['_'.join(map(str, c)) for c in df.columns])"
        )
    # Everything downstream (messages, --target) speaks of columns by name, as text.
    frame.columns = [str(column) for column in frame.columns]
    return _set_date_index(frame, date_column)


def _read_file(path: Path) -> pd.DataFrame:
    shown = str(path)
    if not path.exists():
        raise SeqcastError(f"there is no file '{shown}'; check the path and the current folder")
    if path.is_dir():
        raise SeqcastError(
            f"'{shown}' is a folder, not a file; give the path of a CSV or Parquet file"
        )
    if path.stat().st_size == 0:
        raise SeqcastError(f"the file '{shown}' is empty; give a file with a header row and data")

    name = path.name.lower()
    compressed = name.endswith(".gz")
    suffix = Path(name[:-3] if compressed else name).suffix
    if suffix in _PARQUET_SUFFIXES and not compressed:
        frame = _read_parquet(path)
    elif suffix in _CSV_SUFFIXES:
        frame = _read_csv(path, sep=_CSV_SUFFIXES[suffix])
    else:
        raise SeqcastError(
            f"cannot tell the format of '{shown}' from its name; "
            f"save it as {_KNOWN_TYPES}, or load it with pandas and pass the DataFrame"
        )
    if len(frame) == 0:
        raise SeqcastError(
            f"the file '{shown}' has no data rows; give a file with data under the header"
        )
    return frame


def _read_csv(path: Path, sep: str) -> pd.DataFrame:
    kind = "tab-separated text" if sep == "\t" else "CSV"
    try:
        return pd.read_csv(path, sep=sep)
    except pd.errors.EmptyDataError as err:
        raise SeqcastError(
            f"the file '{path}' holds no columns; give a file with a header row"
        ) from err
    # ParserError and UnicodeDecodeError are ValueErrors; a broken .gz raises OSError, EOFError
    # or zlib.error depending on where it breaks.
    except (ValueError, OSError, EOFError, zlib.error) as err:
        raise SeqcastError(
            f"cannot read '{path}' as {kind}: {_short(err)}; check that the file is {kind}"
        ) from err


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401  (pandas' Parquet engine)
    except ImportError as err:  # pragma: no cover - pyarrow is a dependency
        raise SeqcastError(
            "reading Parquet needs pyarrow; install it (pip install pyarrow)"
        ) from err
    from pyarrow import ArrowException

    try:
        return pd.read_parquet(path)
    except (ArrowException, ValueError, OSError, TypeError) as err:
        raise SeqcastError(
            f"cannot read '{path}' as Parquet: {_short(err)}; check that the file is a Parquet file"
        ) from err


def _short(err: BaseException) -> str:
    """The first line of an exception's message, short enough to sit inside a sentence."""
    # pandas' CSV parser prefixes the useful part ("Expected 2 fields in line 3, saw 4").
    message = str(err).replace("Error tokenizing data. C error: ", "")
    lines = message.strip().splitlines()
    # Only the first sentence: later ones tend to suggest pandas arguments the user cannot pass.
    text = lines[0].strip().split(". ")[0] if lines else type(err).__name__
    text = text.rstrip(".;")
    return text if len(text) <= 160 else text[:157] + "..."


def _set_date_index(frame: pd.DataFrame, date_column: str | None) -> pd.DataFrame:
    if date_column is not None:
        date_column = str(date_column)
        if date_column in frame.columns:
            dates = _parse_dates(frame[date_column], f"column '{date_column}'")
            frame = frame.drop(columns=date_column)
            frame.index = dates.rename(date_column)
            return frame
        if frame.index.name is not None and str(frame.index.name) == date_column:
            # A pandas user's frame may already have the dates as its (named) index.
            frame.index = _parse_dates(frame.index.to_series(), "the index").rename(date_column)
            return frame
        raise SeqcastError(
            f"unknown column '{date_column}' for date_column / --date-column; "
            f"the columns are: {_names(frame.columns)}"
        )

    if isinstance(frame.index, pd.PeriodIndex):
        frame.index = frame.index.to_timestamp()  # periods → their start dates, freq kept
        return frame
    if isinstance(frame.index, pd.DatetimeIndex):
        return frame

    found = [
        column
        for column in frame.columns
        if column.strip().lower() in DATE_COLUMN_NAMES and _looks_like_dates(frame[column])
    ]
    if len(found) > 1:
        raise SeqcastError(
            f"several columns look like dates ({_names(found)}); "
            "choose one with date_column=... / --date-column"
        )
    if found:
        # Parsed strictly: a date column with a typo or an empty cell is reported, not ignored.
        (column,) = found
        dates = _parse_dates(frame[column], f"column '{column}'")
        frame = frame.drop(columns=column)
        frame.index = dates.rename(column)
        return frame

    if ptypes.is_integer_dtype(frame.index.dtype):
        # Integer step labels, a slice's (RangeIndex(355, 1001)) included, are the
        # user's own: kept, so that starts and forecasts are said in the same steps.
        return frame
    dates = _try_dates(frame.index.to_series()) if _is_text(frame.index) else None
    if dates is not None:
        frame.index = dates.rename(frame.index.name)
        return frame
    return frame.reset_index(drop=True)


def _is_text(values: pd.Series | pd.Index) -> bool:
    return ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)


def _to_datetime(values: pd.Series) -> pd.Series:
    with warnings.catch_warnings():
        # "Could not infer format..." is pandas thinking aloud; the result is checked below.
        warnings.simplefilter("ignore", UserWarning)
        return pd.to_datetime(values, errors="coerce")


def _looks_like_dates(values: pd.Series) -> bool:
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


def _try_dates(values: pd.Series) -> pd.DatetimeIndex | None:
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


def _parse_dates(values: pd.Series, what: str) -> pd.DatetimeIndex:
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
                f"cannot read {what} as dates: {_short(err)}; "
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
                f"cannot read {what} as years: {_short(err)}; give dates pandas can hold"
            ) from err
    example = known[0] if len(known) else float("nan")
    raise SeqcastError(
        f"{what} holds numbers such as {example:g}, not dates; "
        "write the dates as text such as 2020-01-31, or leave out the date column to count steps"
    )


# ------------------------------------------------------------------------------------ checking


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
        horizon = _positive_int(horizon, "horizon")
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

    covariates = _covariate_names(covariates)
    target = _choose_target(frame, target, covariates)
    for column in covariates:
        if column not in frame.columns:
            raise SeqcastError(
                f"unknown covariate column '{column}'; the columns are: {_names(frame.columns)}"
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

    index, freq = _regular_index(index)
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
    window = _positive_int(window, "window")
    horizon = _positive_int(horizon, "horizon")
    if n_points < window + horizon:
        raise SeqcastError(
            f"{what} has {n_points} points, but a window of {window} plus a horizon of "
            f"{horizon} needs at least {window + horizon}; "
            "use a shorter window or horizon, or more data"
        )


# ------------------------------------------------------------------------------------ helpers


def _names(columns: Any, limit: int = 12) -> str:
    names = [str(column) for column in columns]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def _positive_int(value: Any, what: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not ptypes.is_integer(value) or value < 1:
        raise SeqcastError(f"the {what} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _covariate_names(covariates: Sequence[str] | str | None) -> tuple[str, ...]:
    if covariates is None:
        return ()
    if isinstance(covariates, str):
        covariates = [covariates]  # a lone name, not its letters
    names = tuple(str(column) for column in covariates)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SeqcastError(f"the covariate '{name}' is listed twice; list each column once")
        seen.add(name)
    return names


def _choose_target(frame: pd.DataFrame, target: str | None, covariates: tuple[str, ...]) -> str:
    if frame.shape[1] == 0:
        raise SeqcastError("the data has no columns; give at least one column of numbers")
    if target is not None:
        target = str(target)
        if target not in frame.columns:
            raise SeqcastError(
                f"unknown target column '{target}'; the columns are: {_names(frame.columns)}"
            )
        return target
    candidates = [column for column in frame.columns if column not in covariates]
    if len(candidates) == 1:
        return candidates[0]
    numeric = [column for column in candidates if ptypes.is_numeric_dtype(frame[column].dtype)]
    if len(numeric) == 1:
        return numeric[0]
    raise SeqcastError(
        f"the data has several columns ({_names(frame.columns)}); "
        "choose the one to forecast with target=... / --target"
    )


def _checked_index_type(index: pd.Index) -> pd.Index:
    """The index as dates or integers; anything else is a mistake worth a message."""
    if isinstance(index, pd.MultiIndex):
        raise SeqcastError(
            "the data has a several-level index; keep only the dates (df.reset_index(level=...))"
        )
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp()
    if isinstance(index, pd.DatetimeIndex):
        if index.hasnans:
            pos = int(np.argmax(index.isna()))
            raise SeqcastError(f"the date in row {pos + 1} is empty; fill it in or drop that row")
        return index
    if ptypes.is_integer_dtype(index.dtype) and not ptypes.is_bool_dtype(index.dtype):
        return index
    if _is_text(index):
        dates = _try_dates(index.to_series())
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
    """``value`` (a date such as "2019-01-01", or a step) as a label of ``index``'s kind."""
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
    """The position of the first label of ``index`` at or after ``value`` (a date or a step)."""
    position = int(index.searchsorted(parse_label(index, value, what)))
    if position >= len(index):
        raise SeqcastError(
            f"{what} {value} is after the last point of the data ({index[-1]}); choose an "
            "earlier one"
        )
    return position


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


def _regular_index(index: pd.Index) -> tuple[pd.Index, str | None]:
    """Check the labels are unique, increasing and evenly spaced; return them with their freq."""
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
