"""The result of a rolling-origin backtest, of one series or many: :class:`Backtest`.

One type whatever the number of series. A backtest of many series (or of a
panel of one) holds one array per series and shows its aggregate and
``per_series`` scores; a backtest of one series is unwrapped: its
``forecasts`` are arrays, ``actual`` one array, ``origins`` one index, and it
shows its scores per horizon step instead (``per_horizon``).

>>> scores = pd.DataFrame({"MAE": [1.0, 2.0]}, index=["model", "naive"])
>>> result = Backtest(scores, {}, {}, np.zeros((2, 3)), pd.RangeIndex(5, 7), "model", season=1)
>>> result.winner(), result.horizon, result.many, hasattr(result, "per_series")
('model', 3, False, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from seqcast.backtesting.summary import describe

#: The fields a backtest shows (``repr``), of one series and of many.
ONE_SERIES_FIELDS = (
    "scores", "per_horizon", "forecasts", "actual", "origins", "model_name", "season",
    "skipped", "unscored",
)  # fmt: skip
MANY_SERIES_FIELDS = (
    "scores", "per_series", "forecasts", "actual", "origins", "ids", "id_column",
    "model_name", "season", "skipped", "filled", "targets", "freq",
)  # fmt: skip


class Backtest:
    """Rolling-origin evaluation of a fitted model beside the baselines, over one series or many.

    ``scores``: one row per method (the model first, then the baselines), columns

    * MAE, MSE, RMSE, MAPE, sMAPE: over every scored forecast value, of every
      origin and horizon step (and, over many series, of every series pooled:
      long series and long test parts weigh more, and MAE, MSE and RMSE are in
      the data's units, where big series dominate);
    * MASE: a series' MAE over the in-sample MAE of the seasonal naive forecast
      on its values before the start; over many series, the mean over series
      (season 1 for a series whose fit part is no longer than a season; a
      series with a constant fit part has no MASE, NaN in ``per_series``, and
      is left out of the mean). One series with no more than a season before
      the start has no MASE column;
    * WAPE (many series only): ``100 * sum |error| / sum |actual|`` over all
      series, the pooled MAE relative to the pooled mean level.

    ``per_horizon``: method → the same scores per horizon step.
    ``forecasts``: method → ``(origins, horizon)`` array (one per series, for
    many); ``actual`` the true values likewise; ``origins`` the label of each
    origin's first forecast step (an index per series, for many). A value the
    data filled in (``fill=...`` / ``--fill``) is not a true value: it is NaN
    in ``actual`` and no method is scored on it; ``unscored`` counts them,
    ``filled`` marks them (one mask per series). ``skipped``: baseline → why
    it did not run, or on which series it fell back.

    Of many series only: ``per_series``, one row per series and method,
    columns ``id_column``, ``method``, MAE, sMAPE, MASE, WAPE (of that series
    alone) and ``n``, the values scored; ``ids``; ``targets``, each series'
    whole target (for plots); ``freq``. ``many`` says which kind a backtest is
    (by default: of many series when ``ids`` are given).
    """

    def __init__(
        self,
        scores: pd.DataFrame,
        per_horizon: dict[str, pd.DataFrame] | None = None,
        forecasts: dict[str, Any] | None = None,
        actual: Any = None,
        origins: Any = None,
        model_name: str = "",
        season: int = 1,
        skipped: dict[str, str] | None = None,
        unscored: int = 0,
        *,
        per_series: pd.DataFrame | None = None,
        ids: list[str] | None = None,
        id_column: str = "series",
        filled: list[np.ndarray] | None = None,
        targets: list[pd.Series] | None = None,
        freq: str | None = None,
        many: bool | None = None,
    ) -> None:
        self.scores = scores
        self.per_horizon = {} if per_horizon is None else per_horizon
        self.forecasts = {} if forecasts is None else forecasts
        self.actual = actual
        self.origins = origins
        self.model_name = model_name
        self.season = season
        self.skipped = {} if skipped is None else skipped
        self.ids = [] if ids is None else list(ids)
        self.id_column = id_column
        self.filled = [] if filled is None else list(filled)
        self.targets = [] if targets is None else list(targets)
        self.freq = freq
        self.many = ids is not None if many is None else many
        self.unscored = int(sum(m.sum() for m in self.filled)) if self.filled else int(unscored)
        self._per_series = per_series

    @property
    def per_series(self) -> pd.DataFrame:
        """The scores of each series and method (a backtest of many series only)."""
        if not self.many:
            # an AttributeError, so that hasattr(backtest, "per_series") tells the two apart
            raise AttributeError(
                "a backtest of one series has no per_series; its scores are in scores, "
                "and per horizon step in per_horizon"
            )
        return self._per_series

    @property
    def horizon(self) -> int:
        """Forecast steps per origin."""
        first = self.actual[0] if self.many else self.actual
        return int(first.shape[-1])

    def winner(self, metric: str | None = None) -> str:
        """The method with the lowest ``metric`` (MASE over many series, else MAE)."""
        return str(self.scores[metric or ("MASE" if self.many else "MAE")].idxmin())

    def series_mase(self, method: str | None = None) -> pd.Series:
        """Each series' MASE for ``method`` (the model by default), indexed by id."""
        return self.series_score("MASE", method)

    def series_score(self, column: str, method: str | None = None) -> pd.Series:
        """Each series' ``column`` of ``per_series`` for ``method`` (the model by default)."""
        table = self._per_series
        rows = table[table["method"] == (method or self.model_name)]
        return rows.set_index(self.id_column)[column]

    def ranked_series(self, method: str | None = None) -> dict[str, str]:
        """``{"best": id, "median": id, "worst": id}`` by ``method``'s MASE (the model's by
        default); a panel of one or two series has fewer, series without MASE none."""
        mase = self.series_mase(method).dropna().sort_values(kind="stable")
        picks = {"best": 0, "median": (len(mase) - 1) // 2, "worst": len(mase) - 1}
        ranked: dict[str, str] = {}
        for kind, at in picks.items():
            if len(mase) and str(mase.index[at]) not in ranked.values():
                ranked[kind] = str(mase.index[at])
        if len(mase) == 2:  # the median of two is the best: call the other one the worst
            ranked = {"best": ranked["best"], "worst": str(mase.index[1])}
        return ranked

    def table(self) -> pd.DataFrame:
        """The scores for a CSV: a ``method`` column, the model in the first row, then the
        score columns (MAE, MSE, RMSE, MAPE, sMAPE, MASE, and WAPE for many series)."""
        return self.scores.rename_axis("method").reset_index()

    def series_table(self) -> pd.DataFrame:
        """The per-series scores for a second CSV (``per_series``, a copy)."""
        return self.per_series.copy()

    def __str__(self) -> str:
        return describe(self)

    def __repr__(self) -> str:
        # as the dataclasses Backtest and PanelBacktest, one per kind, wrote themselves
        kind, fields = (
            ("PanelBacktest", MANY_SERIES_FIELDS) if self.many else ("Backtest", ONE_SERIES_FIELDS)
        )
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields)
        return f"{kind}({shown})"


#: The name of a backtest of many series before the two were one type.
PanelBacktest = Backtest
