"""Per-series statistical baselines for a panel: naive, seasonal naive, AutoETS and AutoARIMA.

The suite a backtest of many series runs (:data:`STATISTICAL_BASELINES`),
through :func:`~seqcast.baselines.suite.run_baselines`, the one suite for any
number of series. Each series ``i`` has its own target, forecast origins and
``fit_ends[i]``, the start of its test part. AutoETS and AutoARIMA are fitted
once per series on ``target[:fit_end]`` and run forward from each origin
(:mod:`seqcast.baselines.fitted`); the naive and seasonal naive forecasts are
the same NumPy functions a single-series backtest uses
(:mod:`seqcast.baselines.simple`).

>>> series = [np.arange(30.0), np.arange(40.0)]
>>> result = panel_baselines(series, [[25, 26], [35]], 2, season=1, fit_ends=[25, 35],
...                          methods=("naive",))
>>> [f.tolist() for f in result.forecasts["naive"]]
[[[24.0, 24.0], [25.0, 25.0]], [[34.0, 34.0]]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seqcast.baselines.fitted import MIN_SEASONS, PARALLEL_FROM
from seqcast.baselines.suite import STATISTICAL_BASELINES, PanelBaselines, run_baselines
from seqcast.checks import listing
from seqcast.errors import SeqcastError

__all__ = [
    "MIN_SEASONS",
    "PARALLEL_FROM",
    "STATISTICAL_BASELINES",
    "PanelBaselines",
    "panel_baselines",
]


def panel_baselines(
    targets: Sequence[np.ndarray],
    origins: Sequence[np.ndarray],
    horizon: int,
    *,
    season: int,
    fit_ends: Sequence[int],
    ids: Sequence[str] | None = None,
    methods: Sequence[str] = STATISTICAL_BASELINES,
    n_jobs: int | None = 1,
) -> PanelBaselines:
    """Forecast every series at its origins with each of ``methods``, statistical baselines only.

    :func:`~seqcast.baselines.suite.run_baselines` restricted to
    :data:`STATISTICAL_BASELINES`, a series too short for the season running
    the naive forecast (see ``fallbacks``):

    * ``naive``: ``target[t - 1]`` repeated;
    * ``seasonal_naive``: ``target[t + j - season]`` (skipped for ``season`` 1; naive on
      a series whose first origin comes before one season);
    * ``auto_ets``, ``auto_arima``: statsforecast's AutoETS and AutoARIMA with
      ``season_length=season``, or ``1`` for a series with fewer than
      :data:`MIN_SEASONS` seasons before ``fit_end`` or a season longer than
      ``MAX_STATE_SPACE_SEASON``; a fit that fails is retried without the
      season, then replaced by the naive forecast, and ``fallbacks`` says so.

    ``n_jobs`` worker processes share the series (``None``: one per core from
    :data:`PARALLEL_FROM` series on, else none; ``1``: none).
    """
    unknown = [m for m in methods if m not in STATISTICAL_BASELINES]
    if unknown:
        raise SeqcastError(
            f"unknown panel baseline {unknown[0]!r}; choose among {listing(STATISTICAL_BASELINES)}"
        )
    return run_baselines(
        targets, origins, horizon, season=season, fit_ends=fit_ends, ids=ids, methods=methods,
        n_jobs=n_jobs,
    )  # fmt: skip
