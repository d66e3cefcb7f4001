"""Rolling-origin backtests of one series: the names they have always had.

The work is done by :mod:`seqcast.backtesting`, for any number of series; a
single series is a panel of one. :func:`score_backtest` scores one series'
forecasts (``(origins, horizon)`` in the data's units) beside the baselines
and returns a :class:`Backtest` of one series, printable and plottable
(``seqcast.plots``).

>>> target = 10 + np.sin(np.arange(120) * 2 * np.pi / 7)
>>> origins = backtest_origins(pd.RangeIndex(120), start=100, default=None, horizon=3,
...                            stride=1, window=14)
>>> perfect = target[origins[:, None] + np.arange(3)]
>>> result = score_backtest(target, origins, pd.RangeIndex(120), {"oracle": perfect},
...                         season=7, first=100, sarima=False)
>>> result.winner(), float(result.scores.loc["oracle", "MAE"])
('oracle', 0.0)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from seqcast.backtesting.origins import actual_at, backtest_origins
from seqcast.backtesting.result import Backtest
from seqcast.backtesting.scorer import score_panel
from seqcast.backtesting.summary import skipped_and_unscored
from seqcast.baselines.suite import usual_baselines

__all__ = ["Backtest", "actual_at", "backtest_origins", "score_backtest", "skipped_and_unscored"]

#: The id a series scored alone goes by in the result's tables.
ONE_SERIES_ID = "series"


def score_backtest(
    target: np.ndarray,
    origins: np.ndarray,
    index: pd.Index,
    forecasts: dict[str, np.ndarray],
    *,
    season: int,
    first: int,
    compare: bool = True,
    sarima: bool = True,
    filled: np.ndarray | None = None,
) -> Backtest:
    """Score ``forecasts`` (method → ``(origins, horizon)``) against ``target``, with baselines.

    ``target`` is the whole target column in the data's units; ``origins``
    positions in it; ``index`` its labels. The first method of ``forecasts``
    is the model. With ``compare`` the series baselines (naive, seasonal
    naive, moving average, differencing, and SARIMA unless ``sarima`` is
    False) forecast the same points, SARIMA fitted on ``target[:first]``;
    a baseline that cannot run is listed in ``skipped`` with the reason.
    MASE is scaled by the naive errors on ``target[:first]`` when it holds
    more than one ``season``.

    ``filled`` (booleans like ``target``) marks the values that were filled in
    rather than observed: forecasts of them are left out of every metric (a
    filled value is a guess, and scoring against it would reward the method
    that guesses alike, e.g. naive against forward-filled holidays). They
    still serve as inputs, as they did in training.

    :func:`~seqcast.backtesting.scorer.score_panel` on a panel of one, with
    ``one_series=True``.
    """
    return score_panel(
        [target],
        [origins],
        [index],
        [ONE_SERIES_ID],
        {method: [forecast] for method, forecast in forecasts.items()},
        season=season,
        fit_ends=[first],
        freq=None,
        baselines=compare and usual_baselines(True, fitted=sarima),
        filled=None if filled is None else [filled],
        one_series=True,
    )
