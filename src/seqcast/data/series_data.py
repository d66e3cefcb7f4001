"""SeriesData: one checked series, the unit a :class:`~seqcast.data.panel.Panel` holds.

The type alone, below every reader: :mod:`seqcast.data.prepare` makes one
from a table's chosen columns, :func:`~seqcast.data.series.prepare_series`
and :func:`~seqcast.data.panel.read_panel` return them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from seqcast.checks import is_whole_number, positive_int
from seqcast.data.dates import NUMERIC_DATE, DateStyle, user_date
from seqcast.errors import SeqcastError

__all__ = ["SeriesData"]


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

    >>> data = SeriesData(pd.DataFrame({"y": [1.0, 2.0, 3.0]}), "y", (), None)
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
    date_style: DateStyle = field(default_factory=DateStyle)

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
        >>> data = SeriesData(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=index), "y", (), "MS")
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
                last = user_date(after, "'after'", self.date_style)
            except SeqcastError as err:
                if re.match(NUMERIC_DATE, str(after)):
                    raise  # a date that reads both ways, or not as the data writes dates
                raise SeqcastError(
                    f"'after' must be a date such as 2020-01-31, not {after!r}"
                ) from err
            if index.tz is not None and last.tz is None:
                last = last.tz_localize(index.tz)
        return pd.date_range(last + offset, periods=horizon, freq=offset, name=index.name)
