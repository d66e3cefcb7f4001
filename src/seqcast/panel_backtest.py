"""Rolling-origin backtests over a panel: every series scored, and the panel in aggregate.

A model's forecasts at each series' origins come in; :func:`score_panel`
adds the per-series baselines (naive, seasonal naive, AutoETS, AutoARIMA,
see :mod:`seqcast.baselines.statistical`) at the same origins and scores every
method per series and over the panel, returning a :class:`PanelBacktest`
(printable; tables for CSV; figures in ``seqcast.plots``).

>>> steps = np.arange(60)
>>> targets = [10 + np.sin(steps * 2 * np.pi / 4), 50 + 5 * np.cos(steps * 2 * np.pi / 4)]
>>> origins = [np.arange(48, 58), np.arange(50, 58)]
>>> perfect = [t[o[:, None] + np.arange(3)] for t, o in zip(targets, origins)]
>>> result = score_panel(targets, origins, [pd.RangeIndex(60)] * 2, ["a", "b"],
...                      {"oracle": perfect}, season=4, fit_ends=[48, 50], freq=None,
...                      baselines=False)
>>> result.winner(), float(result.scores.loc["oracle", "MASE"])
('oracle', 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seqcast import metrics
from seqcast.backtest import skipped_and_unscored
from seqcast.baselines.statistical import STATISTICAL_BASELINES, panel_baselines
from seqcast.checks import positive_int
from seqcast.errors import SeqcastError

#: The columns of :attr:`PanelBacktest.scores`, in order (the CSV after ``method``).
AGGREGATE_COLUMNS = ("MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE", "WAPE")

#: The score columns of :attr:`PanelBacktest.per_series`, after the id and the method.
SERIES_COLUMNS = ("MAE", "sMAPE", "MASE", "WAPE", "n")


@dataclass
class PanelBacktest:
    """A rolling-origin backtest of a model over many series, beside per-series baselines.

    ``scores``: one row per method (the model first, then the baselines), columns

    * MAE, MSE, RMSE, MAPE, sMAPE: pooled over every scored forecast value of
      every series and origin (``metrics.forecast_scores`` on all of them at
      once), so long series and long test parts weigh more, and MAE, MSE and
      RMSE are in the data's units, where big series dominate;
    * MASE: the mean over series of each series' MASE, its MAE over the
      in-sample MAE of the seasonal naive forecast on ``target[:fit_end]``
      (season 1 where that part is no longer than a season). Scale-free, each
      series counts once. A series with a constant fit part has no MASE
      (NaN in ``per_series``) and is left out of the mean;
    * WAPE: ``100 * sum |error| / sum |actual|`` over all series: the pooled
      MAE relative to the pooled mean level.

    ``per_series``: one row per series and method, columns ``id_column``,
    ``method``, MAE, sMAPE, MASE, WAPE (of that series alone) and ``n``, the
    values scored. ``forecasts``: method → one ``(origins, horizon)`` array per
    series; ``actual`` the true values per series, NaN where a value was filled
    in rather than observed (``filled`` marks them): those are never scored.
    ``origins``: per series, the label of each origin's first forecast step.
    ``skipped``: baseline → why it did not run, or on which series it fell back.
    """

    scores: pd.DataFrame
    per_series: pd.DataFrame
    forecasts: dict[str, list[np.ndarray]]
    actual: list[np.ndarray]
    origins: list[pd.Index]
    ids: list[str]
    id_column: str
    model_name: str
    season: int
    skipped: dict[str, str] = field(default_factory=dict)
    filled: list[np.ndarray] = field(default_factory=list)
    targets: list[pd.Series] = field(default_factory=list)  # each whole target, for plots
    freq: str | None = None

    @property
    def horizon(self) -> int:
        """Forecast steps per origin."""
        return int(self.actual[0].shape[1])

    @property
    def unscored(self) -> int:
        """Forecast values left out because their actual value was filled in."""
        return int(sum(mask.sum() for mask in self.filled))

    def winner(self, metric: str = "MASE") -> str:
        """The method with the lowest aggregate ``metric``."""
        return str(self.scores[metric].idxmin())

    def series_mase(self, method: str | None = None) -> pd.Series:
        """Each series' MASE for ``method`` (the model by default), indexed by id."""
        rows = self.per_series[self.per_series["method"] == (method or self.model_name)]
        return rows.set_index(self.id_column)["MASE"]

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
        """The aggregate scores for a CSV: a ``method`` column, the model in the first row,
        then MAE, MSE, RMSE, MAPE, sMAPE, MASE, WAPE."""
        return self.scores.rename_axis("method").reset_index()

    def series_table(self) -> pd.DataFrame:
        """The per-series scores for a second CSV (``per_series``, a copy)."""
        return self.per_series.copy()

    def __str__(self) -> str:
        counts = [len(at) for at in self.origins]
        spread = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
        lines = [
            f"panel backtest: {len(self.ids)} series, {sum(counts)} origins ({spread} per "
            f"series), horizon {self.horizon}, season {self.season}; lower is better",
            self.scores.to_string(float_format=lambda v: f"{v:.4g}"),
            "MASE: mean over series; MAE, RMSE, sMAPE...: over all forecast values; "
            "WAPE: sum |error| / sum |actual|, %",
            f"best by MASE: {self.winner()}",
        ]
        mase = self.series_mase()
        picks = self.ranked_series()
        if picks:
            named = ", ".join(f"{kind} {name} ({mase[name]:.3g})" for kind, name in picks.items())
            lines.append(f"{self.model_name} MASE by series: {named}")
        missing = int(mase.isna().sum())
        if missing:
            lines.append(
                f"(no MASE for {missing} series whose fit part is constant: left out of the mean)"
            )
        lines += skipped_and_unscored(self.skipped, self.unscored)
        return "\n".join(lines)


def score_panel(
    targets: Sequence[np.ndarray],
    origins: Sequence[np.ndarray],
    indexes: Sequence[pd.Index],
    ids: Sequence[str],
    forecasts: dict[str, Sequence[np.ndarray]],
    *,
    season: int,
    fit_ends: Sequence[int],
    freq: str | None,
    baselines: bool | Sequence[str] = True,
    filled: Sequence[np.ndarray] | None = None,
    id_column: str = "series",
    n_jobs: int | None = 1,
) -> PanelBacktest:
    """Score ``forecasts`` over a panel, series by series and in aggregate, beside baselines.

    ``targets[i]``: series ``i``'s whole target (1-D, data units); ``origins[i]``:
    positions in it (the forecast of origin ``t`` is of ``target[t : t + horizon]``);
    ``indexes[i]``: its labels; ``ids[i]``: its name. ``forecasts``: method →
    one ``(len(origins[i]), horizon)`` array per series, the model first.
    ``fit_ends[i]``: where series ``i``'s test part starts: the baselines are
    fitted on ``target[:fit_end]`` and its MASE is scaled by the seasonal naive
    errors there. With ``baselines`` the methods of
    :data:`~seqcast.baselines.statistical.STATISTICAL_BASELINES` forecast the same
    points (``n_jobs`` as in :func:`~seqcast.baselines.statistical.panel_baselines`).
    ``filled[i]`` (booleans like ``targets[i]``) marks values filled in rather
    than observed: forecasts of them are not scored. See :class:`PanelBacktest`
    for each score's definition.
    """
    season = positive_int(season, "season")
    if not forecasts:
        raise SeqcastError("score_panel needs the model's forecasts; pass {name: [arrays]}.")
    model_name = next(iter(forecasts))
    ids = [str(name) for name in ids]
    n = len(ids)
    lengths = {
        "targets": len(targets),
        "origins": len(origins),
        "indexes": len(indexes),
        "fit_ends": len(fit_ends),
    }
    lengths.update({f"forecasts[{m!r}]": len(f) for m, f in forecasts.items()})
    if filled is not None:
        lengths["filled"] = len(filled)
    wrong = {name: count for name, count in lengths.items() if count != n}
    if wrong:
        name, count = next(iter(wrong.items()))
        raise SeqcastError(
            f"score_panel got {n} ids but {count} {name}; pass one entry per series in each."
        )
    targets = [np.asarray(t, dtype=float) for t in targets]
    origins = [np.asarray(at).astype(np.intp) for at in origins]
    horizon = np.asarray(forecasts[model_name][0]).shape[1]
    runs = {m: [np.asarray(f, dtype=float) for f in fs] for m, fs in forecasts.items()}
    for i, name in enumerate(ids):
        _check_series(name, targets[i], origins[i], indexes[i], int(fit_ends[i]), horizon, runs, i)
    skipped: dict[str, str] = {}
    if baselines:
        methods = STATISTICAL_BASELINES if baselines is True else tuple(baselines)
        ran = panel_baselines(
            targets,
            origins,
            horizon,
            season=season,
            fit_ends=fit_ends,
            ids=ids,
            methods=methods,
            n_jobs=n_jobs,
        )
        for method in STATISTICAL_BASELINES:
            if method in ran.forecasts and method not in runs:
                runs[method] = ran.forecasts[method]
        skipped.update(ran.skipped)
        skipped.update(ran.notes())
    actual, masks = [], []
    for i in range(n):
        values = targets[i][origins[i][:, None] + np.arange(horizon)]
        mask = np.zeros(values.shape, dtype=bool)
        if filled is not None:
            mask = np.asarray(filled[i], dtype=bool)[origins[i][:, None] + np.arange(horizon)]
        actual.append(np.where(mask, np.nan, values))
        masks.append(mask)
    if not any((~mask).any() for mask in masks):
        raise SeqcastError(
            "every value the backtest would score was filled in, not observed; "
            "start the backtest where the data has observed values"
        )
    scales = [_scale(targets[i][: int(fit_ends[i])], season) for i in range(n)]
    scores, rows = {}, []
    for method, predicted in runs.items():
        per_series = [series_scores(actual[i], predicted[i], scales[i]) for i in range(n)]
        scores[method] = pooled_scores(actual, predicted, per_series)
        rows += [{id_column: ids[i], "method": method, **per_series[i]} for i in range(n)]
    per_series_table = pd.DataFrame(rows, columns=[id_column, "method", *SERIES_COLUMNS])
    return PanelBacktest(
        scores=pd.DataFrame.from_dict(scores, orient="index")[list(AGGREGATE_COLUMNS)],
        per_series=per_series_table,
        forecasts=runs,
        actual=actual,
        origins=[pd.Index(indexes[i])[origins[i]] for i in range(n)],
        ids=ids,
        id_column=id_column,
        model_name=model_name,
        season=season,
        skipped=skipped,
        filled=masks,
        targets=[pd.Series(targets[i], index=indexes[i]) for i in range(n)],
        freq=freq,
    )


def _check_series(
    name: str,
    target: np.ndarray,
    at: np.ndarray,
    index: pd.Index,
    fit_end: int,
    horizon: int,
    runs: dict[str, list[np.ndarray]],
    i: int,
) -> None:
    """One clear sentence, naming the series, for inputs that cannot be scored."""
    if target.ndim != 1 or len(index) != len(target):
        raise SeqcastError(
            f"series {name}: its target has shape {target.shape} but {len(index)} labels; "
            "pass one 1-D target and one label per value."
        )
    if at.ndim != 1 or len(at) == 0:
        raise SeqcastError(f"series {name}: no forecast origins; give each series at least one.")
    if at.min() < fit_end or at.max() + horizon > len(target):
        raise SeqcastError(
            f"series {name}: its origins must lie from its test start {fit_end} to "
            f"{len(target) - horizon} (horizon {horizon} before its end at {len(target)}), "
            f"but run from {at.min()} to {at.max()}; drop the origins outside."
        )
    for method, forecast in runs.items():
        if forecast[i].shape != (len(at), horizon):
            raise SeqcastError(
                f"series {name}: the {method} forecasts have shape {forecast[i].shape}, but "
                f"its {len(at)} origins and horizon {horizon} need {(len(at), horizon)}."
            )


def _scale(history: np.ndarray, season: int) -> float:
    """MASE's denominator for one series, NaN where it cannot be had (or is 0)."""
    if len(history) < 2:
        return float("nan")
    scale = metrics.mase_scale(history, season)
    return scale if scale > 0 else float("nan")


def series_scores(actual: np.ndarray, forecast: np.ndarray, scale: float) -> dict[str, Any]:
    """MAE, sMAPE, MASE (MAE / ``scale``), WAPE and ``n`` of one series' non-NaN ``actual``.

    >>> series_scores(np.array([[2.0, np.nan]]), np.array([[3.0, 9.0]]), scale=2.0)
    {'MAE': 1.0, 'sMAPE': 40.0, 'MASE': 0.5, 'WAPE': 50.0, 'n': 1}
    """
    kept = ~np.isnan(actual)
    if not kept.any():
        return {**dict.fromkeys(SERIES_COLUMNS[:-1], float("nan")), "n": 0}
    y, p = actual[kept], forecast[kept]
    mae = metrics.mae(y, p)
    return {
        "MAE": mae,
        "sMAPE": metrics.smape(y, p),
        "MASE": mae / scale,
        "WAPE": metrics.wape(y, p),
        "n": int(kept.sum()),
    }


def pooled_scores(
    actual: Sequence[np.ndarray], forecast: Sequence[np.ndarray], per_series: list[dict[str, Any]]
) -> dict[str, float]:
    """The aggregate row of one method: pooled MAE ... sMAPE and WAPE, mean series MASE.

    >>> actual = [np.array([[1.0, 3.0]]), np.array([[10.0, np.nan]])]
    >>> forecast = [np.array([[2.0, 3.0]]), np.array([[12.0, 0.0]])]
    >>> rows = [series_scores(a, f, s) for a, f, s in zip(actual, forecast, [1.0, 4.0])]
    >>> row = pooled_scores(actual, forecast, rows)
    >>> row["MAE"], row["MASE"], round(row["WAPE"], 3)  # MASE: mean of 0.5 / 1 and 2 / 4
    (1.0, 0.5, 21.429)
    """
    y = np.concatenate([a.ravel() for a in actual])
    p = np.concatenate([f.ravel() for f in forecast])
    kept = ~np.isnan(y)
    y, p = y[kept], p[kept]
    row = metrics.forecast_scores(y, p)
    mase = np.array([r["MASE"] for r in per_series], dtype=float)
    row["MASE"] = float(np.mean(mase[np.isfinite(mase)])) if np.isfinite(mase).any() else np.nan
    row["WAPE"] = metrics.wape(y, p)
    return row
