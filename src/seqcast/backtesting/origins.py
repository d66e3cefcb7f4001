"""Where a backtest's forecasts start: the rolling origins, and the values they forecast.

>>> backtest_origins(pd.RangeIndex(10), 6, default=None, horizon=2, stride=1, window=3).tolist()
[6, 7, 8]
>>> actual_at(np.arange(10.0), np.array([6, 8]), 2).tolist()
[[6.0, 7.0], [8.0, 9.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from seqcast.checks import positive_int
from seqcast.data.dates import DateStyle, label_position, parse_label, said
from seqcast.errors import SeqcastError
from seqcast.spelling import argument


def backtest_origins(
    index: pd.Index,
    start: Any,
    *,
    default: int | None,
    horizon: int,
    stride: int,
    window: int,
    lag: int = 0,
    style: DateStyle | None = None,
) -> np.ndarray:
    """Every ``stride``-th position from ``start`` that leaves ``horizon`` values to forecast.

    ``start`` is a label of ``index`` (a date or step, a date read as the data's
    ``style`` writes dates), or None for ``default``
    (a forecaster's validation start; None when it has none for this data).
    The start must leave a forecaster's ``window`` of points before it, plus
    its differencing ``lag``.
    """
    if start is None:
        # The default, the validation start, only means something on the data fitted.
        if default is None:
            raise SeqcastError(
                "say where the backtest starts (start='2019-01-01' / --start), or fit "
                "with a validation part and backtest that same data"
            )
        first = default
    else:
        first = label_position(index, start, argument("start"), style)
        if first < window + lag:
            read_as = parse_label(index, start, argument("start"), style)
            raise SeqcastError(
                f"the backtest start {said(start, read_as)} leaves {first} points before "
                f"it, fewer than the window {window}; start later"
            )
    stride = positive_int(stride, "stride")
    origins = np.arange(first, len(index) - horizon + 1, stride)
    if len(origins) == 0:
        raise SeqcastError(
            f"no forecast origin fits: from {index[first]} there are fewer than "
            f"horizon = {horizon} values left; start the backtest earlier"
        )
    return origins


def actual_at(target: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """The values forecast from ``origins``: ``target[origin + step]``, ``(origins, horizon)``."""
    return target[origins[:, None] + np.arange(horizon)]
