"""Keras's own ``fit``, ``evaluate`` and ``predict``, for when Keras runs on another backend.

The compiled trainer needs JAX. If Keras was imported with TensorFlow or
PyTorch before seqcast, nothing can switch it, so the public functions of
:mod:`seqcast.training` hand the (already checked) data to Keras instead and
return what the trainer would: a History with ``compile_seconds`` and
``train_seconds``, a dict of floats, a NumPy array.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np


def fit_with_keras(
    model: keras.Model,
    x: Any,
    y: Any,
    epochs: int,
    batch_size: int,
    validation_data: tuple[Any, Any] | None,
    callbacks: Sequence[keras.callbacks.Callback] | None,
    shuffle: bool,
    verbose: int,
) -> keras.callbacks.History:
    """``model.fit``, with a warning that says why and how to get the compiled trainer."""
    warnings.warn(
        f"Keras runs on the {keras.backend.backend()} backend, so seqcast trains with "
        "model.fit (several times slower). Import seqcast before keras, or set "
        "KERAS_BACKEND=jax, to use the compiled trainer.",
        stacklevel=3,  # the caller of seqcast.training.fit
    )
    started = time.perf_counter()
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        callbacks=callbacks,
        shuffle=shuffle,
        verbose=verbose,
    )
    history.compile_seconds = 0.0
    history.train_seconds = time.perf_counter() - started
    return history


def evaluate_with_keras(model: keras.Model, x: Any, y: Any) -> dict[str, float]:
    """``model.evaluate`` as a dict of floats."""
    values = model.evaluate(x, y, verbose=0, return_dict=True)
    return {k: float(v) for k, v in values.items()}


def predict_with_keras(model: keras.Model, x: Any) -> np.ndarray:
    """``model.predict`` as a NumPy array."""
    return np.asarray(model.predict(x, verbose=0))
