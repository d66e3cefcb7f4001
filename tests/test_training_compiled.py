"""The compiled programs: shared per architecture, and lazy windows go through them."""

import subprocess
import sys

import keras
import numpy as np
import pytest

from seqcast.training import compiled as compiled_module
from seqcast.training import fit, predict


def _rnn(seed: int = 1, **rnn_kwargs) -> keras.Model:
    """Two SimpleRNN layers and a Dense head (``_model("rnn")`` of test_training_loop.py)."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input((None, 1)),
            keras.layers.SimpleRNN(8, return_sequences=True, **rnn_kwargs),
            keras.layers.SimpleRNN(8, **rnn_kwargs),
            keras.layers.Dense(1),
        ]
    )


def test_compiled_functions_are_shared_by_models_built_alike(small_book):
    """A second model of one architecture reuses the first one's programs: no new jit."""
    from seqcast import strategies

    x, y, xv, _ = small_book
    first, second = _rnn(seed=1, dropout=0.2), _rnn(seed=2, dropout=0.2)
    assert first.layers[0].name != second.layers[0].name  # names differ, programs do not
    fit(first, x[:64], y[:64], epochs=1, loss="mse", optimizer="adam", seed=0, verbose=0)
    predict(first, xv)
    strategies.mc_dropout(first, xv[:4], samples=4)
    fit(second, x[:64], y[:64], epochs=1, loss="mse", optimizer="adam", seed=0, verbose=0)
    assert compiled_module.compiled_for(first, "mse", []) is compiled_module.compiled_for(
        second, "mse", []
    )
    jitted = compiled_module.jitted_for(first, "predict", lambda m: None)
    assert compiled_module.jitted_for(second, "predict", lambda m: None) is jitted
    # each model still predicts with its own weights
    assert not np.allclose(predict(first, xv), predict(second, xv))


def test_a_different_architecture_or_optimizer_gets_its_own_program():
    base = compiled_module.architecture_key(_rnn())
    wider = keras.Sequential(
        [keras.Input((None, 1)), keras.layers.SimpleRNN(9), keras.layers.Dense(1)]
    )
    assert compiled_module.architecture_key(wider) != base
    a, b, c = _rnn(), _rnn(), _rnn()
    a.compile(loss="mse", optimizer=keras.optimizers.Adam(0.01))
    b.compile(loss="mse", optimizer=keras.optimizers.Adam(0.001))  # only the rate differs
    c.compile(loss="mse", optimizer=keras.optimizers.Adam(0.01, clipnorm=1.0))
    assert compiled_module.compiled_for(a, "mse", []) is compiled_module.compiled_for(b, "mse", [])
    assert compiled_module.compiled_for(a, "mse", []) is not compiled_module.compiled_for(
        c, "mse", []
    )


def test_the_shared_cache_is_bounded():
    """Templates are kept alive, so the cache must not grow with every architecture seen."""
    for units in range(1, compiled_module._SHARED_LIMIT + 5):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])
        compiled_module.jitted_for(model, "noop", lambda m: lambda v: v)
    assert len(compiled_module._SHARED) <= compiled_module._SHARED_LIMIT


def test_layers_from_outside_keras_are_cached_per_model():
    """Their config may not say all they compute, so two such models never share."""

    class Scaled(keras.layers.Layer):  # defined here: its module is this test's
        def call(self, inputs):
            return inputs * 2.0

    model = keras.Sequential([keras.Input((3,)), Scaled()])
    assert compiled_module.architecture_key(model) is None


@pytest.mark.parametrize("sequence", [False, True])
def test_lazy_windows_train_exactly_like_the_materialised_arrays(sequence):
    """Gathering each batch from the series on device changes nothing but the memory."""
    from seqcast.data import lazy_windows

    series = np.sin(np.arange(300) / 7.0).astype("float32") + 0.01 * np.arange(300)
    x, y = lazy_windows(series, window=12, horizon=3, sequence=sequence)
    runs = []
    for inputs, targets in ((x, y), (np.asarray(x), np.asarray(y))):
        keras.utils.set_random_seed(3)
        model = keras.Sequential(
            [
                keras.Input((12, 1)),
                keras.layers.SimpleRNN(8, return_sequences=sequence),
                keras.layers.Dense(3),  # per step for sequence targets
            ]
        )
        model.compile(loss="mse", optimizer="adam")
        history = fit(
            model, inputs, targets, epochs=3, batch_size=16, seed=0, verbose=0,
            validation_data=(inputs, targets),
        )  # fmt: skip
        runs.append(history.history)
    assert runs[0] == runs[1]


def test_windowed_series_is_a_pytree_without_importing_the_trainer():
    """data/windows.py registers WindowedSeries with JAX itself; jit needs no seqcast.training."""
    code = (
        "import sys, jax, numpy as np\n"
        "from seqcast.data.windows import lazy_windows\n"
        "x, y = lazy_windows(np.arange(20.0), window=3, horizon=2)\n"
        "leaves, tree = jax.tree_util.tree_flatten(x)\n"
        "assert len(leaves) == 1 and leaves[0].shape == (20, 1)\n"
        "total = jax.jit(lambda w: w[np.arange(w.shape[0])].sum())(x)\n"
        "assert float(total) == float(np.asarray(x).sum())\n"
        "assert jax.tree_util.tree_unflatten(tree, leaves).shape == x.shape\n"
        "print('seqcast.training' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
