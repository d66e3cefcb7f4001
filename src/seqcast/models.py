"""The zoo: each model of the chapter as a short builder plus its training recipe.

A builder takes the window length and the forecast horizon and returns an
uncompiled ``keras.Model`` made of the same Keras layers as the book; the
recipe says how the book trains it (optimizer, learning rate, loss).

>>> from seqcast.models import build_model, ZOO
>>> model = build_model("deep_rnn_dense", n_steps=50, horizon=1)
>>> model.output_shape
(None, 1)
>>> ZOO["simple_rnn"].recipe.learning_rate
0.005
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seqcast import backend_check
from seqcast.errors import SeqcastError

backend_check.set_jax_backend_if_possible()

import keras  # noqa: E402
from keras import layers  # noqa: E402


def make_optimizer(
    optimizer: str | keras.optimizers.Optimizer = "adam",
    *,
    learning_rate: float | None = None,
    momentum: float | None = None,
    clipnorm: float | None = None,
    clipvalue: float | None = None,
) -> keras.optimizers.Optimizer:
    """A fresh Keras optimizer: one per training run, since optimizers carry state.

    ``optimizer`` is a Keras name (``"adam"``, ``"sgd"``...) whose settings are
    Keras's defaults unless given here, or an optimizer instance, which is
    copied with its own settings (the others are then ignored).

    >>> float(make_optimizer("sgd", learning_rate=0.01, momentum=0.9).momentum)
    0.9
    """
    if isinstance(optimizer, keras.optimizers.Optimizer):
        # A fresh copy: an optimizer holds state built for one model's variables.
        return type(optimizer).from_config(optimizer.get_config())
    try:
        optimizer_class = type(keras.optimizers.get(optimizer))
    except ValueError:
        raise SeqcastError(
            f"unknown optimizer {optimizer!r}; use a Keras name such as 'adam' or 'sgd'"
        ) from None
    settings = {
        "learning_rate": learning_rate,
        "momentum": momentum,
        "clipnorm": clipnorm,
        "clipvalue": clipvalue,
    }
    return optimizer_class(**{key: value for key, value in settings.items() if value is not None})


@dataclass(frozen=True)
class Recipe:
    """How a zoo model is trained: optimizer, learning rate, loss, gradient clipping."""

    optimizer: str = "adam"
    learning_rate: float = 0.001
    loss: str = "mse"
    clipnorm: float | None = None
    clipvalue: float | None = None
    momentum: float | None = None  # SGD's, 0.9 in the course

    def make_optimizer(self) -> keras.optimizers.Optimizer:
        """A fresh Keras optimizer with this recipe's settings."""
        return make_optimizer(
            self.optimizer,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            clipnorm=self.clipnorm,
            clipvalue=self.clipvalue,
        )


@dataclass(frozen=True)
class ZooEntry:
    """A named model of the chapter: its builder, recipe and a one-line description."""

    name: str
    build: Callable[..., keras.Model]
    recipe: Recipe
    description: str
    fixed_length: bool = False  # needs the window length at build time (Flatten)
    # A valid, strided Conv1D front-end shortens the sequence: (kernel_size, strides).
    conv_front_end: tuple[int, int] | None = None
    # The builder takes recurrent_dropout=, so the model can give MC-dropout intervals.
    takes_dropout: bool = False

    def build_for_series(
        self, n_steps: int, horizon: int, features: int = 1, dropout: float = 0.0
    ) -> keras.Model:
        """The model for windows of ``n_steps`` steps of ``features`` columns, or a clear error.

        Every zoo builder reads the target plus covariates as ``features``;
        ``dropout`` is recurrent dropout, for the entries that declare it.
        """
        kwargs: dict[str, Any] = {"n_steps": n_steps, "horizon": horizon, "features": features}
        if dropout:
            if not self.takes_dropout:
                with_dropout = ", ".join(name for name, entry in ZOO.items() if entry.takes_dropout)
                raise SeqcastError(
                    f"model {self.name!r} has no dropout setting; use {with_dropout} for dropout"
                )
            # Recurrent dropout only: Keras drops an input feature for the whole sequence,
            # so on a one-feature series input dropout blanks entire windows (measured: one
            # MC sample in ten forecast the series' mean, a band down to it).
            kwargs["recurrent_dropout"] = dropout
        return self.build(**kwargs)


# --------------------------------------------------------------------------- builders


def _series_input(n_steps: int | None, features: int = 1) -> keras.KerasTensor:
    """The input window: ``features`` values per step, the target first (then covariates)."""
    return keras.Input(shape=(n_steps, features), name="series")


def linear(n_steps: int = 50, horizon: int = 1, features: int = 1) -> keras.Model:
    """Flatten the window, one Dense layer: the book's linear baseline."""
    inputs = _series_input(n_steps, features)
    outputs = layers.Dense(horizon)(layers.Flatten()(inputs))
    return keras.Model(inputs, outputs, name="linear")


def simple_rnn(n_steps: int | None = None, horizon: int = 1, features: int = 1) -> keras.Model:
    """A single recurrent neuron: SimpleRNN(1), its state is the forecast."""
    inputs = _series_input(n_steps, features)
    outputs = layers.SimpleRNN(horizon)(inputs)
    return keras.Model(inputs, outputs, name="simple_rnn")


def deep_rnn(
    n_steps: int | None = None, horizon: int = 1, units: int = 20, features: int = 1
) -> keras.Model:
    """Two SimpleRNN(20) layers returning sequences, then a SimpleRNN(1) output."""
    inputs = _series_input(n_steps, features)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.SimpleRNN(units, return_sequences=True)(h)
    outputs = layers.SimpleRNN(horizon)(h)
    return keras.Model(inputs, outputs, name="deep_rnn")


def deep_rnn_dense(
    n_steps: int | None = None, horizon: int = 1, units: int = 20, features: int = 1
) -> keras.Model:
    """SimpleRNN(20) ×2 with a Dense output: faster, and any output activation works."""
    inputs = _series_input(n_steps, features)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.SimpleRNN(units)(h)
    outputs = layers.Dense(horizon)(h)
    return keras.Model(inputs, outputs, name="deep_rnn_dense")


def _per_step_dense(h: keras.KerasTensor, horizon: int) -> keras.KerasTensor:
    """A Dense forecast of ``horizon`` values at every time step (seq-to-seq output)."""
    return layers.TimeDistributed(layers.Dense(horizon))(h)


def _two_recurrent_layers(
    name: str,
    make_layer: Callable[[], layers.Layer],
    n_steps: int | None,
    horizon: int,
    features: int = 1,
) -> keras.Model:
    """Two recurrent layers returning sequences, then a per-step Dense forecast.

    The shape of every seq-to-seq model of the chapter; ``make_layer`` returns
    a fresh recurrent layer each time it is called.
    """
    inputs = _series_input(n_steps, features)
    h = make_layer()(inputs)  # built in order, so seeds are drawn as before
    h = make_layer()(h)
    return keras.Model(inputs, _per_step_dense(h, horizon), name=name)


def seq2seq(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """SimpleRNN(20) ×2 returning sequences, a ``horizon``-vector forecast at every step."""
    return _two_recurrent_layers(
        "seq2seq",
        lambda: layers.SimpleRNN(units, return_sequences=True),
        n_steps,
        horizon,
        features,
    )


def seq2seq_bn(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """seq2seq with BatchNormalization after each recurrent layer (the book's attempt)."""
    inputs = _series_input(n_steps, features)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.BatchNormalization()(h)
    h = layers.SimpleRNN(units, return_sequences=True)(h)
    h = layers.BatchNormalization()(h)
    return keras.Model(inputs, _per_step_dense(h, horizon), name="seq2seq_bn")


def ln_rnn(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """RNN(LNSimpleRNNCell(20)) ×2 returning sequences, per-step Dense forecast."""
    from seqcast.layers import LNSimpleRNNCell

    return _two_recurrent_layers(
        "ln_rnn",
        lambda: layers.RNN(LNSimpleRNNCell(units), return_sequences=True),
        n_steps,
        horizon,
        features,
    )


def lstm_seq2seq(
    n_steps: int | None = None,
    horizon: int = 10,
    units: int = 20,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    features: int = 1,
) -> keras.Model:
    """LSTM(20) ×2 returning sequences, a ``horizon``-vector forecast at every step."""
    return _two_recurrent_layers(
        "lstm",
        lambda: layers.LSTM(
            units, return_sequences=True, dropout=dropout, recurrent_dropout=recurrent_dropout
        ),
        n_steps,
        horizon,
        features,
    )


def gru_seq2seq(
    n_steps: int | None = None,
    horizon: int = 10,
    units: int = 20,
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    name: str = "gru",
    features: int = 1,
) -> keras.Model:
    """GRU(20) ×2 returning sequences, a ``horizon``-vector forecast at every step."""
    return _two_recurrent_layers(
        name,
        lambda: layers.GRU(
            units, return_sequences=True, dropout=dropout, recurrent_dropout=recurrent_dropout
        ),
        n_steps,
        horizon,
        features,
    )


def gru_dropout(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """The gru model with dropout=0.2 and recurrent_dropout=0.2: for MC-dropout intervals."""
    return gru_seq2seq(n_steps, horizon, units, 0.2, 0.2, name="gru_dropout", features=features)


def peephole_lstm(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """RNN(PeepholeLSTMCell(20)) ×2 returning sequences, per-step Dense forecast."""
    from seqcast.layers import PeepholeLSTMCell

    return _two_recurrent_layers(
        "peephole_lstm",
        lambda: layers.RNN(PeepholeLSTMCell(units), return_sequences=True),
        n_steps,
        horizon,
        features,
    )


def bidirectional_lstm(
    n_steps: int | None = None,
    horizon: int = 1,
    units: int = 32,
    scale: float = 100.0,
    features: int = 1,
) -> keras.Model:
    """The course's Bidirectional LSTM(32) ×2, Dense, output scaled ×``scale``.

    The course writes the scaling as ``Lambda(lambda x: x * 100.0)``; a
    ``Rescaling`` layer does the same and saves without pickled Python code.
    Scaling the output lets a small-weight network reach series of size ~100.
    """
    inputs = _series_input(n_steps, features)
    h = layers.Bidirectional(layers.LSTM(units, return_sequences=True))(inputs)
    h = layers.Bidirectional(layers.LSTM(units))(h)
    outputs = layers.Rescaling(scale)(layers.Dense(horizon)(h))
    return keras.Model(inputs, outputs, name="bidirectional_lstm")


def conv_gru(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """Conv1D(20, 4, strides=2) halves the sequence, then GRU(20) ×2 and per-step Dense.

    Its outputs line up with ``crop_for_conv(targets, 4, 2)`` (the book's ``Y[:, 3::2]``).
    """
    inputs = _series_input(n_steps, features)
    h = layers.Conv1D(20, kernel_size=4, strides=2, padding="valid")(inputs)
    h = layers.GRU(units, return_sequences=True)(h)
    h = layers.GRU(units, return_sequences=True)(h)
    return keras.Model(inputs, _per_step_dense(h, horizon), name="conv_gru")


def wavenet(
    n_steps: int | None = None, horizon: int = 10, filters: int = 20, features: int = 1
) -> keras.Model:
    """Causal Conv1D(20, 2, relu) with dilations 1, 2, 4, 8 twice, then Conv1D(horizon, 1)."""
    h = inputs = _series_input(n_steps, features)
    for rate in (1, 2, 4, 8) * 2:
        h = layers.Conv1D(
            filters, kernel_size=2, padding="causal", activation="relu", dilation_rate=rate
        )(h)
    outputs = layers.Conv1D(horizon, kernel_size=1)(h)
    return keras.Model(inputs, outputs, name="wavenet")


def wavenet_gated(
    n_steps: int | None = None,
    horizon: int = 10,
    filters: int = 32,
    layers_per_block: int = 3,
    blocks: int = 1,
    output_activation: str | None = None,
    features: int = 1,
) -> keras.Model:
    """WaveNet with gated activation units, residual and skip connections.

    A causal Conv1D, then ``blocks`` × ``layers_per_block`` residual blocks with
    dilations 1, 2, 4, ...; the skips are summed, ReLU, 1×1 Conv1D + ReLU, then
    a linear 1×1 Conv1D of ``horizon`` outputs. The book ends with a softmax
    (``output_activation="softmax"``), which cannot forecast a real value: its
    outputs sum to 1 at every step.
    """
    from seqcast.layers import wavenet_residual_block

    inputs = _series_input(n_steps, features)
    z = layers.Conv1D(filters, kernel_size=2, padding="causal")(inputs)
    skips = []
    for rate in [2**i for i in range(layers_per_block)] * blocks:
        z, skip = wavenet_residual_block(z, filters, rate)
        skips.append(skip)
    z = layers.Activation("relu")(layers.Add()(skips))
    z = layers.Conv1D(filters, kernel_size=1, activation="relu")(z)
    outputs = layers.Conv1D(horizon, kernel_size=1, activation=output_activation)(z)
    return keras.Model(inputs, outputs, name="wavenet_gated")


def wavenet_gated_softmax(
    n_steps: int | None = None, horizon: int = 10, features: int = 1
) -> keras.Model:
    """The book's gated WaveNet exactly as printed, softmax output included."""
    return wavenet_gated(n_steps, horizon, output_activation="softmax", features=features)


def digits_rnn(n_steps: int | None = None, horizon: int = 10, features: int = 8) -> keras.Model:
    """Sequence classification: an image read row by row, SimpleRNN(150, relu), softmax.

    ``horizon`` is the number of classes here (the output size).
    """
    inputs = keras.Input(shape=(n_steps, features), name="rows")
    h = layers.SimpleRNN(150, activation="relu")(inputs)
    outputs = layers.Dense(horizon, activation="softmax")(h)
    return keras.Model(inputs, outputs, name="digits_rnn")


def dnn(n_steps: int = 20, horizon: int = 1, units: int = 10, features: int = 1) -> keras.Model:
    """The course's deep network on the flattened window: Dense(10, relu) ×2, Dense(horizon)."""
    inputs = _series_input(n_steps, features)
    h = layers.Flatten()(inputs)
    h = layers.Dense(units, activation="relu")(h)
    h = layers.Dense(units, activation="relu")(h)
    return keras.Model(inputs, layers.Dense(horizon)(h), name="dnn")


def conv_lstm(
    n_steps: int | None = None,
    horizon: int = 1,
    filters: int = 32,
    units: int = 32,
    scale: float = 200.0,
    features: int = 1,
) -> keras.Model:
    """The course's Conv1D(32, 5, causal, relu), LSTM(32) ×2 returning sequences, Dense, ×200.

    A forecast at every step (seq-to-seq targets); the output is scaled by
    ``scale`` as the course's ``Lambda(lambda x: x * 200)`` does.
    """
    inputs = _series_input(n_steps, features)
    h = layers.Conv1D(filters, kernel_size=5, padding="causal", activation="relu")(inputs)
    h = layers.LSTM(units, return_sequences=True)(h)
    h = layers.LSTM(units, return_sequences=True)(h)
    outputs = layers.Rescaling(scale)(_per_step_dense(h, horizon))
    return keras.Model(inputs, outputs, name="conv_lstm")


# --------------------------------------------------------------------------- the zoo

ZOO: dict[str, ZooEntry] = {
    entry.name: entry
    for entry in (
        ZooEntry("linear", linear, Recipe(), "Flatten, Dense(horizon)", fixed_length=True),
        ZooEntry("simple_rnn", simple_rnn, Recipe(learning_rate=0.005), "SimpleRNN(1)"),
        ZooEntry("deep_rnn", deep_rnn, Recipe(), "SimpleRNN 20 rs ×2, SimpleRNN(1)"),
        ZooEntry(
            "deep_rnn_dense", deep_rnn_dense, Recipe(), "SimpleRNN 20 rs, SimpleRNN 20, Dense"
        ),
        ZooEntry(
            "seq2seq",
            seq2seq,
            Recipe(learning_rate=0.01),
            "SimpleRNN 20 rs ×2, TimeDistributed(Dense(horizon))",
        ),
        ZooEntry(
            "seq2seq_bn",
            seq2seq_bn,
            Recipe(),
            "seq2seq with BatchNormalization after each SimpleRNN",
        ),
        ZooEntry(
            "ln_rnn",
            ln_rnn,
            Recipe(),
            "RNN(LNSimpleRNNCell(20)) ×2, TimeDistributed(Dense(horizon))",
        ),
        ZooEntry(
            "lstm",
            lstm_seq2seq,
            Recipe(),
            "LSTM 20 rs ×2, TimeDistributed(Dense(horizon))",
            takes_dropout=True,
        ),
        ZooEntry(
            "peephole_lstm",
            peephole_lstm,
            Recipe(),
            "RNN(PeepholeLSTMCell(20)) ×2, TimeDistributed(Dense(horizon))",
        ),
        ZooEntry(
            "gru",
            gru_seq2seq,
            Recipe(),
            "GRU 20 rs ×2, TimeDistributed(Dense(horizon))",
            takes_dropout=True,
        ),
        ZooEntry(
            "gru_dropout",
            gru_dropout,
            Recipe(),
            "gru with dropout 0.2 and recurrent_dropout 0.2 (MC-dropout intervals)",
        ),
        ZooEntry(
            "conv_gru",
            conv_gru,
            Recipe(),
            "Conv1D(20, 4, strides 2), GRU 20 rs ×2, TimeDistributed(Dense(horizon))",
            conv_front_end=(4, 2),
        ),
        ZooEntry(
            "wavenet",
            wavenet,
            Recipe(),
            "causal Conv1D(20, 2, relu), dilations 1,2,4,8 ×2, Conv1D(horizon, 1)",
        ),
        ZooEntry(
            "wavenet_gated",
            wavenet_gated,
            Recipe(),
            "gated residual WaveNet, 32 filters, dilations 1,2,4, linear output",
        ),
        ZooEntry(
            "wavenet_gated_softmax",
            wavenet_gated_softmax,
            Recipe(),
            "the book's gated WaveNet as printed, with its softmax output",
        ),
        ZooEntry(
            "digits_rnn",
            digits_rnn,
            Recipe(loss="sparse_categorical_crossentropy"),
            "SimpleRNN(150, relu), Dense(classes, softmax): images read row by row",
        ),
        ZooEntry(
            "dense",
            linear,
            Recipe("sgd", 1e-6, momentum=0.9),
            "the course's single Dense layer on the window (linear), SGD(1e-6, momentum 0.9)",
            fixed_length=True,
        ),
        ZooEntry(
            "dnn",
            dnn,
            Recipe("sgd", 8e-6, momentum=0.9),
            "the course's Dense(10, relu) ×2, Dense(horizon) on the window",
            fixed_length=True,
        ),
        ZooEntry(
            "conv_lstm",
            conv_lstm,
            Recipe("sgd", 1e-5, "huber", momentum=0.9),
            "the course's causal Conv1D(32, 5), LSTM(32) ×2, per-step Dense, ×200 scaling",
        ),
        ZooEntry(
            "bidirectional_lstm",
            bidirectional_lstm,
            Recipe("sgd", 1e-5, "huber", momentum=0.9),
            "the course's Bidirectional LSTM(32) ×2, Dense, ×100 scaling",
        ),
    )
}


def get_entry(name: str) -> ZooEntry:
    """The zoo entry called ``name``, or a clear error listing the known names."""
    try:
        return ZOO[name]
    except KeyError:
        raise SeqcastError(
            f"unknown model {name!r}; choose one of: {', '.join(sorted(ZOO))}"
        ) from None


def build_model(name: str, **kwargs: Any) -> keras.Model:
    """Build the zoo model ``name`` (uncompiled) with builder arguments ``kwargs``."""
    return get_entry(name).build(**kwargs)
