"""An epoch runs as one scan, or as one step per batch where a scan would be slower."""

import jax
import keras
import numpy as np
import pytest

from seqcast.training.compiled import compiled_for
from seqcast.training.device_data import to_device
from seqcast.training.epochs import ScannedEpoch, SteppedEpoch, epoch_runner
from seqcast.training.state import training_state


def _compiled(layer):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6, 1)), layer, keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.optimizer.build(model.trainable_variables)
    return model, compiled_for(model, model.loss, [])


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="the stepped path is CPU-only")
def test_convolutions_step_on_cpu_and_recurrent_layers_scan():
    x = np.random.RandomState(0).rand(10, 6, 1).astype("float32")
    y = x[:, -1]
    conv = keras.Sequential([keras.layers.Conv1D(2, 3), keras.layers.GlobalAveragePooling1D()])
    for layer, kind in ((keras.layers.SimpleRNN(2), ScannedEpoch), (conv, SteppedEpoch)):
        model, compiled = _compiled(layer)
        key = jax.random.PRNGKey(0)
        run = epoch_runner(
            compiled, to_device(x), to_device(y), 4, True, training_state(model), key
        )
        assert isinstance(run, kind)
        _, means = run(training_state(model), key)
        assert np.asarray(means).shape == (1,) and np.isfinite(np.asarray(means)).all()
