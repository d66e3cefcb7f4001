"""Shuffling a large epoch batch by batch: a random bijection, and the same training."""

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast import training
from seqcast.data.windows import panel_windows
from seqcast.training import compiled
from seqcast.training.shuffle import permuted


@pytest.mark.parametrize("n", [2, 3, 16, 17, 1000, 65_537])
def test_permuted_is_a_permutation_of_the_range(n):
    order = np.asarray(permuted(jax.random.PRNGKey(3), jnp.arange(n), n))
    np.testing.assert_array_equal(np.sort(order), np.arange(n))


def test_permuted_depends_on_the_key_only():
    n = 5000
    first = np.asarray(permuted(jax.random.PRNGKey(0), jnp.arange(n), n))
    again = np.asarray(permuted(jax.random.PRNGKey(0), jnp.arange(n), n))
    other = np.asarray(permuted(jax.random.PRNGKey(1), jnp.arange(n), n))
    np.testing.assert_array_equal(first, again)
    assert (first != other).mean() > 0.9
    # evaluated piecewise (batch by batch) it is the same permutation
    pieces = [
        np.asarray(permuted(jax.random.PRNGKey(0), jnp.arange(i, i + 500), n))
        for i in range(0, n, 500)
    ]
    np.testing.assert_array_equal(np.concatenate(pieces), first)


def test_permuted_moves_neighbours_apart():
    # a shuffle, not a rotation: neighbouring windows land far from each other
    n = 100_000
    order = np.asarray(permuted(jax.random.PRNGKey(0), jnp.arange(n), n)).astype(np.int64)
    assert np.median(np.abs(np.diff(order))) > n / 10


def _losses(monkeypatch, large: bool, shuffle: bool):
    monkeypatch.setattr(compiled, "LARGE_EPOCH", 10 if large else 1 << 20)
    monkeypatch.setattr(compiled, "_SHARED", type(compiled._SHARED)())  # compile afresh
    rng = np.random.default_rng(0)
    x, y = panel_windows([rng.normal(size=(300, 1)).astype("float32") for _ in range(3)], 8, 2)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.compile(loss="mse", optimizer="adam")
    history = training.fit(model, x, y, epochs=3, batch_size=64, shuffle=shuffle, seed=0, verbose=0)
    return history.history["loss"]


def test_a_large_epoch_in_order_trains_as_the_planned_one(monkeypatch):
    # without shuffling both take the same batches, the last one padded alike
    np.testing.assert_allclose(
        _losses(monkeypatch, large=True, shuffle=False),
        _losses(monkeypatch, large=False, shuffle=False),
        rtol=1e-6,
    )


def test_a_large_shuffled_epoch_trains_as_well(monkeypatch):
    large = _losses(monkeypatch, large=True, shuffle=True)
    planned = _losses(monkeypatch, large=False, shuffle=True)
    assert large != planned  # another order...
    assert large[-1] == pytest.approx(planned[-1], rel=0.05)  # ...to the same place
