"""Losses and metrics as per-sample functions, the form the compiled steps need.

Keras reduces a loss to one number per batch. The trainer needs one number per
sample instead, so that a padded batch can be masked exactly and the epoch
figures can be averaged with batch sizes as weights, as ``model.fit`` does.

>>> import numpy as np
>>> name, mae = resolve_metric("mean_absolute_error")
>>> y_pred = np.array([[1.0, 1, 1], [0, 0, 3]], dtype="float32")
>>> name, mae(np.zeros((2, 3)), y_pred).tolist()
('mae', [1.0, 1.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.numpy as jnp
import keras

from seqcast import metrics as seqcast_metrics
from seqcast.errors import SeqcastError

PerSampleFn = Callable[[Any, Any], Any]


def per_sample(fn: Callable[[Any, Any], Any]) -> PerSampleFn:
    """Wrap a Keras loss or metric so it returns one value per sample.

    Keras reduces a loss with ``sum_over_batch_size``: the mean of every element
    the loss function returns. Each sample contributes the same number of
    elements, so the mean over samples of the per-sample mean is the same
    number, and per-sample values let a padded batch be masked exactly.
    """

    def per_sample_fn(y_true, y_pred):
        y_true = jnp.asarray(y_true, dtype=y_pred.dtype)
        values = fn(y_true, y_pred)
        return jnp.reshape(values, (values.shape[0], -1)).mean(axis=1)

    return per_sample_fn


def resolve_loss(loss: Any) -> PerSampleFn:
    """A Keras loss (name, function or ``keras.losses.Loss``) as a per-sample function."""
    if isinstance(loss, keras.losses.Loss):
        return per_sample(loss.call)
    try:
        fn = keras.losses.get(loss)
    except (ValueError, TypeError) as err:
        raise SeqcastError(
            f"unknown loss {loss!r}; use a Keras loss name such as 'mse', 'mae' or "
            "'huber', or a keras.losses.Loss"
        ) from err
    # Targets were brought to the output's rank when the data was checked, so the
    # plain function sees what Keras's wrapper would hand it.
    return per_sample(fn.call if isinstance(fn, keras.losses.Loss) else fn)


def resolve_metric(metric: Any) -> tuple[str, PerSampleFn]:
    """A metric given by name or as a function ``(y_true, y_pred) -> values``."""
    if isinstance(metric, str):
        if metric in seqcast_metrics.PER_SAMPLE:
            return metric, per_sample(seqcast_metrics.PER_SAMPLE[metric])
        name = {"mean_squared_error": "mse", "mean_absolute_error": "mae"}.get(metric, metric)
        return name, resolve_loss(metric)
    if callable(metric):
        return getattr(metric, "__name__", "metric"), per_sample(metric)
    raise SeqcastError(f"cannot use {metric!r} as a metric; give a name or a function")


def compiled_metrics(model: keras.Model) -> list:
    """The metrics given to ``model.compile`` that the trainer can compute (names, functions)."""
    config = getattr(model, "_compile_config", None)
    metrics = (config.config.get("metrics") if config is not None else None) or []
    return [m for m in metrics if isinstance(m, str) or callable(m)]
