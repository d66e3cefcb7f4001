"""A backtest's scores of one method, for any number of series: per series, pooled, per step.

Every scored value is a non-NaN entry of a series' ``actual`` (values filled
in rather than observed are NaN there, and never scored). MASE divides a
series' MAE by its own ``scale`` (:func:`mase_scale`), and a panel's MASE is
the mean over its series; the other scores pool every value of every series.
A single series is a panel of one: its pooled scores are its own.

>>> actual = [np.array([[1.0, 3.0]]), np.array([[10.0, np.nan]])]
>>> forecast = [np.array([[2.0, 3.0]]), np.array([[12.0, 0.0]])]
>>> scored = method_scores(actual, forecast, scales=[1.0, 4.0])
>>> scored.overall["MAE"], scored.overall["MASE"], scored.per_horizon["MAE"].tolist()
(1.0, 0.5, [1.5, 0.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seqcast import metrics

#: The columns of a backtest's ``scores``, in order (the CSV after ``method``).
AGGREGATE_COLUMNS = ("MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE", "WAPE")

#: The score columns of a backtest's ``per_series``, after the id and the method.
SERIES_COLUMNS = ("MAE", "sMAPE", "MASE", "WAPE", "n")


@dataclass
class MethodScores:
    """One method's scores: ``overall`` (a row of ``scores``), ``series`` (one dict per
    series, of :data:`SERIES_COLUMNS`) and ``per_horizon`` (a row per horizon step)."""

    overall: dict[str, float]
    series: list[dict[str, Any]]
    per_horizon: pd.DataFrame


def mase_scale(history: np.ndarray, season: int) -> float:
    """MASE's denominator for one series, NaN where it cannot be had (or is 0).

    >>> mase_scale(np.array([1.0, 3.0, 2.0, 6.0]), 2), mase_scale(np.array([5.0, 5.0]), 1)
    (2.0, nan)
    """
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

    All NaN where no value is scored (a horizon step whose actual values were all filled in).

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
    if not kept.any():
        return dict.fromkeys(AGGREGATE_COLUMNS, float("nan"))
    y, p = y[kept], p[kept]
    row = metrics.forecast_scores(y, p)
    row["MASE"] = _finite_mean([r["MASE"] for r in per_series])
    row["WAPE"] = metrics.wape(y, p)
    return row


def per_horizon_scores(
    actual: Sequence[np.ndarray], forecast: Sequence[np.ndarray], scales: Sequence[float]
) -> pd.DataFrame:
    """:func:`pooled_scores` of each horizon step: one row per step, 1 to ``horizon``.

    Errors usually grow with the step, which one overall number hides.
    """
    horizon = actual[0].shape[1]
    # each series' MAE at each step over its scale, as series_scores does over all steps
    step_mase = np.array(
        [_step_maes(a, f) / s for a, f, s in zip(actual, forecast, scales, strict=True)]
    ).reshape(len(actual), horizon)
    rows = []
    for step in range(horizon):
        y = np.concatenate([a[:, step] for a in actual])
        p = np.concatenate([f[:, step] for f in forecast])
        kept = ~np.isnan(y)
        if not kept.any():
            rows.append(dict.fromkeys(AGGREGATE_COLUMNS, float("nan")))
            continue
        row = metrics.forecast_scores(y[kept], p[kept])
        row["MASE"] = _finite_mean(step_mase[:, step])
        row["WAPE"] = metrics.wape(y[kept], p[kept])
        rows.append(row)
    return pd.DataFrame(rows, index=pd.RangeIndex(1, horizon + 1, name="horizon"))


def _step_maes(actual: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    """One series' MAE at each horizon step, over the values scored (NaN at a step with none).

    Each step's errors are laid out contiguously and averaged along that axis, which
    sums them as ``metrics.mae`` sums one step's errors alone, to the last digit.
    """
    errors = np.abs(actual - forecast)
    kept = ~np.isnan(actual)
    if kept.all():
        return np.ascontiguousarray(errors.T).mean(axis=1)
    steps = range(actual.shape[1])
    return np.array([np.mean(errors[kept[:, j], j]) if kept[:, j].any() else np.nan for j in steps])


def _finite_mean(values: Sequence[float]) -> float:
    """The mean of the finite ``values`` (NaN where there is none): a panel's MASE."""
    values = np.array(values, dtype=float)
    finite = np.isfinite(values)
    return float(np.mean(values[finite])) if finite.any() else float("nan")


def method_scores(
    actual: Sequence[np.ndarray], forecast: Sequence[np.ndarray], scales: Sequence[float]
) -> MethodScores:
    """Every score of one method's ``forecast`` (one array per series, like ``actual``)."""
    series = [series_scores(a, f, s) for a, f, s in zip(actual, forecast, scales, strict=True)]
    return MethodScores(
        overall=pooled_scores(actual, forecast, series),
        series=series,
        per_horizon=per_horizon_scores(actual, forecast, scales),
    )
