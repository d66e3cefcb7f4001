"""The zoo: every entry builds, its recipe is the source's, unknown names are explained."""

import numpy as np
import pytest

from seqcast.errors import SeqcastError
from seqcast.experiments.book import BOOK_ROWS
from seqcast.models import ZOO, build_model


@pytest.mark.parametrize("name", sorted(ZOO))
def test_every_zoo_model_builds_with_the_requested_horizon(name):
    model = build_model(name, n_steps=50, horizon=3)
    assert model.output_shape[-1] == 3
    assert ZOO[name].recipe.make_optimizer() is not ZOO[name].recipe.make_optimizer()


def test_recipes_are_the_books():
    assert ZOO["simple_rnn"].recipe.learning_rate == 0.005
    assert float(ZOO["simple_rnn"].recipe.make_optimizer().learning_rate) == pytest.approx(0.005)
    assert ZOO["deep_rnn"].recipe.optimizer == "adam"


def test_every_book_row_names_a_zoo_model_or_a_baseline():
    for row in BOOK_ROWS:
        assert (row.model is None) != (row.baseline is None), row.name
        assert row.model is None or row.model in ZOO


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(SeqcastError, match=r"unknown model 'gruu'; choose one of: .*deep_rnn"):
        build_model("gruu")


def test_recipes_expose_gradient_clipping_and_sgd_momentum():
    from seqcast.models import Recipe

    assert Recipe(clipnorm=1.0).make_optimizer().clipnorm == 1.0
    assert Recipe(clipvalue=0.5).make_optimizer().clipvalue == 0.5
    course = ZOO["bidirectional_lstm"].recipe.make_optimizer()
    assert type(course).__name__ == "SGD" and course.momentum == 0.9
    assert float(course.learning_rate) == pytest.approx(1e-5)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _gru(inputs, h, layer):
    """Keras's GRU (reset_after=True) in NumPy: gates z, r, h in the kernel's order."""
    kernel, recurrent = layer.cell.kernel.numpy(), layer.cell.recurrent_kernel.numpy()
    input_bias, recurrent_bias = layer.cell.bias.numpy()
    outputs = []
    for t in range(inputs.shape[1]):
        x_z, x_r, x_h = np.split(inputs[:, t] @ kernel + input_bias, 3, axis=-1)
        h_z, h_r, h_h = np.split(h @ recurrent + recurrent_bias, 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        h = z * h + (1 - z) * np.tanh(x_h + r * h_h)
        outputs.append(h)
    return np.stack(outputs, axis=1)


@pytest.mark.parametrize("known", [0, 2])
def test_the_encoder_decoder_computes_its_equations(known):
    window, horizon, features, units = 7, 3, 3, 5
    model = build_model(
        "encoder_decoder",
        n_steps=window,
        horizon=horizon,
        features=features,
        known=known,
        units=units,
    )
    rng = np.random.default_rng(1)
    for variable in model.weights:  # random biases too, so each one is checked
        variable.assign(rng.normal(0, 0.5, variable.shape).astype("float32"))
    x = rng.normal(size=(4, window, features)).astype("float32")

    state = _gru(x, np.zeros((4, units)), model.get_layer("encoder"))[:, -1]
    steps = np.repeat(state[:, None], horizon, axis=1)
    if known:
        steps = np.concatenate([steps, x[:, -horizon:, -known:]], axis=-1)
    decoded = _gru(steps, state, model.get_layer("decoder"))
    dense = model.get_layer("per_step")
    expected = (decoded @ dense.kernel.numpy() + dense.bias.numpy())[:, :, 0]

    got = np.asarray(model(x))
    assert got.shape == (4, horizon)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_the_encoder_decoder_refuses_a_window_shorter_than_the_horizon():
    with pytest.raises(SeqcastError, match=r"window \(4 steps\) is shorter than the horizon \(6\)"):
        build_model("encoder_decoder", n_steps=4, horizon=6, features=2, known=1)
    with pytest.raises(SeqcastError, match=r"2 known covariate column\(s\) leave no target"):
        build_model("encoder_decoder", n_steps=8, horizon=2, features=2, known=2)


def test_only_the_entries_that_take_known_covariates_read_them_apart():
    assert [name for name, entry in ZOO.items() if entry.takes_known] == ["encoder_decoder"]
    gru = ZOO["gru"].build_for_series(8, 2, features=3, known=1)  # known is ignored
    assert gru.output_shape == (None, 8, 2)
    decoder = ZOO["encoder_decoder"].build_for_series(8, 2, features=3, known=1)
    assert decoder.get_layer("known_future").known == 1


def test_the_encoder_decoder_saves_and_loads(tmp_path):
    import keras

    model = build_model("encoder_decoder", n_steps=6, horizon=2, features=2, known=1, units=4)
    x = np.random.default_rng(2).normal(size=(3, 6, 2)).astype("float32")
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))


def _train(series, *, known, epochs, window=8, horizon=3):
    """An encoder-decoder trained on ``series`` (target first) with seqcast's trainer."""
    import keras

    from seqcast import network, training

    keras.utils.set_random_seed(0)
    net = network.build(
        "encoder_decoder", window=window, horizon=horizon, features=series.shape[1], known=known
    )
    net.compile(loss="mse", optimizer=keras.optimizers.Adam(0.01))
    x, y = network.training_windows(series, net, "encoder_decoder", window=window, horizon=horizon)
    return training.fit(net, x, y, epochs=epochs, verbose=0, seed=0).history["loss"]


def test_the_encoder_decoder_trains_on_a_tiny_series():
    series = np.sin(np.arange(120) / 4).astype("float32")[:, None]
    losses = _train(series, known=0, epochs=4)
    assert losses[-1] < losses[0] / 2


def test_the_decoder_reads_known_covariates_that_decide_the_target():
    from seqcast.data.transform import model_values

    # The target is noise, except that it equals a covariate known in advance.
    plan = np.random.default_rng(3).normal(size=300)
    values = np.stack([plan, plan], axis=1)
    with_plan = model_values(values, horizon=3, known=1)  # the plan moved 3 steps earlier
    blind = _train(with_plan[:, :1], known=0, epochs=10)[-1]
    reading = _train(with_plan, known=1, epochs=10)[-1]
    assert blind > 0.5  # nothing in the past tells the noise
    assert reading < blind / 10
