"""Window scaling: each input window normalised by its own statistics, the outputs mapped back.

The idea of reversible instance normalisation (RevIN, Kim et al. 2022) and of
temporal scalers in other forecasting libraries: a network trained on levels
100 to 200 cannot forecast a series now at 400, but if every window is
shifted and scaled to mean 0 and standard deviation 1 before the network
reads it, and its forecast is scaled and shifted back with the same
statistics, the level never reaches the network. Here without learnt affine
weights: the two layers hold no variables, so the wrapped model is
translation equivariant exactly (a window shifted by ``c`` gets forecasts
shifted by ``c``, up to float rounding).

:class:`WindowNormalize` normalises the chosen features of ``(batch, time,
features)`` windows over their time steps; :class:`WindowDenormalize` maps a
model's outputs (``(batch, horizon)`` or ``(batch, steps, horizon)``) back
with the statistics of the target feature of the same windows;
:func:`window_scaled` wraps a network in the pair.

>>> import seqcast.layers, numpy as np
>>> x = np.array([[[1.0], [2.0], [3.0]]], "float32")
>>> np.asarray(WindowNormalize()(x), "float64")[0, :, 0].round(3).tolist()
[-1.225, 0.0, 1.225]
>>> np.asarray(WindowDenormalize()([np.zeros((1, 2), "float32"), x]), "float64").round(3).tolist()
[[2.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
from keras import layers, ops

from seqcast.errors import SeqcastError

#: Added to each window's variance: a flat window (a constant covariate, a
#: series that did not move) is then divided by ``sqrt(EPSILON)``, not by 0.
#: The values come globally standardised, so 1e-5 is small beside any real spread.
EPSILON = 1e-5


def window_statistics(x, epsilon: float = EPSILON):
    """Mean and standard deviation of each window's features over its steps, ``(batch, 1, f)``."""
    mean = ops.mean(x, axis=1, keepdims=True)
    std = ops.sqrt(ops.var(x, axis=1, keepdims=True) + epsilon)
    return mean, std


@keras.saving.register_keras_serializable(package="seqcast")
class WindowNormalize(layers.Layer):
    """``(x - mean) / std`` per window and feature, over the window's time steps.

    ``columns`` are the features normalised (None: all); the others pass as
    they are (the 0/1 category columns: a category seen once in a window
    would become a value near ``sqrt(window)``, louder than everything else).
    """

    def __init__(self, columns: Sequence[int] | None = None, epsilon: float = EPSILON, **kwargs):
        super().__init__(**kwargs)
        self.columns = None if columns is None else tuple(int(c) for c in columns)
        self.epsilon = float(epsilon)

    def call(self, inputs):
        mean, std = window_statistics(inputs, self.epsilon)
        normalised = (inputs - mean) / std
        if self.columns is None:
            return normalised
        chosen = np.isin(np.arange(inputs.shape[-1]), self.columns)
        return ops.where(chosen, normalised, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        columns = None if self.columns is None else list(self.columns)
        return {**super().get_config(), "columns": columns, "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="seqcast")
class WindowDenormalize(layers.Layer):
    """Outputs back to the windows' units: ``y * std + mean`` of feature ``column`` of the inputs.

    Called on ``[outputs, inputs]``: ``inputs`` the windows before
    :class:`WindowNormalize`, ``outputs`` ``(batch, horizon)`` or
    ``(batch, steps, horizon)``, every value a forecast of that feature.
    """

    def __init__(self, column: int = 0, epsilon: float = EPSILON, **kwargs):
        super().__init__(**kwargs)
        self.column = int(column)
        self.epsilon = float(epsilon)

    def call(self, inputs):
        outputs, windows = inputs
        mean, std = window_statistics(windows[:, :, self.column], self.epsilon)  # (batch, 1)
        if len(outputs.shape) == 3:
            mean, std = mean[:, :, None], std[:, :, None]
        return outputs * std + mean

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "column": self.column, "epsilon": self.epsilon}


def window_scaled(network: keras.Model, columns: Sequence[int] | None = None) -> keras.Model:
    """``network`` reading normalised windows, its outputs mapped back: one Keras model.

    The target is feature 0 of the windows (as every seqcast network reads
    them) and every output forecasts it. ``columns`` as in
    :class:`WindowNormalize`; it must hold 0, the target.

    >>> import seqcast.layers, numpy as np
    >>> inner = keras.Sequential([keras.Input((4, 1)), layers.Flatten(), layers.Dense(2)])
    >>> outer = window_scaled(inner)
    >>> x = np.random.default_rng(0).normal(size=(3, 4, 1)).astype("float32")
    >>> bool(np.allclose(outer.predict(x + 100, verbose=0), outer.predict(x, verbose=0) + 100))
    True
    """
    if columns is not None and 0 not in columns:
        raise ValueError(f"the target (feature 0) must be among the normalised columns {columns}")
    if len(network.inputs) != 1 or len(network.outputs) != 1:
        raise SeqcastError(
            f"window scaling wraps a network of one input and one output, but "
            f"{network.name!r} has {len(network.inputs)} and {len(network.outputs)}; "
            "use another scaler or a network of one input and one output"
        )
    windows = keras.Input(shape=network.input_shape[1:], name="windows")
    normalised = WindowNormalize(columns, name="window_normalize")(windows)
    outputs = WindowDenormalize(0, name="window_denormalize")([network(normalised), windows])
    return keras.Model(windows, outputs, name=f"{network.name}_window_scaled")
