"""The trainer's data checks: one clear sentence per mistake, before XLA sees it."""

import keras
import numpy as np
import pytest

from seqcast.data import lazy_windows
from seqcast.errors import SeqcastError
from seqcast.training import fit
from seqcast.training.inputs import as_float_array, check_shapes, format_shape


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


@pytest.fixture
def compiled_rnn():
    model = _rnn()
    model.compile(loss="mse", optimizer="adam")
    return model


@pytest.mark.parametrize(
    "make_x, make_y, message",
    [
        (
            lambda x: x[..., 0],
            lambda y: y,
            "x has shape \\(1000, 50\\) but the model takes inputs of shape",
        ),
        (lambda x: x, lambda y: y[:900], "x has 1000 samples but y has 900"),
        (
            lambda x: x,
            lambda y: np.repeat(y, 5, axis=1),
            "y has shape \\(1000, 5\\) but the model outputs",
        ),
        (
            lambda x: np.where(np.arange(50)[None, :, None] == 7, np.nan, x),
            lambda y: y,
            "NaN or infinite",
        ),
        (lambda x: x.astype(str), lambda y: y, "not numbers"),
        (lambda x: x[:0], lambda y: y[:0], "x is empty"),
    ],
    ids=["2d_x", "sample_count", "y_shape", "nan", "strings", "empty"],
)
def test_bad_training_data_gets_one_clear_sentence(
    small_book, compiled_rnn, make_x, make_y, message
):
    x, y, _, _ = small_book
    with pytest.raises(SeqcastError, match=message):
        fit(compiled_rnn, make_x(x), make_y(y), epochs=1, verbose=0)


def test_one_dimensional_targets_are_accepted_like_keras(small_book):
    x, y, _, _ = small_book
    history = fit(_rnn(), x, y[:, 0], epochs=1, loss="mse", optimizer="adam", seed=0, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_lazy_windows_are_checked_once_and_stay_lazy():
    x, _ = lazy_windows(np.arange(10, dtype="int64"), window=3)
    checked = as_float_array("x", x)
    assert checked.values.dtype == np.float32 and checked.shape == (7, 3, 1)
    bad, _ = lazy_windows(np.where(np.arange(10) == 4, np.nan, np.arange(10)), window=3)
    with pytest.raises(SeqcastError, match="x contains 1 NaN or infinite values"):
        as_float_array("x", bad)


def test_class_indices_must_lie_in_the_output_range():
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Dense(3)])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    x = np.zeros((5, 4, 1), "float32")
    assert check_shapes(model, x, np.array([[0], [1], [2], [1], [0]], "float32"), "data").shape == (
        5,
    )
    with pytest.raises(SeqcastError, match=r"one class index in \[0, 3\) per sample"):
        check_shapes(model, x, np.array([0, 1, 3, 1, 0], "float32"), "data")


def test_shapes_name_the_sample_axis():
    assert format_shape((None, 12, 2)) == "(batch, 12, 2)"
