"""Recurrent cells for ``keras.layers.RNN``: layer-normalized SimpleRNN and peephole LSTM."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="seqcast")
class LNSimpleRNNCell(keras.layers.Layer):
    """A SimpleRNN cell with layer normalization between the linear step and the activation.

    ``h_t = activation(LayerNorm(x_t W + h_{t-1} U + b))``: normalizing each time
    step's pre-activations keeps their scale steady along the sequence, which
    fights unstable gradients in long recurrences (the book's ``LNSimpleRNNCell``).

    Args:
        units: size of the state and of the output.
        activation: applied after the normalization (default ``"tanh"``).
        epsilon: the layer normalization's epsilon (Keras's default, 1e-3).

    Example:

    >>> import seqcast.layers, keras, numpy as np
    >>> rnn = keras.layers.RNN(seqcast.layers.LNSimpleRNNCell(4), return_sequences=True)
    >>> rnn(np.zeros((2, 7, 1), "float32")).shape
    (2, 7, 4)
    """

    def __init__(self, units: int, activation: str = "tanh", epsilon: float = 1e-3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.output_size = units
        self.epsilon = epsilon
        self.activation = keras.activations.get(activation)
        self.simple_rnn_cell = keras.layers.SimpleRNNCell(units, activation=None)
        self.layer_norm = keras.layers.LayerNormalization(epsilon=epsilon)

    def build(self, input_shape):
        self.simple_rnn_cell.build(input_shape)
        self.layer_norm.build((None, self.units))

    def call(self, inputs, states, training=False):
        linear, _ = self.simple_rnn_cell(inputs, states, training=training)
        outputs = self.activation(self.layer_norm(linear))
        return outputs, [outputs]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "epsilon": self.epsilon,
        }


@keras.saving.register_keras_serializable(package="seqcast")
class PeepholeLSTMCell(keras.layers.Layer):
    """An LSTM cell whose gates also look at the long-term state (Gers & Schmidhuber, 2000).

    Keras 3 dropped ``PeepholeLSTMCell``; this is its equations, gates in
    Keras's order (input, forget, candidate, output)::

        i_t = σ(x_t W_i + h_{t-1} U_i + p_i ⊙ c_{t-1} + b_i)
        f_t = σ(x_t W_f + h_{t-1} U_f + p_f ⊙ c_{t-1} + b_f)
        c_t = f_t ⊙ c_{t-1} + i_t ⊙ tanh(x_t W_c + h_{t-1} U_c + b_c)
        o_t = σ(x_t W_o + h_{t-1} U_o + p_o ⊙ c_t + b_o)
        h_t = o_t ⊙ tanh(c_t)

    The forget gate's bias starts at 1 (``unit_forget_bias``), as in Keras's LSTM.

    Example:

    >>> import seqcast.layers, keras, numpy as np
    >>> rnn = keras.layers.RNN(seqcast.layers.PeepholeLSTMCell(3))
    >>> rnn(np.zeros((2, 5, 1), "float32")).shape
    (2, 3)
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = [units, units]  # [h, c], like Keras's LSTMCell
        self.output_size = units

    def build(self, input_shape):
        n = self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], 4 * n), initializer="glorot_uniform", name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(n, 4 * n), initializer="orthogonal", name="recurrent_kernel"
        )

        def unit_forget_bias(shape, dtype=None):
            return ops.concatenate([ops.zeros((n,)), ops.ones((n,)), ops.zeros((2 * n,))])

        self.bias = self.add_weight(shape=(4 * n,), initializer=unit_forget_bias, name="bias")
        self.peepholes = self.add_weight(
            shape=(3, n), initializer="glorot_uniform", name="peepholes"
        )

    def call(self, inputs, states, training=False):
        h_prev, c_prev = states
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_prev, self.recurrent_kernel) + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = ops.sigmoid(z_i + self.peepholes[0] * c_prev)
        f = ops.sigmoid(z_f + self.peepholes[1] * c_prev)
        c = f * c_prev + i * ops.tanh(z_c)
        o = ops.sigmoid(z_o + self.peepholes[2] * c)
        h = o * ops.tanh(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "units": self.units}
