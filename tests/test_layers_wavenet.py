"""WaveNet's gated activation unit, checked against its equation written in NumPy."""

import keras
import numpy as np

from seqcast.layers import GatedActivationUnit

RNG = np.random.RandomState(0)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_gated_activation_unit_is_tanh_times_sigmoid():
    x = RNG.normal(size=(2, 5, 6)).astype("float32")
    expected = np.tanh(x[..., :3]) * sigmoid(x[..., 3:])
    np.testing.assert_allclose(np.asarray(GatedActivationUnit()(x)), expected, rtol=1e-5, atol=1e-6)


def test_gated_wavenet_saves_and_loads(tmp_path):
    from seqcast.models import build_model

    model = build_model("wavenet_gated", horizon=10)
    x = RNG.normal(size=(2, 50, 1)).astype("float32")
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(
        reloaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5
    )
