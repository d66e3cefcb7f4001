"""One series at a time: tables that hold several series are refused, saying how to read them.

Real exports often stack many series: a (store, date) index, or a long file
whose dates repeat once per store. Reading such a table as one series would
silently join them, so the one-series readers refuse it and say both ways
out: read it as a panel (``--id-column store``, ``read_panel(...,
id_column="store")``) or keep one series.

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
from seqcast.data.date_text import try_dates
from seqcast.errors import SeqcastError

__all__ = ["check_not_long_format", "check_one_series_index", "date_levels"]


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
                f"{len(names)} series; read them as a panel with --id-column {column} "
                f"(id_column={column!r} in Python), or keep the rows of one {column} "
                f"(in pandas: df[df['{column}'] == {str(names[0])!r}])"
            )


def check_one_series_index(index: pd.Index) -> None:
    """Refuse an index of several levels (store, date): several series, or one to pick out.

    The message says how to read them as a panel (one id level beside the
    dates) or pick one (``df.xs``); :func:`~seqcast.data.read.read_table` and
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
    dated = date_levels(index)
    ids = [i for i in range(index.nlevels) if i not in dated] or list(range(index.nlevels - 1))
    keys = [i if index.names[i] is None else index.names[i] for i in ids]
    firsts = [levels[i][0] for i in ids]
    if len(ids) == 1:
        pick = f"df.xs({firsts[0]!r}, level={keys[0]!r})"
    else:
        pick = f"df.xs({tuple(firsts)!r}, level={keys!r})"
    panel = ""
    if len(ids) == 1 and len(dated) == 1:
        # read_panel takes an (id, date) index as it is; the command line reads files,
        # whose id is a column.
        panel = f"read them as a panel with read_panel(df) (--id-column {names[ids[0]]}), or "
    raise SeqcastError(
        f"the data has a {index.nlevels}-level index ({', '.join(names)}): several series "
        f"in one table; {panel}pick one with {pick}"
    )


def date_levels(index: pd.MultiIndex) -> list[int]:
    """The positions of the levels of ``index`` that hold dates (datetimes, or text that reads so).

    >>> index = pd.MultiIndex.from_product([["A"], ["2020-01-01", "2020-01-02"]])
    >>> date_levels(index)
    [1]
    """
    return [i for i in range(index.nlevels) if _holds_dates(index.get_level_values(i))]


def _holds_dates(level: pd.Index) -> bool:
    if isinstance(level, (pd.DatetimeIndex, pd.PeriodIndex)):
        return True
    try:
        return try_dates(level.to_series()) is not None
    except SeqcastError:
        return True  # dates, though they read two ways
