"""Rolling-origin backtests over a panel: the names they have always had.

The work is done by :mod:`seqcast.backtesting`, for any number of series:
:func:`score_panel` adds the per-series baselines (naive, seasonal naive,
AutoETS, AutoARIMA, see :mod:`seqcast.baselines.statistical`) at the same
origins and scores every method per series and over the panel, returning a
:class:`PanelBacktest` (the one :class:`~seqcast.backtesting.result.Backtest`
type; printable; tables for CSV; figures in ``seqcast.plots``).

>>> PanelBacktest is Backtest
True
"""

from __future__ import annotations

from seqcast.backtesting.result import Backtest, PanelBacktest
from seqcast.backtesting.scorer import score_panel
from seqcast.backtesting.scores import (
    AGGREGATE_COLUMNS,
    SERIES_COLUMNS,
    pooled_scores,
    series_scores,
)

__all__ = [
    "AGGREGATE_COLUMNS",
    "SERIES_COLUMNS",
    "Backtest",
    "PanelBacktest",
    "pooled_scores",
    "score_panel",
    "series_scores",
]
