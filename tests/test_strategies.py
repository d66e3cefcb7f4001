"""Multi-step strategies, MC-dropout intervals and sequence classification."""

import keras
import numpy as np
import pytest

from seqcast import metrics, strategies
from seqcast.data import crop_for_conv, generate_time_series
from seqcast.errors import SeqcastError
from seqcast.models import build_model
from seqcast.training import fit


def _one_step_model():
    keras.utils.set_random_seed(0)
    return build_model("deep_rnn_dense", horizon=1, units=4)


def test_iterative_equals_feeding_keras_predict_its_own_output():
    model = _one_step_model()
    x = generate_time_series(5, 20, seed=1)
    expected = x
    for _ in range(4):
        expected = np.concatenate(
            [expected, model.predict(expected, verbose=0)[:, None, :]], axis=1
        )
    got = strategies.iterative(model, x, horizon=4)
    np.testing.assert_allclose(got, expected[:, 20:, 0], rtol=1e-5, atol=1e-6)


def test_iterative_refuses_a_multi_output_model():
    model = build_model("seq2seq", horizon=10)
    with pytest.raises(SeqcastError, match="needs a one-step model"):
        strategies.iterative(model, generate_time_series(2, 10, seed=0), horizon=3)


def test_seq2seq_strategy_takes_the_last_steps_vector():
    keras.utils.set_random_seed(0)
    model = build_model("seq2seq", horizon=10)
    x = generate_time_series(3, 12, seed=0)
    np.testing.assert_allclose(
        strategies.seq2seq(model, x), model.predict(x, verbose=0)[:, -1], rtol=1e-5
    )


def test_crop_for_conv_is_the_books_3_2_slice():
    y = np.arange(2 * 50 * 10).reshape(2, 50, 10)
    np.testing.assert_array_equal(crop_for_conv(y, 4, 2), y[:, 3::2])
    keras.utils.set_random_seed(0)
    assert build_model("conv_gru").compute_output_shape((None, 50, 1))[1] == y[:, 3::2].shape[1]


def test_mc_dropout_samples_differ_and_are_reproducible():
    keras.utils.set_random_seed(0)
    model = build_model("gru_dropout", horizon=10, units=8)
    x = generate_time_series(4, 30, seed=0)
    a = strategies.mc_dropout(model, x, samples=20, seed=1, quantiles=(0.1, 0.5, 0.9))
    b = strategies.mc_dropout(model, x, samples=20, seed=1, quantiles=(0.1, 0.5, 0.9))
    c = strategies.mc_dropout(model, x, samples=20, seed=2, quantiles=(0.1, 0.5, 0.9))
    assert a.mean.shape == (4, 30, 10) and set(a.quantiles) == {0.1, 0.5, 0.9}
    np.testing.assert_array_equal(a.mean, b.mean)
    assert not np.array_equal(a.mean, c.mean)
    assert (a.std > 0).mean() > 0.99
    assert np.all(a.quantiles[0.1] <= a.quantiles[0.5]) and np.all(
        a.quantiles[0.5] <= a.quantiles[0.9]
    )


def test_mc_dropout_needs_dropout():
    with pytest.raises(SeqcastError, match="has no dropout"):
        strategies.mc_dropout(_one_step_model(), generate_time_series(2, 10, seed=0))


def test_mc_dropout_checks_samples_and_quantiles():
    model, x = _one_step_model(), generate_time_series(2, 10, seed=0)
    with pytest.raises(SeqcastError, match="samples must be a whole number of at least 2, got 1"):
        strategies.mc_dropout(model, x, samples=1)
    with pytest.raises(SeqcastError, match="quantiles must be a number between 0 and 1"):
        strategies.mc_dropout(model, x, quantiles=(0.05, 1.5))


def test_sequence_classification_learns_digits():
    from seqcast.data.datasets import digits_rows

    data = digits_rows()
    keras.utils.set_random_seed(0)
    model = build_model("digits_rnn", horizon=10)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    history = fit(
        model,
        data.x_train,
        data.y_train,
        epochs=5,
        metrics=["accuracy"],
        validation_data=(data.x_valid, data.y_valid),
        seed=0,
        verbose=0,
    )
    valid_accuracy = metrics.accuracy(data.y_valid, model.predict(data.x_valid, verbose=0))
    assert history.history["val_accuracy"][-1] == pytest.approx(valid_accuracy, abs=1e-6)
    assert valid_accuracy > 0.8  # ten classes: chance is 0.1


def test_class_indices_out_of_range_are_explained():
    model = build_model("digits_rnn", horizon=10)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    x = np.zeros((4, 8, 8), "float32")
    with pytest.raises(SeqcastError, match="one class index in \\[0, 10\\)"):
        fit(model, x, np.array([0, 3, 10, 2]), epochs=1, verbose=0)
