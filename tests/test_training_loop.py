"""The compiled trainer is right, not just fast: it matches Keras's own fit."""

import keras
import numpy as np
import pytest

from seqcast.errors import SeqcastError
from seqcast.training import evaluate, fit, predict


def _conv(units, return_sequences=False, **kwargs):
    """A causal Conv1D standing in for a recurrent layer; the last one pools over time."""
    conv = keras.layers.Conv1D(units, 2, padding="causal", activation="relu", **kwargs)
    if return_sequences:
        return conv
    return keras.Sequential([conv, keras.layers.GlobalAveragePooling1D()])


def _model(kind: str, seed: int = 1, batch_norm: bool = False, **rnn_kwargs) -> keras.Model:
    keras.utils.set_random_seed(seed)
    rnn = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "conv": _conv}[kind]
    layers = [keras.Input((None, 1)), rnn(8, return_sequences=True, **rnn_kwargs)]
    if batch_norm:
        layers.append(keras.layers.BatchNormalization())
    layers += [rnn(8, **rnn_kwargs), keras.layers.Dense(1)]
    return keras.Sequential(layers)


def _twins(kind: str, learning_rate: float = 0.005, **kwargs) -> tuple[keras.Model, keras.Model]:
    """Two compiled models with identical initial weights."""
    a, b = _model(kind, **kwargs), _model(kind, **kwargs)
    b.set_weights(a.get_weights())
    for model in (a, b):
        model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate), metrics=["mae"])
    return a, b


@pytest.mark.parametrize(
    "kind, batch_norm",
    [("rnn", False), ("lstm", False), ("rnn", True), ("conv", False), ("conv", True)],
    # conv models train one compiled step per batch on CPU, the others scan the epoch
    ids=["simple_rnn", "lstm", "batch_norm", "conv_stepped", "conv_batch_norm_stepped"],
)
def test_same_per_epoch_losses_as_keras_fit(small_book, kind, batch_norm):
    x, y, xv, yv = small_book
    # ReLU convolutions with BatchNormalization amplify float rounding at lr 0.005
    # (1e-5 after one epoch, 1e-3 after three, for the scanned and stepped paths
    # alike); at Adam's default rate they stay as close as the recurrent models.
    learning_rate = 0.001 if kind == "conv" else 0.005
    keras_model, our_model = _twins(kind, learning_rate, batch_norm=batch_norm)
    expected = keras_model.fit(
        x, y, epochs=3, batch_size=32, shuffle=False, validation_data=(xv, yv), verbose=0
    ).history
    got = fit(
        our_model, x, y, epochs=3, batch_size=32, shuffle=False, validation_data=(xv, yv), verbose=0
    ).history
    assert set(got) == set(expected) == {"loss", "mae", "val_loss", "val_mae"}
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=2e-5, err_msg=key)
    # and the trained weights themselves (BatchNormalization statistics included)
    for ours, theirs in zip(our_model.get_weights(), keras_model.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)


def test_trained_model_is_a_normal_keras_model(small_book, tmp_path):
    x, y, xv, _ = small_book
    model = _model("rnn")
    fit(model, x, y, epochs=1, loss="mse", optimizer="adam", verbose=0, seed=0)
    ours = predict(model, xv)
    np.testing.assert_allclose(ours, model.predict(xv, verbose=0), rtol=1e-5, atol=1e-6)
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(reloaded.predict(xv, verbose=0), ours, rtol=1e-5, atol=1e-6)


def test_evaluate_matches_keras_evaluate(small_book):
    _, _, xv, yv = small_book
    model = _model("rnn")
    model.compile(loss="mse", optimizer="adam", metrics=["mae"])
    expected = model.evaluate(xv, yv, verbose=0, return_dict=True)
    got = evaluate(model, xv, yv)
    assert got == pytest.approx(expected, rel=1e-5)


def test_same_seed_same_numbers_and_another_seed_other_numbers(small_book):
    x, y, _, _ = small_book

    def run(seed):
        model = _model("rnn", dropout=0.2, recurrent_dropout=0.2)
        return fit(
            model, x, y, epochs=2, loss="mse", optimizer="adam", seed=seed, verbose=0
        ).history["loss"]

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_dropout_seed_state_advances(small_book):
    x, y, _, _ = small_book
    model = _model("rnn", dropout=0.5)
    seeds_before = [v.numpy() for v in model.non_trainable_variables]
    fit(model, x, y, epochs=1, loss="mse", optimizer="adam", seed=0, verbose=0)
    seeds_after = [v.numpy() for v in model.non_trainable_variables]
    assert any(not np.array_equal(a, b) for a, b in zip(seeds_before, seeds_after))


def test_learning_rate_schedule_is_applied_each_epoch(small_book):
    x, y, _, _ = small_book
    one_epoch = _model("rnn")
    fit(
        one_epoch,
        x,
        y,
        epochs=1,
        loss="mse",
        optimizer=keras.optimizers.Adam(0.01),
        seed=3,
        verbose=0,
    )
    frozen_after_one = _model("rnn")
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 if epoch == 0 else 0.0)
    fit(
        frozen_after_one,
        x,
        y,
        epochs=3,
        loss="mse",
        optimizer=keras.optimizers.Adam(0.01),
        callbacks=[schedule],
        seed=3,
        verbose=0,
    )
    for a, b in zip(one_epoch.get_weights(), frozen_after_one.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert float(frozen_after_one.optimizer.learning_rate) == 0.0


def test_early_stopping_restores_the_best_weights(small_book):
    x, y, xv, yv = small_book
    model = _model("rnn")
    # A sane first epoch, then a learning rate far too high: validation loss jumps,
    # EarlyStopping(patience=0) stops and must restore the first epoch's weights.
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 if epoch == 0 else 0.5)
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0, restore_best_weights=True)
    history = fit(
        model,
        x,
        y,
        epochs=10,
        validation_data=(xv, yv),
        loss="mse",
        optimizer=keras.optimizers.Adam(0.01),
        callbacks=[schedule, stop],
        seed=0,
        verbose=0,
    )
    val = history.history["val_loss"]
    assert len(val) == 2 and val[1] > val[0]
    assert evaluate(model, xv, yv)["loss"] == pytest.approx(val[0], rel=1e-5)


def test_model_checkpoint_saves_a_loadable_model(small_book, tmp_path):
    x, y, xv, _ = small_book
    model = _model("rnn")
    path = tmp_path / "best.keras"
    fit(
        model,
        x,
        y,
        epochs=2,
        loss="mse",
        optimizer="adam",
        seed=0,
        verbose=0,
        callbacks=[keras.callbacks.ModelCheckpoint(path)],
    )
    reloaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        reloaded.predict(xv, verbose=0), predict(model, xv), rtol=1e-5, atol=1e-6
    )


def test_history_reports_compile_and_train_seconds(small_book):
    x, y, _, _ = small_book
    history = fit(_model("rnn"), x, y, epochs=1, loss="mse", optimizer="adam", seed=0, verbose=0)
    assert history.compile_seconds > 0 and history.train_seconds > 0
    assert history.epoch == [0]


# --------------------------------------------------------------------------- bad arguments


@pytest.fixture
def compiled_rnn():
    model = _model("rnn")
    model.compile(loss="mse", optimizer="adam")
    return model


@pytest.mark.parametrize("epochs", [0, -1, 2.5])
def test_epochs_must_be_a_positive_whole_number(small_book, compiled_rnn, epochs):
    x, y, _, _ = small_book
    with pytest.raises(SeqcastError, match="epochs must be a whole number of at least 1"):
        fit(compiled_rnn, x, y, epochs=epochs, verbose=0)


def test_uncompiled_model_without_loss_is_explained(small_book):
    x, y, _, _ = small_book
    with pytest.raises(SeqcastError, match="no loss or optimizer"):
        fit(_model("rnn"), x, y, epochs=1, verbose=0)
