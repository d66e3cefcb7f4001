"""The recurrent cells checked against their equations written directly in NumPy."""

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

from seqcast.layers import LNSimpleRNNCell, PeepholeLSTMCell

RNG = np.random.RandomState(0)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _randomize(layer: keras.layers.Layer) -> None:
    """Random weights everywhere (layer-norm scale and offset too), so each one is checked."""
    for variable in layer.weights:
        variable.assign(RNG.normal(0, 0.5, variable.shape).astype("float32"))


def _run_cell(cell, x):
    rnn = keras.layers.RNN(cell, return_sequences=True)
    rnn.build(x.shape)
    _randomize(rnn)
    return np.asarray(rnn(x))


def test_ln_simple_rnn_cell_matches_its_equations():
    x = RNG.normal(size=(3, 6, 2)).astype("float32")
    cell = LNSimpleRNNCell(4)
    got = _run_cell(cell, x)
    kernel = cell.simple_rnn_cell.kernel.numpy()
    recurrent = cell.simple_rnn_cell.recurrent_kernel.numpy()
    bias = cell.simple_rnn_cell.bias.numpy()
    gamma, beta = cell.layer_norm.gamma.numpy(), cell.layer_norm.beta.numpy()
    h = np.zeros((3, 4))
    for t in range(6):
        z = x[:, t] @ kernel + h @ recurrent + bias
        normed = (z - z.mean(-1, keepdims=True)) / np.sqrt(z.var(-1, keepdims=True) + 1e-3)
        h = np.tanh(gamma * normed + beta)
        np.testing.assert_allclose(got[:, t], h, rtol=1e-4, atol=1e-5)


def test_peephole_lstm_cell_matches_its_equations():
    x = RNG.normal(size=(3, 6, 2)).astype("float32")
    cell = PeepholeLSTMCell(4)
    got = _run_cell(cell, x)
    W, U, b = cell.kernel.numpy(), cell.recurrent_kernel.numpy(), cell.bias.numpy()
    p = cell.peepholes.numpy()
    h, c = np.zeros((3, 4)), np.zeros((3, 4))
    for t in range(6):
        z_i, z_f, z_c, z_o = np.split(x[:, t] @ W + h @ U + b, 4, axis=-1)
        i = sigmoid(z_i + p[0] * c)
        f = sigmoid(z_f + p[1] * c)
        c = f * c + i * np.tanh(z_c)
        o = sigmoid(z_o + p[2] * c)
        h = o * np.tanh(c)
        np.testing.assert_allclose(got[:, t], h, rtol=1e-4, atol=1e-5)


def test_peephole_forget_bias_starts_at_one():
    cell = PeepholeLSTMCell(3)
    keras.layers.RNN(cell).build((None, 4, 1))
    np.testing.assert_array_equal(cell.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


@pytest.mark.parametrize("cell_class", [LNSimpleRNNCell, PeepholeLSTMCell])
def test_gradients_are_finite_through_500_steps(cell_class):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((500, 1)), keras.layers.RNN(cell_class(8)), keras.layers.Dense(1)]
    )
    x = jnp.asarray(RNG.normal(size=(4, 500, 1)).astype("float32"))

    def loss(trainable):
        y, _ = model.stateless_call(trainable, [v.value for v in model.non_trainable_variables], x)
        return jnp.mean(y**2)

    grads = jax.grad(loss)([v.value for v in model.trainable_variables])
    assert all(bool(jnp.isfinite(g).all()) for g in grads)
    assert any(float(jnp.abs(g).max()) > 0 for g in grads)


@pytest.mark.parametrize("name", ["ln_rnn", "peephole_lstm"])
def test_models_with_custom_layers_save_and_load(name, tmp_path):
    from seqcast.models import build_model

    model = build_model(name, horizon=10)
    x = RNG.normal(size=(2, 50, 1)).astype("float32")
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        reloaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5
    )
