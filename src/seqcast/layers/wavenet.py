"""The gated activation unit and residual block of WaveNet (van den Oord et al., 2016)."""

from __future__ import annotations

import keras
from keras import layers, ops


@keras.saving.register_keras_serializable(package="seqcast")
class GatedActivationUnit(layers.Layer):
    """``tanh(filter) ⊙ σ(gate)``, the input's channels split in half: filter, then gate.

    The book's version applies the activation twice (``activation(activation(x))``);
    this is the paper's unit.

    >>> import seqcast.layers, numpy as np
    >>> seqcast.layers.GatedActivationUnit()(np.zeros((1, 3, 4), "float32")).shape
    (1, 3, 2)
    """

    def __init__(self, activation: str = "tanh", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)

    def call(self, inputs):
        filters, gate = ops.split(inputs, 2, axis=-1)
        return self.activation(filters) * ops.sigmoid(gate)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] // 2)

    def get_config(self):
        return {**super().get_config(), "activation": keras.activations.serialize(self.activation)}


def wavenet_residual_block(inputs, n_filters: int, dilation_rate: int):
    """Dilated causal Conv1D → gated unit → 1×1 Conv1D; returns (residual output, skip)."""
    z = layers.Conv1D(2 * n_filters, kernel_size=2, padding="causal", dilation_rate=dilation_rate)(
        inputs
    )
    z = GatedActivationUnit()(z)
    z = layers.Conv1D(n_filters, kernel_size=1)(z)
    return layers.Add()([z, inputs]), z
