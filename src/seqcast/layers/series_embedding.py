"""A learned embedding of each series' id, for a global model over a panel.

One network forecasts every series of a panel; some series behave alike
and some do not, and the network may tell them apart by a learned vector
per series (``Forecaster(id_embedding=8)``). The windows carry the series'
position in the panel as one whole-number column (the panel transform
leaves it unscaled); :class:`SeriesEmbedding` swaps that column for the
series' vector, at every step of the window.

>>> import seqcast.layers, numpy as np
>>> layer = SeriesEmbedding(n_series=3, size=2, column=1)
>>> x = np.array([[[0.5, 2.0, 9.0]]], "float32")       # one window of one step, series 2
>>> out = layer(x)
>>> tuple(out.shape), float(out[0, 0, 0]), float(out[0, 0, -1])
((1, 1, 4), 0.5, 9.0)
"""

from __future__ import annotations

from seqcast import backend_check

backend_check.set_jax_backend_if_possible()

import keras  # noqa: E402
from keras import layers, ops  # noqa: E402


@keras.saving.register_keras_serializable(package="seqcast")
class SeriesEmbedding(layers.Layer):
    """Replace input column ``column`` (a series' position) by that series' learned vector.

    Inputs ``(batch, time, features)``; outputs ``(batch, time, features - 1
    + size)``, the vector where the column was (the columns after it, the
    covariates known in advance, stay last).
    """

    def __init__(self, n_series: int, size: int, column: int, **kwargs):
        super().__init__(**kwargs)
        self.n_series, self.size, self.column = int(n_series), int(size), int(column)
        self.embedding = layers.Embedding(self.n_series, self.size, name="series_vectors")

    def build(self, input_shape):
        self.embedding.build((None,))
        super().build(input_shape)

    def call(self, inputs):
        ids = ops.cast(ops.round(inputs[..., self.column]), "int32")
        vectors = self.embedding(ids)
        before, after = inputs[..., : self.column], inputs[..., self.column + 1 :]
        return ops.concatenate([before, ops.cast(vectors, inputs.dtype), after], axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] - 1 + self.size)

    def get_config(self):
        return {
            **super().get_config(),
            "n_series": self.n_series,
            "size": self.size,
            "column": self.column,
        }


def with_series_embedding(
    network: keras.Model, n_series: int, size: int, column: int
) -> keras.Model:
    """``network`` (built for ``features - 1 + size`` columns) reading the series index instead.

    >>> import seqcast.layers, numpy as np
    >>> inner = keras.Sequential([keras.Input((4, 3)), layers.Flatten(), layers.Dense(2)])
    >>> outer = with_series_embedding(inner, n_series=5, size=2, column=1)
    >>> outer.input_shape, outer.output_shape
    ((None, 4, 2), (None, 2))
    """
    shape = network.input_shape[1:]
    windows = keras.Input(shape=(*shape[:-1], shape[-1] + 1 - size), name="windows")
    embedded = SeriesEmbedding(n_series, size, column, name="series_embedding")(windows)
    return keras.Model(windows, network(embedded), name=f"{network.name}_by_series")
