"""Window scaling layers: normalise each window by its own statistics, map the outputs back."""

import keras
import numpy as np
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.errors import SeqcastError
from seqcast.layers.window_norm import (
    EPSILON,
    WindowDenormalize,
    WindowNormalize,
    window_scaled,
)


def _windows(batch: int = 4, steps: int = 6, features: int = 3) -> np.ndarray:
    rng = np.random.default_rng(0)
    return (5 + 3 * rng.normal(size=(batch, steps, features))).astype("float32")


def _reference_statistics(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NumPy's mean and (population) standard deviation over the steps, epsilon added."""
    x = x.astype("float64")
    return x.mean(axis=1, keepdims=True), np.sqrt(x.var(axis=1, keepdims=True) + EPSILON)


def test_normalise_matches_numpy_and_leaves_the_other_columns():
    x = _windows()
    mean, std = _reference_statistics(x)
    expected = (x - mean) / std
    np.testing.assert_allclose(np.asarray(WindowNormalize()(x)), expected, rtol=1e-5, atol=1e-5)
    some = np.asarray(WindowNormalize(columns=[0, 2])(x))
    np.testing.assert_allclose(some[:, :, [0, 2]], expected[:, :, [0, 2]], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(some[:, :, 1], x[:, :, 1])  # passed through untouched


def test_a_flat_window_normalises_to_zeros_not_to_nan():
    x = np.full((2, 5, 1), 7.0, "float32")
    out = np.asarray(WindowNormalize()(x))
    assert np.isfinite(out).all()
    np.testing.assert_array_equal(out, 0.0)
    back = np.asarray(WindowDenormalize()([np.ones((2, 3), "float32"), x]))
    np.testing.assert_allclose(back, 7.0 + np.sqrt(EPSILON), rtol=1e-6)


@pytest.mark.parametrize("shape", [(4, 3), (4, 6, 3)])
def test_denormalise_matches_numpy_for_vector_and_sequence_outputs(shape):
    x = _windows()
    y = np.random.default_rng(1).normal(size=shape).astype("float32")
    mean, std = _reference_statistics(x[:, :, :1])  # the target, feature 0: (batch, 1, 1)
    if len(shape) == 2:
        mean, std = mean[:, 0], std[:, 0]  # (batch, 1)
    expected = y * std + mean
    got = np.asarray(WindowDenormalize()([y, x]))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def _picking(steps: int | None, features: int, *, last: bool) -> keras.Model:
    """A network that outputs normalised feature 0: at every step, or only at the last one."""
    inputs = keras.Input((steps, features))
    h = inputs
    if last:
        h = keras.layers.Cropping1D((steps - 1, 0))(h)
        h = keras.layers.Flatten()(h)
    pick = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")
    outputs = pick(h)
    pick.kernel.assign(np.eye(features, 1, dtype="float32"))  # feature 0 out, the rest dropped
    return keras.Model(inputs, outputs)


def test_normalise_identity_denormalise_gives_back_the_target():
    x = _windows()
    every_step = window_scaled(_picking(None, 3, last=False))
    np.testing.assert_allclose(
        every_step.predict(x, verbose=0)[:, :, 0], x[:, :, 0], rtol=1e-5, atol=1e-5
    )
    last_value = window_scaled(_picking(6, 3, last=True))
    np.testing.assert_allclose(last_value.predict(x, verbose=0)[:, 0], x[:, -1, 0], rtol=1e-5)


def test_a_wrapped_network_is_translation_equivariant_in_every_normalised_column():
    keras.utils.set_random_seed(0)
    inner = keras.Sequential([keras.Input((None, 2)), keras.layers.GRU(8), keras.layers.Dense(3)])
    outer = window_scaled(inner)
    x = _windows(features=2)
    shifted = x + np.array([1000.0, -50.0], "float32")  # the target up, a covariate down
    before, after = outer.predict(x, verbose=0), outer.predict(shifted, verbose=0)
    # the only difference is float32 rounding of values near 1000 (eps 1.2e-7 relative)
    np.testing.assert_allclose(after, before + 1000.0, atol=1000 * 10 * np.finfo("float32").eps)
    # a column left unnormalised still moves the forecast
    kept = window_scaled(inner, columns=[0]).predict(shifted, verbose=0)
    assert np.abs(kept - after).max() > 1e-3


def test_the_wrapped_model_saves_and_loads(tmp_path):
    keras.utils.set_random_seed(0)
    inner = keras.Sequential([keras.Input((6, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
    outer = window_scaled(inner, columns=[0, 1])
    path = tmp_path / "m.keras"
    outer.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    x = _windows()
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), outer.predict(x, verbose=0))
    assert loaded.get_layer("window_normalize").columns == (0, 1)


def test_the_target_must_be_normalised_and_the_network_single_input():
    inner = keras.Sequential([keras.Input((6, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="the target"):
        window_scaled(inner, columns=[1, 2])
    a, b = keras.Input((6, 1)), keras.Input((6, 1))
    two = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
    with pytest.raises(SeqcastError, match="one input and one output"):
        window_scaled(two)
