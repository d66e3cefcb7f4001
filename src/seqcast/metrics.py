"""Forecast metrics: the one place they are defined.

Two forms of each, on purpose:

* ``mse(y_true, y_pred)`` and friends: NumPy, one number, for reports;
* ``PER_SAMPLE[name]``: array-API functions returning one value per sample
  (before the mean over samples), which the compiled trainer masks and
  averages exactly over padded batches. They use only ``.mean``, arithmetic
  and indexing, so they run on NumPy and JAX arrays alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from seqcast.checks import positive_int
from seqcast.errors import SeqcastError


def _flat(values) -> Any:
    """(samples, ...) -> (samples, -1)."""
    return values.reshape(values.shape[0], -1)


def _same_rank(y_true, y_pred):
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = y_true[..., None]
    return y_true, y_pred


def squared_error_per_sample(y_true, y_pred):
    y_true, y_pred = _same_rank(y_true, y_pred)
    return _flat((y_true - y_pred) ** 2).mean(axis=1)


def last_time_step_squared_error_per_sample(y_true, y_pred):
    """The book's ``last_time_step_mse`` before the mean over samples.

    For seq2seq targets ``(batch, time, horizon)`` only the forecast made at
    the last time step counts: the one a user would actually use.
    """
    return _flat((y_true[:, -1] - y_pred[:, -1]) ** 2).mean(axis=1)


def accuracy_per_sample(y_true, y_pred):
    """1 where the most probable class is the label, else 0.

    Labels may be class indices (``(batch,)`` or ``(batch, 1)``) or one-hot.
    """
    if y_true.ndim < y_pred.ndim or y_true.shape[-1] == 1:
        labels = y_true.reshape(y_pred.shape[:-1])
    else:
        labels = y_true.argmax(axis=-1)
    hits = (y_pred.argmax(axis=-1) == labels).astype(y_pred.dtype)
    return _flat(hits).mean(axis=1)


def forecast_absolute_error_per_sample(y_true, y_pred):
    """MAE of the forecast a user gets, per sample: for seq-to-seq outputs
    ``(batch, time, horizon)`` the last step's, else the whole output.

    What ``Forecaster`` monitors for early stopping (``val_forecast_mae``).
    """
    if y_pred.ndim == 3:
        y_true, y_pred = y_true[:, -1], y_pred[:, -1]
    return _flat(abs(y_true - y_pred)).mean(axis=1)


PER_SAMPLE: dict[str, Callable[[Any, Any], Any]] = {
    "last_time_step_mse": last_time_step_squared_error_per_sample,
    "forecast_mae": forecast_absolute_error_per_sample,
    "accuracy": accuracy_per_sample,
}


def mse(y_true, y_pred) -> float:
    """Mean squared error over every element."""
    y_true, y_pred = _same_rank(np.asarray(y_true), np.asarray(y_pred))
    return float(np.mean((y_true - y_pred) ** 2))


def mae(y_true, y_pred) -> float:
    """Mean absolute error over every element."""
    y_true, y_pred = _same_rank(np.asarray(y_true), np.asarray(y_pred))
    return float(np.mean(np.abs(y_true - y_pred)))


def rmse(y_true, y_pred) -> float:
    """Root mean squared error."""
    return float(np.sqrt(mse(y_true, y_pred)))


def last_time_step_mse(y_true, y_pred) -> float:
    """``mse(y_true[:, -1], y_pred[:, -1])``, the book's seq2seq metric."""
    return float(
        np.mean(last_time_step_squared_error_per_sample(np.asarray(y_true), np.asarray(y_pred)))
    )


def accuracy(y_true, y_pred) -> float:
    """Share of samples whose most probable class is the label."""
    return float(np.mean(accuracy_per_sample(np.asarray(y_true), np.asarray(y_pred))))


# --------------------------------------------------------------------------- forecast scores


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays as float NumPy arrays of the same rank (see ``_same_rank``)."""
    return _same_rank(np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float))


def mape(y_true, y_pred) -> float:
    """Mean absolute percentage error, in percent, skipping points where ``y_true`` is 0.

    Counts such as sunspot numbers contain zeros, whose percentage error is
    undefined; skipping them beats returning ``inf``. All zeros give ``nan``.

    >>> mape([200.0, 0.0, 50.0], [150.0, 3.0, 75.0])
    37.5
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true, y_pred = np.broadcast_arrays(y_true, y_pred)
    kept = y_true != 0
    if not kept.any():
        return float("nan")
    return float(100 * np.mean(np.abs(y_true[kept] - y_pred[kept]) / np.abs(y_true[kept])))


def smape(y_true, y_pred) -> float:
    """Symmetric MAPE in percent: ``100 * mean(2|e| / (|y_true| + |y_pred|))``.

    A term whose truth and forecast are both 0 is a perfect forecast, so it counts as 0.

    >>> smape([100.0, 0.0], [300.0, 0.0])
    50.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    scale = np.abs(y_true) + np.abs(y_pred)
    error = 2 * np.abs(y_true - y_pred)
    # divide only where scale > 0, so 0/0 neither warns nor becomes nan
    terms = np.divide(error, scale, out=np.zeros(np.broadcast(error, scale).shape), where=scale > 0)
    return float(100 * np.mean(terms))


def mase(y_true, y_pred, y_train, season: int = 1) -> float:
    """Mean absolute scaled error: MAE over the in-sample MAE of the seasonal naive forecast.

    The scale is ``mean(|y_train[t] - y_train[t - season]|)``: below 1, the
    forecast beats repeating last season's value (last value for ``season=1``)
    on the training data. A constant ``y_train`` has scale 0 and gives ``nan``.

    >>> mase([3.0, 5.0], [4.0, 4.0], y_train=[1.0, 3.0, 5.0])
    0.5
    """
    scale = _naive_scale(y_train, season)
    if scale == 0:
        return float("nan")
    return mae(*_pair(y_true, y_pred)) / scale


def wape(y_true, y_pred) -> float:
    """Weighted absolute percentage error, in percent: ``100 * sum|e| / sum|y_true|``.

    The MAE relative to the mean size of the truth, so a big series weighs
    more than a small one and points near 0 do not blow it up as they do
    MAPE. All-zero truths give ``nan``.

    >>> wape([100.0, 0.0, 100.0], [90.0, 10.0, 130.0])
    25.0
    """
    y_true, y_pred = _pair(y_true, y_pred)
    total = float(np.sum(np.abs(y_true)))
    if total == 0:
        return float("nan")
    return float(100 * np.sum(np.abs(y_true - y_pred)) / total)


def mase_scale(y_train, season: int = 1) -> float:
    """MASE's denominator for one series, with season 1 where ``y_train`` is too short.

    The in-sample MAE of the seasonal naive forecast on ``y_train``; a series
    with no more than ``season`` points (a short series of a panel) is scaled
    by its naive (season 1) errors instead, rather than getting no MASE.
    Needs at least two points.

    >>> mase_scale([1.0, 3.0, 2.0, 6.0], season=2), mase_scale([1.0, 3.0], season=12)
    (2.0, 2.0)
    """
    y_train = np.asarray(y_train, dtype=float).ravel()
    return _naive_scale(y_train, season if len(y_train) > season else 1)


def _naive_scale(y_train, season: int) -> float:
    """In-sample MAE of the seasonal naive forecast, MASE's denominator."""
    y_train = np.asarray(y_train, dtype=float).ravel()
    positive_int(season, "season")
    if len(y_train) <= season:
        raise SeqcastError(
            f"MASE with season {season} needs more than {season} training points, "
            f"but y_train has {len(y_train)}; pass a longer y_train or a shorter season."
        )
    return float(np.mean(np.abs(y_train[season:] - y_train[:-season])))


def forecast_scores(y_true, y_pred, y_train=None, season: int = 1) -> dict[str, float]:
    """MAE, MSE, RMSE, MAPE, sMAPE and, given ``y_train``, MASE over every element.

    Arrays may be ``(n,)`` or ``(n, horizon)``.

    >>> scores = forecast_scores([1.0, 2.0], [2.0, 2.0], y_train=[0.0, 1.0, 2.0])
    >>> {name: round(value, 3) for name, value in scores.items()}
    {'MAE': 0.5, 'MSE': 0.5, 'RMSE': 0.707, 'MAPE': 50.0, 'sMAPE': 33.333, 'MASE': 0.5}
    """
    y_true, y_pred = _pair(y_true, y_pred)
    scores = {
        "MAE": mae(y_true, y_pred),
        "MSE": mse(y_true, y_pred),
        "RMSE": rmse(y_true, y_pred),
        "MAPE": mape(y_true, y_pred),
        "sMAPE": smape(y_true, y_pred),
    }
    if y_train is not None:
        scores["MASE"] = mase(y_true, y_pred, y_train, season)
    return scores


def per_horizon_scores(y_true, y_pred, y_train=None, season: int = 1):
    """``forecast_scores`` for each step ahead: one row per horizon step, 1 to ``horizon``.

    ``y_true`` and ``y_pred`` have shape ``(n_origins, horizon)``; errors usually
    grow with the step, which one overall number hides.

    >>> table = per_horizon_scores([[1.0, 2.0], [3.0, 4.0]], [[1.0, 3.0], [3.0, 2.0]])
    >>> table["MAE"].tolist(), table.index.name
    ([0.0, 1.5], 'horizon')
    """
    import pandas as pd  # imported here: seqcast.metrics stays quick to import

    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.ndim != 2 or y_true.shape != y_pred.shape:
        raise SeqcastError(
            f"per_horizon_scores needs y_true and y_pred of the same shape (n_origins, horizon), "
            f"but got {y_true.shape} and {y_pred.shape}; reshape them to one row per origin."
        )
    rows = [
        forecast_scores(y_true[:, step], y_pred[:, step], y_train, season)
        for step in range(y_true.shape[1])
    ]
    index = pd.RangeIndex(1, y_true.shape[1] + 1, name="horizon")
    return pd.DataFrame(rows, index=index)


REPORT_METRICS: dict[str, Callable[[Any, Any], float]] = {
    "accuracy": accuracy,
    "mse": mse,
    "mae": mae,
    "rmse": rmse,
    "last_time_step_mse": last_time_step_mse,
    "mape": mape,
    "smape": smape,
    "wape": wape,
}
