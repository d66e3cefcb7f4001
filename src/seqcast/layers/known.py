"""The known-in-advance covariates of each forecast step, read from the input window.

``seqcast.data.transform`` moves the covariates known in advance (holidays,
day types, planned prices: the last ``known`` columns of what a network
reads) ``horizon`` steps earlier, so row ``i`` of the model values holds them
for data row ``i + horizon``. A window that ends just before the forecast
origin ``t`` therefore holds, in its last ``horizon`` rows, their values at
``t, t+1, ..., t+horizon-1``: those of forecast steps 1..``horizon``, in
order. :class:`KnownFuture` picks exactly those out of a window, as
``(batch, horizon, known)``, for a decoder that reads one row per step.

>>> import seqcast.layers, numpy as np
>>> window = np.arange(12.0, dtype="float32").reshape(1, 4, 3)  # 4 steps, 3 columns
>>> np.asarray(KnownFuture(horizon=2, known=1)(window))[0, :, 0].tolist()
[8.0, 11.0]
"""

from __future__ import annotations

import keras
from keras import layers

from seqcast.checks import known_ahead, positive_int


@keras.saving.register_keras_serializable(package="seqcast")
class KnownFuture(layers.Layer):
    """The last ``horizon`` rows of the last ``known`` columns of ``(batch, time, features)``.

    Holds no weights. A window shorter than ``horizon`` cannot hold every
    forecast step's covariates and is refused (a ``SeqcastError``) when the
    layer is built or called on it.
    """

    def __init__(self, horizon: int, known: int, **kwargs):
        super().__init__(**kwargs)
        self.horizon = positive_int(horizon, "horizon")
        self.known = positive_int(known, "known")

    def build(self, input_shape):
        self._check(input_shape)

    def _check(self, shape) -> None:
        known_ahead(self.known, shape[-1], shape[1], self.horizon)

    def call(self, inputs):
        # Under JAX the shape is static when traced, so a short window fails here too.
        self._check(inputs.shape)
        return inputs[:, -self.horizon :, -self.known :]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.horizon, self.known)

    def get_config(self):
        return {**super().get_config(), "horizon": self.horizon, "known": self.known}
