"""The course's models (Moroney's TensorFlow time-series course), one builder each.

Its ``dense`` model is the chapter's :func:`~seqcast.models.book.linear`; the
others are here. The course scales some outputs (``Lambda(lambda x: x * 100)``):
a ``Rescaling`` layer does the same and saves without pickled Python code.

>>> from seqcast.models.course import conv_lstm, dnn
>>> dnn(n_steps=20).output_shape
(None, 1)
>>> conv_lstm(n_steps=30).output_shape
(None, 30, 1)
"""

from __future__ import annotations

import keras
from keras import layers

from seqcast.models.parts import per_step_dense, series_input


def dnn(n_steps: int = 20, horizon: int = 1, units: int = 10, features: int = 1) -> keras.Model:
    """The course's deep network on the flattened window: Dense(10, relu) ×2, Dense(horizon)."""
    inputs = series_input(n_steps, features)
    h = layers.Flatten()(inputs)
    h = layers.Dense(units, activation="relu")(h)
    h = layers.Dense(units, activation="relu")(h)
    return keras.Model(inputs, layers.Dense(horizon)(h), name="dnn")


def conv_lstm(
    n_steps: int | None = None,
    horizon: int = 1,
    filters: int = 32,
    units: int = 32,
    scale: float = 200.0,
    features: int = 1,
) -> keras.Model:
    """The course's Conv1D(32, 5, causal, relu), LSTM(32) ×2 returning sequences, Dense, ×200.

    A forecast at every step (seq-to-seq targets); the output is scaled by
    ``scale`` as the course's ``Lambda(lambda x: x * 200)`` does.
    """
    inputs = series_input(n_steps, features)
    h = layers.Conv1D(filters, kernel_size=5, padding="causal", activation="relu")(inputs)
    h = layers.LSTM(units, return_sequences=True)(h)
    h = layers.LSTM(units, return_sequences=True)(h)
    outputs = layers.Rescaling(scale)(per_step_dense(h, horizon))
    return keras.Model(inputs, outputs, name="conv_lstm")


def bidirectional_lstm(
    n_steps: int | None = None,
    horizon: int = 1,
    units: int = 32,
    scale: float = 100.0,
    features: int = 1,
) -> keras.Model:
    """The course's Bidirectional LSTM(32) ×2, Dense, output scaled ×``scale``.

    The course writes the scaling as ``Lambda(lambda x: x * 100.0)``; a
    ``Rescaling`` layer does the same and saves without pickled Python code.
    Scaling the output lets a small-weight network reach series of size ~100.
    """
    inputs = series_input(n_steps, features)
    h = layers.Bidirectional(layers.LSTM(units, return_sequences=True))(inputs)
    h = layers.Bidirectional(layers.LSTM(units))(h)
    outputs = layers.Rescaling(scale)(layers.Dense(horizon)(h))
    return keras.Model(inputs, outputs, name="bidirectional_lstm")
