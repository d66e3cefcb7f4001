"""A fit's checks, written once: fit and fit_members refuse the same mistakes in the same words."""

import keras
import numpy as np
import pytest

from seqcast.errors import SeqcastError
from seqcast.training import fit, fit_members
from seqcast.training.fit_data import check_fit, place_fit, split_batches


def _dense() -> keras.Model:
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    return model


X = np.random.RandomState(0).rand(12, 4, 1).astype("float32")
Y = X[:, -1, 0]


@pytest.mark.parametrize("train", [fit, fit_members], ids=["fit", "fit_members"])
@pytest.mark.parametrize(
    "changes, message",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -1}, "batch_size"),
        ({"y": Y[:5]}, "x has 12 samples but y has 5"),
        ({"validation_data": (X, Y, Y)}, "validation_data must be a pair"),
        ({"validation_data": (X[..., 0], Y)}, "validation data: x has shape"),
    ],
    ids=["epochs", "batch_size", "samples", "pair", "validation_shape"],
)
def test_both_ways_of_training_refuse_a_mistake_alike(train, changes, message):
    arguments = {"x": X, "y": Y, **changes}
    with pytest.raises(SeqcastError, match=message):
        train(_dense(), arguments.pop("x"), arguments.pop("y"), verbose=0, **arguments)


def test_the_checked_data_is_shaped_for_the_loss_and_placed_on_the_device():
    model = _dense()
    data = check_fit(model, X, Y, (X[:3], Y[:3]), epochs=2, batch_size=64)
    assert data.y.shape == (12, 1) and data.valid[1].shape == (3, 1)
    assert data.metrics == [] and data.epochs == 2
    batch_size, mesh = split_batches(model, data, None)
    assert (batch_size, mesh) == (12, None)  # a batch is at most all the samples
    x, y, (xv, yv, mask) = place_fit(data, mesh)
    np.testing.assert_array_equal(np.asarray(x), X)
    np.testing.assert_array_equal(np.asarray(y), data.y)
    assert xv.shape == (1, 3, 4, 1) and yv.shape == (1, 3, 1)
    assert np.asarray(mask).tolist() == [[1, 1, 1]]
