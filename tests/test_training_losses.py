"""Losses and metrics as per-sample functions: the same numbers as Keras's reductions."""

import keras
import numpy as np
import pytest

from seqcast.errors import SeqcastError
from seqcast.training import resolve_loss, resolve_metric
from seqcast.training.losses import compiled_metrics


@pytest.mark.parametrize("loss", ["mse", "mae", "huber", keras.losses.Huber(delta=0.5)])
def test_per_sample_mean_is_keras_batch_loss(loss):
    rng = np.random.RandomState(0)
    y_true, y_pred = rng.rand(6, 4, 3).astype("float32"), rng.rand(6, 4, 3).astype("float32")
    per_sample = resolve_loss(loss)(y_true, y_pred)
    assert per_sample.shape == (6,)
    if isinstance(loss, str):  # the plain function, reduced as sum_over_batch_size does
        expected = np.mean(keras.losses.get(loss)(y_true, y_pred))
    else:
        expected = loss(y_true, y_pred)
    np.testing.assert_allclose(float(per_sample.mean()), float(expected), rtol=1e-6)


def test_unknown_loss_is_explained():
    with pytest.raises(SeqcastError, match="unknown loss 'msq'; use a Keras loss name"):
        resolve_loss("msq")


def test_metric_names_are_short_and_functions_keep_theirs():
    def wape(y_true, y_pred):
        return abs(y_true - y_pred)

    assert resolve_metric("mean_squared_error")[0] == "mse"
    assert resolve_metric("last_time_step_mse")[0] == "last_time_step_mse"
    assert resolve_metric(wape)[0] == "wape"
    with pytest.raises(SeqcastError, match="cannot use 3 as a metric"):
        resolve_metric(3)


def test_compiled_metrics_are_read_from_model_compile():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    assert compiled_metrics(model) == []
    model.compile(loss="mse", optimizer="adam", metrics=["mae"])
    assert compiled_metrics(model) == ["mae"]
