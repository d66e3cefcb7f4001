"""The data on one device, as the compiled programs take it.

Training data goes to the device once, as it is (lazy windows as their
series alone); evaluation data goes in padded chunks of
:data:`EVAL_BATCH_SIZE` with a mask of the real samples, so scoring is a
handful of steps. Over several devices, :mod:`seqcast.training.data_parallel`
places the data instead.

>>> chunks, mask = chunked(np.arange(5.0), 2)
>>> chunks.tolist(), mask.tolist()
([[0.0, 1.0], [2.0, 3.0], [4.0, 0.0]], [[1.0, 1.0], [1.0, 1.0], [1.0, 0.0]])
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np

from seqcast.data.windows import WindowedSeries, aligned

# Evaluation and prediction run in chunks of this many samples (padded and
# masked), so a 2000-series validation set is a handful of steps, not 63.
EVAL_BATCH_SIZE = 1024


def to_device(array: np.ndarray | WindowedSeries, *more: np.ndarray | WindowedSeries):
    """On the device: an array as it is; lazy windows as their series alone.

    Given several, lazy windows over the same series (inputs and their
    targets) share one copy of it on the device; returns a tuple then.
    """
    placed: dict[int, Any] = {}

    def put(values):
        if id(values) not in placed:
            # The CPU device takes aligned NumPy memory as it is (device_put; jnp.asarray
            # would copy): the data is held once, not twice.
            on_host = isinstance(values, np.ndarray) and jax.default_backend() == "cpu"
            placed[id(values)] = jax.device_put(aligned(values)) if on_host else jnp.asarray(values)
        return placed[id(values)]

    moved = [
        item.with_values(put(item.values)) if isinstance(item, WindowedSeries) else put(item)
        for item in (array, *more)
    ]
    return tuple(moved) if more else moved[0]


def evaluation_chunks(x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
    """x and y in padded chunks of EVAL_BATCH_SIZE, with the mask of real samples."""
    x_chunks, mask = chunked(x, EVAL_BATCH_SIZE)
    y_chunks, _ = chunked(y, EVAL_BATCH_SIZE)
    return jnp.asarray(x_chunks), jnp.asarray(y_chunks), jnp.asarray(mask)


def chunked(array: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pad to a multiple of ``size`` and fold into (chunks, size, ...) plus a 0/1 mask.

    >>> chunks, mask = chunked(np.arange(4.0)[:, None], 3)
    >>> chunks.shape, mask.tolist()
    ((2, 3, 1), [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    """
    n = array.shape[0]
    chunk = min(size, n)
    n_chunks = -(-n // chunk)
    padded = np.zeros((n_chunks * chunk, *array.shape[1:]), dtype=array.dtype)
    padded[:n] = array
    mask = np.zeros(n_chunks * chunk, dtype=keras.backend.floatx())
    mask[:n] = 1.0
    return padded.reshape(n_chunks, chunk, *array.shape[1:]), mask.reshape(n_chunks, chunk)
