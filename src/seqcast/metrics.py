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


PER_SAMPLE: dict[str, Callable[[Any, Any], Any]] = {
    "last_time_step_mse": last_time_step_squared_error_per_sample,
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


REPORT_METRICS: dict[str, Callable[[Any, Any], float]] = {
    "accuracy": accuracy,
    "mse": mse,
    "mae": mae,
    "rmse": rmse,
    "last_time_step_mse": last_time_step_mse,
}
