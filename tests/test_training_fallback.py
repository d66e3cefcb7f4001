"""Keras's own fit, evaluate and predict stand in, returning what the trainer returns."""

import keras
import numpy as np
import pytest

from seqcast.training import fallback


@pytest.fixture
def dense():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam", metrics=["mae"])
    return model


def test_fit_with_keras_warns_and_times_the_training(dense):
    x = np.random.RandomState(0).rand(8, 3).astype("float32")
    with pytest.warns(UserWarning, match="so seqcast trains with model.fit"):
        history = fallback.fit_with_keras(dense, x, x[:, :1], 2, 4, None, None, False, 0)
    assert len(history.history["loss"]) == 2
    assert history.compile_seconds == 0.0 and history.train_seconds > 0


def test_evaluate_and_predict_with_keras_give_floats_and_arrays(dense):
    x = np.ones((4, 3), "float32")
    scores = fallback.evaluate_with_keras(dense, x, np.zeros((4, 1), "float32"))
    assert set(scores) == {"loss", "mae"} and all(type(v) is float for v in scores.values())
    out = fallback.predict_with_keras(dense, x)
    assert isinstance(out, np.ndarray) and out.shape == (4, 1)
