"""A forecaster's network: built, matched to a strategy, windowed and run."""

import keras
import numpy as np
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast import network
from seqcast.errors import SeqcastError


def test_a_zoo_name_or_a_builder():
    net = network.build("gru", window=5, horizon=3, features=2, dropout=0.2)
    assert net.input_shape == (None, 5, 2) and network.is_sequence(net)
    assert network.name_of("gru") == "gru"

    def my_model(n_steps, horizon, features):
        return keras.Sequential(
            [keras.Input((n_steps, features)), keras.layers.Flatten(), keras.layers.Dense(horizon)]
        )

    built = network.build(my_model, window=5, horizon=3, features=2)
    assert built.output_shape == (None, 3) and not network.is_sequence(built)
    assert network.name_of(my_model) == "my_model"


def test_strategies_resolve_and_mismatches_are_refused():
    vector = network.build("linear", window=4, horizon=2, features=1)
    sequence = network.build("gru", window=4, horizon=2, features=1)
    assert network.resolve_strategy(vector, "auto", "linear") == "direct"
    assert network.resolve_strategy(sequence, "auto", "gru") == "seq2seq"
    assert network.resolve_strategy(vector, "iterative", "linear") == "iterative"
    with pytest.raises(SeqcastError, match=r"'gru' outputs a forecast at every step.*direct"):
        network.resolve_strategy(sequence, "direct", "gru")


def test_training_windows_follow_the_output_shape():
    scaled = np.arange(20.0, dtype="float32")[:, None]
    vector = network.build("linear", window=4, horizon=2, features=1)
    x, y = network.training_windows(scaled, vector, "linear", window=4, horizon=2)
    assert x.shape == (15, 4, 1) and y.shape == (15, 2)
    assert np.asarray(y)[0].tolist() == [4.0, 5.0]
    sequence = network.build("gru", window=4, horizon=2, features=1)
    _, y = network.training_windows(scaled, sequence, "gru", window=4, horizon=2)
    assert y.shape == (15, 4, 2)  # a horizon-vector at every step


@pytest.mark.parametrize(("name", "strategy"), [("linear", "direct"), ("gru", "seq2seq")])
def test_forecast_is_one_horizon_vector_per_window(name, strategy):
    net = network.build(name, window=4, horizon=3, features=1)
    x = np.zeros((2, 4, 1), "float32")
    assert network.forecast(net, strategy, x, model=name, horizon=3).shape == (2, 3)
    one_step = network.build(name, window=4, horizon=1, features=1)
    iterative = "iterative" if strategy == "direct" else None
    if iterative:
        assert network.forecast(one_step, iterative, x, model=name, horizon=3).shape == (2, 3)


def test_window_scaling_wraps_the_network_and_frees_the_length_of_recurrent_ones():
    gru = network.build("gru", window=5, horizon=3, features=2, window_scaling=[0, 1])
    assert gru.name == "gru_window_scaled" and network.is_sequence(gru)
    assert gru.input_shape == (None, None, 2)  # the iterative strategy's windows grow
    flat = network.build("linear", window=5, horizon=3, features=2, window_scaling=[0])
    assert flat.input_shape == (None, 5, 2) and flat.output_shape == (None, 3)
    one_step = network.build("deep_rnn_dense", window=4, horizon=1, features=1, window_scaling=[0])
    x = np.random.default_rng(0).normal(size=(2, 4, 1)).astype("float32")
    out = network.forecast(one_step, "iterative", x, model="deep_rnn_dense", horizon=3)
    shifted = network.forecast(one_step, "iterative", x + 50, model="deep_rnn_dense", horizon=3)
    # the forecasts fed back are shifted as the window is, so every step stays shifted
    np.testing.assert_allclose(shifted, out + 50, atol=50 * 10 * np.finfo("float32").eps)


def test_known_reaches_the_encoder_decoder_window_scaled_or_not(tmp_path):
    plain = network.build("encoder_decoder", window=6, horizon=3, features=3, known=1)
    assert plain.get_layer("known_future").known == 1
    assert network.resolve_strategy(plain, "auto", "encoder_decoder") == "direct"
    scaled = network.build(
        "encoder_decoder", window=6, horizon=3, features=3, known=1, window_scaling=[0, 1, 2]
    )
    assert scaled.name == "encoder_decoder_window_scaled" and scaled.input_shape == (None, 6, 3)
    assert scaled.get_layer("encoder_decoder").get_layer("known_future").known == 1
    x = np.random.default_rng(0).normal(size=(2, 6, 3)).astype("float32")
    out = network.forecast(scaled, "direct", x, model="encoder_decoder", horizon=3)
    assert out.shape == (2, 3)
    # the target's level never reaches the network: a shifted target, shifted forecasts
    lifted = x + np.array([50.0, 0.0, 0.0], "float32")
    shifted = network.forecast(scaled, "direct", lifted, model="encoder_decoder", horizon=3)
    np.testing.assert_allclose(shifted, out + 50, atol=50 * 10 * np.finfo("float32").eps)
    scaled.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), scaled.predict(x, verbose=0))
    with pytest.raises(SeqcastError, match=r"window \(2 steps\) is shorter than the horizon"):
        network.build("encoder_decoder", window=2, horizon=3, features=2, known=1)
