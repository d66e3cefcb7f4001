"""Rolling-origin backtests, of one series or many: one result type, one scorer.

* :mod:`~seqcast.backtesting.origins`: where the origins lie
  (:func:`backtest_origins`) and the values they forecast (:func:`actual_at`);
* :mod:`~seqcast.backtesting.start`: where a backtest starts when not told (after the
  data the model was fitted on, else the last fifth);
* :mod:`~seqcast.backtesting.scores`: one method's scores per series, pooled
  and per horizon step;
* :mod:`~seqcast.backtesting.scorer`: :func:`score_panel`, the baselines run
  beside a model's forecasts and every method scored, for any number of series;
* :mod:`~seqcast.backtesting.result`: :class:`Backtest`, the result, a single
  series unwrapped;
* :mod:`~seqcast.backtesting.summary`: the result as text.

``seqcast.backtest`` (``score_backtest``, for one series) and
``seqcast.panel_backtest`` keep their names working.

>>> from seqcast import backtesting
>>> backtesting.Backtest is backtesting.PanelBacktest
True
"""

from seqcast.backtesting.origins import actual_at, backtest_origins
from seqcast.backtesting.result import Backtest, PanelBacktest
from seqcast.backtesting.scorer import score_panel
from seqcast.backtesting.scores import AGGREGATE_COLUMNS, SERIES_COLUMNS
from seqcast.backtesting.summary import skipped_and_unscored

__all__ = [
    "AGGREGATE_COLUMNS",
    "SERIES_COLUMNS",
    "Backtest",
    "PanelBacktest",
    "actual_at",
    "backtest_origins",
    "score_panel",
    "skipped_and_unscored",
]
