"""The data given to fit, evaluate and predict, checked before it reaches XLA.

A shape mistake caught inside a compiled program comes back as an XLA error
about tensors the user never named. These checks catch it first and say, in
one sentence, which argument is wrong, what it holds and what the model wants.

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((5, 1)), keras.layers.Dense(1)])
>>> check_shapes(model, np.zeros((3, 5)), None, "prediction input")
Traceback (most recent call last):
...
seqcast.errors.SeqcastError: prediction input: x has shape (3, 5) but the model takes ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from seqcast.data.windows import WindowedSeries
from seqcast.errors import SeqcastError


def as_float_array(name: str, values: Any) -> np.ndarray | WindowedSeries:
    """``values`` as an array of Keras's float type, refused if not numbers or not finite."""
    if isinstance(values, WindowedSeries):
        # Check the series once, not every window of it; keep the windows lazy.
        return values.with_values(as_float_array(name, values.values))
    try:
        array = np.asarray(values)
    except Exception as err:  # ragged lists and the like
        raise SeqcastError(
            f"{name} cannot be read as an array ({err}); pass a NumPy array"
        ) from err
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise SeqcastError(
            f"{name} has dtype {array.dtype}, not numbers; convert it to float "
            "(for a DataFrame, select the numeric columns)"
        )
    array = array.astype(keras.backend.floatx(), copy=False)
    count, first = _non_finite(array)
    if count:
        raise SeqcastError(
            f"{name} contains {count} NaN or infinite values (the first in sample "
            f"{first}); fill or drop them before training"
        )
    return array


#: Samples checked at a time: a mask of the whole array would cost a byte per value.
_CHECKED_AT_ONCE = 1 << 20


def _non_finite(array: np.ndarray) -> tuple[int, int | None]:
    """How many values are NaN or infinite, and the sample of the first, a block at a time.

    >>> _non_finite(np.array([[1.0, np.nan], [np.inf, 2.0]]))
    (2, 0)
    """
    rows = max(1, _CHECKED_AT_ONCE // max(1, array[:1].size))
    count, first = 0, None
    for start in range(0, len(array), rows):
        bad = ~np.isfinite(array[start : start + rows])
        found = int(bad.sum())
        if found and first is None:
            first = start + int(np.argwhere(bad)[0][0])
        count += found
    return count, first


def uses_class_indices(model: keras.Model) -> bool:
    """Sparse categorical losses take class indices, not one target per output."""
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", type(loss).__name__)
    return "sparse" in name.lower()


def check_shapes(
    model: keras.Model, x: np.ndarray, y: np.ndarray | None, what: str
) -> np.ndarray | None:
    """Catch shape mistakes here, with the shapes named, not deep inside XLA.

    Returns ``y`` as the loss will see it: ``(n,)`` targets of a ``(n, 1)``
    output get their last axis, class indices are flattened.
    """
    if x.ndim == 0 or x.shape[0] == 0:
        raise SeqcastError(f"{what}: x is empty (shape {x.shape}); pass at least one sample")
    expected = model_input_shape(model)
    if expected is not None:
        if x.ndim != len(expected):
            raise SeqcastError(
                f"{what}: x has shape {x.shape} but the model takes inputs of shape "
                f"{format_shape(expected)}; for a univariate series add a last axis of size 1 "
                "(x[..., None])"
            )
        for got, want in zip(x.shape[1:], expected[1:]):
            if want is not None and got != want:
                raise SeqcastError(
                    f"{what}: x has shape {x.shape} but the model takes inputs of shape "
                    f"{format_shape(expected)}; window the data to match or rebuild the model"
                )
    if y is None:
        return None
    if y.shape[0] != x.shape[0]:
        raise SeqcastError(
            f"{what}: x has {x.shape[0]} samples but y has {y.shape[0]}; they must match"
        )
    output = model_output_shape(model, x)
    if isinstance(y, WindowedSeries) and (
        uses_class_indices(model) or (output is not None and y.shape[1:] != tuple(output[1:]))
    ):
        y = np.asarray(y)  # rare layouts: checked and reshaped as a plain array
    if output is not None and uses_class_indices(model):
        n_classes = output[-1]
        if y.size != y.shape[0] or (y.size and (y.min() < 0 or y.max() >= n_classes)):
            raise SeqcastError(
                f"{what}: a sparse categorical loss takes one class index in [0, {n_classes}) "
                f"per sample, got y of shape {y.shape} with values {y.min():g} to {y.max():g}"
            )
        return y.reshape(-1)
    if output is not None:
        if y.ndim == len(output) - 1 and output[-1] == 1:
            y = y[..., None]  # (n,) targets for a (n, 1) output, as Keras allows
        if y.shape[1:] != tuple(output[1:]):
            raise SeqcastError(
                f"{what}: y has shape {y.shape} but the model outputs {format_shape(output)}; "
                "targets must match the model's output shape"
            )
    return y


def model_input_shape(model: keras.Model) -> tuple | None:
    """The shape of the model's one input, ``None`` where it has none or several."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs or len(inputs) != 1:
        return None
    return tuple(inputs[0].shape)


def model_output_shape(model: keras.Model, x: np.ndarray) -> tuple | None:
    """The shape of the model's output for inputs like ``x``, ``None`` if it cannot tell."""
    try:
        spec = model.compute_output_spec(keras.KerasTensor((None, *x.shape[1:]), dtype=x.dtype))
    except Exception:
        return None
    return tuple(spec.shape) if hasattr(spec, "shape") else None


def format_shape(shape: Sequence) -> str:
    """A shape as the messages write it, the sample axis named.

    >>> format_shape((None, 50, 1))
    '(batch, 50, 1)'
    """
    return (
        "("
        + ", ".join("batch" if d is None and i == 0 else str(d) for i, d in enumerate(shape))
        + ")"
    )
