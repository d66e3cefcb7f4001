"""Scaler: per-column affine scaling fitted on the training part, and back."""

import numpy as np
import pytest

from seqcast.data.scaling import Scaler


def _values() -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.stack([1000 + 50 * rng.normal(size=200), rng.random(200)], axis=1)


def test_standard_scaling_centres_and_reduces_each_column():
    values = _values()
    scaler = Scaler.fit("standard", values)
    scaled = scaler.transform(values)
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(scaled.std(axis=0), 1.0, rtol=1e-5)


def test_window_scaling_is_fitted_as_standard_and_keeps_its_name():
    standard, window = Scaler.fit("standard", _values()), Scaler.fit("window", _values())
    assert window.kind == "window"
    assert (window.offset, window.scale) == (standard.offset, standard.scale)


def test_minmax_scaling_maps_each_column_to_0_1():
    scaled = Scaler.fit("minmax", _values()).transform(_values())
    np.testing.assert_allclose(scaled.min(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(scaled.max(axis=0), 1.0, rtol=1e-6)


def test_no_scaling_is_the_identity():
    scaler = Scaler.fit(None, _values())
    assert scaler == Scaler(None, (0.0, 0.0), (1.0, 1.0))
    np.testing.assert_allclose(scaler.transform(_values()), _values().astype("float32"))


@pytest.mark.parametrize("kind", ["standard", "minmax"])
def test_a_constant_column_keeps_its_scale(kind):
    values = np.c_[_values()[:, 0], np.full(200, 3.0)]
    scaler = Scaler.fit(kind, values)
    assert scaler.scale[1] == 1.0
    assert np.isfinite(scaler.transform(values)).all()


@pytest.mark.parametrize("kind", ["standard", "minmax", None])
def test_inverse_target_undoes_the_scaling_of_column_0(kind):
    values = _values()
    scaler = Scaler.fit(kind, values[:100])  # fitted on a part, applied to all
    back = scaler.inverse_target(scaler.transform(values)[:, 0])
    assert back.dtype == np.float64
    np.testing.assert_allclose(back, values[:, 0], rtol=1e-6)
