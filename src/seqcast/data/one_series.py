"""One series at a time: tables that hold several series are refused, saying how to pick one.

Real exports often stack many series: a (store, date) index, or a long file
whose dates repeat once per store. Until seqcast forecasts many series at
once, reading such a table as one series would silently join them, so it is
refused with the way to keep one series.

>>> import pandas as pd
>>> days = pd.date_range("2020-01-01", periods=2).tolist()
>>> frame = pd.DataFrame({"store": ["A", "A", "B", "B"], "y": [1, 2, 3, 4]}, index=days * 2)
>>> check_not_long_format(frame)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
seqcast.errors.SeqcastError: the dates repeat, once for each value of column 'store' (A, B): ...
"""

from __future__ import annotations

import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import listing
from seqcast.data.dates import try_dates
from seqcast.errors import SeqcastError

__all__ = ["check_not_long_format", "check_one_series_index"]


def check_not_long_format(frame: pd.DataFrame) -> None:
    """Refuse dates that repeat once per value of a text column: several series, stacked."""
    dates = frame.index.to_series(index=range(len(frame)))
    for column in frame.columns:
        values = frame[column].reset_index(drop=True)
        if not (
            ptypes.is_object_dtype(values.dtype)
            or ptypes.is_string_dtype(values.dtype)
            or isinstance(values.dtype, pd.CategoricalDtype)
        ):
            continue
        names = values.dropna().unique()
        if len(names) < 2 or values.isna().any():
            continue
        if not pd.DataFrame({"id": values, "date": dates}).duplicated().any():
            raise SeqcastError(
                f"the dates repeat, once for each value of column '{column}' "
                f"({listing([str(name) for name in names], limit=5)}): the data looks like "
                f"{len(names)} series, and seqcast forecasts one series at a time; keep the "
                f"rows of one {column} in the file (in pandas: "
                f"df[df['{column}'] == {str(names[0])!r}])"
            )


def check_one_series_index(index: pd.Index) -> None:
    """Refuse an index of several levels (store, date): several series, or one to pick out.

    Until seqcast forecasts several series at once, the message says how to
    pick one (``df.xs``); :func:`~seqcast.data.read.read_table` and
    :func:`~seqcast.data.series.prepare_series` both ask.

    >>> index = pd.MultiIndex.from_product([["A", "B"], pd.date_range("2020-01-01", periods=2)],
    ...                                    names=["store", "date"])
    >>> check_one_series_index(index)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    seqcast.errors.SeqcastError: the data has a 2-level index (store, date): ... level='store')
    """
    if not isinstance(index, pd.MultiIndex):
        return
    names = [f"level {i}" if name is None else str(name) for i, name in enumerate(index.names)]
    levels = [index.get_level_values(i) for i in range(index.nlevels)]
    dated = [i for i, level in enumerate(levels) if _holds_dates(level)]
    ids = [i for i in range(index.nlevels) if i not in dated] or list(range(index.nlevels - 1))
    keys = [i if index.names[i] is None else index.names[i] for i in ids]
    firsts = [levels[i][0] for i in ids]
    if len(ids) == 1:
        pick = f"df.xs({firsts[0]!r}, level={keys[0]!r})"
    else:
        pick = f"df.xs({tuple(firsts)!r}, level={keys!r})"
    raise SeqcastError(
        f"the data has a {index.nlevels}-level index ({', '.join(names)}): seqcast forecasts "
        f"one series at a time; pick one with {pick}"
    )


def _holds_dates(level: pd.Index) -> bool:
    if isinstance(level, (pd.DatetimeIndex, pd.PeriodIndex)):
        return True
    try:
        return try_dates(level.to_series()) is not None
    except SeqcastError:
        return True  # dates, though they read two ways
