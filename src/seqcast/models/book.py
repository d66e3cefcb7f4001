"""The chapter's models, one short builder each (Géron, Hands-On ML, ch. 15).

A builder takes the window length ``n_steps``, the forecast ``horizon`` and
the number of ``features`` per step, and returns an uncompiled
``keras.Model`` made of the same Keras layers as the book, built in the
book's order (so a seeded model gets the same weights).

>>> from seqcast.models.book import deep_rnn_dense, seq2seq
>>> deep_rnn_dense(n_steps=50, horizon=1).output_shape
(None, 1)
>>> seq2seq(horizon=10).output_shape
(None, None, 10)
"""

from __future__ import annotations

from collections.abc import Callable

import keras
from keras import layers

from seqcast.models.parts import per_step_dense, series_input


def linear(n_steps: int = 50, horizon: int = 1, features: int = 1) -> keras.Model:
    """Flatten the window, one Dense layer: the book's linear baseline."""
    inputs = series_input(n_steps, features)
    outputs = layers.Dense(horizon)(layers.Flatten()(inputs))
    return keras.Model(inputs, outputs, name="linear")


def simple_rnn(n_steps: int | None = None, horizon: int = 1, features: int = 1) -> keras.Model:
    """A single recurrent neuron: SimpleRNN(1), its state is the forecast."""
    inputs = series_input(n_steps, features)
    outputs = layers.SimpleRNN(horizon)(inputs)
    return keras.Model(inputs, outputs, name="simple_rnn")


def deep_rnn(
    n_steps: int | None = None, horizon: int = 1, units: int = 20, features: int = 1
) -> keras.Model:
    """Two SimpleRNN(20) layers returning sequences, then a SimpleRNN(1) output."""
    inputs = series_input(n_steps, features)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.SimpleRNN(units, return_sequences=True)(h)
    outputs = layers.SimpleRNN(horizon)(h)
    return keras.Model(inputs, outputs, name="deep_rnn")


def deep_rnn_dense(
    n_steps: int | None = None, horizon: int = 1, units: int = 20, features: int = 1
) -> keras.Model:
    """SimpleRNN(20) ×2 with a Dense output: faster, and any output activation works."""
    inputs = series_input(n_steps, features)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.SimpleRNN(units)(h)
    outputs = layers.Dense(horizon)(h)
    return keras.Model(inputs, outputs, name="deep_rnn_dense")


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
    inputs = series_input(n_steps, features)
    h = make_layer()(inputs)  # built in order, so seeds are drawn as before
    h = make_layer()(h)
    return keras.Model(inputs, per_step_dense(h, horizon), name=name)


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
    inputs = series_input(n_steps, features)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.BatchNormalization()(h)
    h = layers.SimpleRNN(units, return_sequences=True)(h)
    h = layers.BatchNormalization()(h)
    return keras.Model(inputs, per_step_dense(h, horizon), name="seq2seq_bn")


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


def conv_gru(
    n_steps: int | None = None, horizon: int = 10, units: int = 20, features: int = 1
) -> keras.Model:
    """Conv1D(20, 4, strides=2) halves the sequence, then GRU(20) ×2 and per-step Dense.

    Its outputs line up with ``crop_for_conv(targets, 4, 2)`` (the book's ``Y[:, 3::2]``).
    """
    inputs = series_input(n_steps, features)
    h = layers.Conv1D(20, kernel_size=4, strides=2, padding="valid")(inputs)
    h = layers.GRU(units, return_sequences=True)(h)
    h = layers.GRU(units, return_sequences=True)(h)
    return keras.Model(inputs, per_step_dense(h, horizon), name="conv_gru")


def wavenet(
    n_steps: int | None = None, horizon: int = 10, filters: int = 20, features: int = 1
) -> keras.Model:
    """Causal Conv1D(20, 2, relu) with dilations 1, 2, 4, 8 twice, then Conv1D(horizon, 1)."""
    h = inputs = series_input(n_steps, features)
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

    inputs = series_input(n_steps, features)
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


def encoder_decoder(
    n_steps: int | None = None,
    horizon: int = 10,
    units: int = 20,
    features: int = 1,
    known: int = 0,
    recurrent_dropout: float = 0.0,
) -> keras.Model:
    """A GRU encoder reads the window into a state; a GRU decoder unrolls over the horizon.

    The chapter's seq-to-vector encoder followed by its vector-to-sequence
    decoder: the encoder's last output (a GRU's output is its state) is both
    the decoder's initial state and, repeated at every step (``RepeatVector``),
    its input, beside the known-in-advance covariates of that forecast step:
    the last ``known`` input columns, read from the window's last ``horizon``
    rows (:class:`~seqcast.layers.KnownFuture`). A Dense(1) on each decoder
    step gives that step's forecast: ``(batch, horizon)``, the direct strategy.

    >>> encoder_decoder(n_steps=8, horizon=3, features=2, known=1).output_shape
    (None, 3)
    """
    from seqcast.checks import known_ahead
    from seqcast.layers import KnownFuture

    known = known_ahead(known, features, n_steps, horizon)
    inputs = series_input(n_steps, features)
    state = layers.GRU(units, recurrent_dropout=recurrent_dropout, name="encoder")(inputs)
    steps = layers.RepeatVector(horizon, name="repeat_state")(state)
    if known:
        future = KnownFuture(horizon, known, name="known_future")(inputs)
        steps = layers.Concatenate(name="decoder_inputs")([steps, future])
    h = layers.GRU(
        units, return_sequences=True, recurrent_dropout=recurrent_dropout, name="decoder"
    )(steps, initial_state=state)
    outputs = layers.Flatten(name="forecast")(layers.Dense(1, name="per_step")(h))
    return keras.Model(inputs, outputs, name="encoder_decoder")


def digits_rnn(n_steps: int | None = None, horizon: int = 10, features: int = 8) -> keras.Model:
    """Sequence classification: an image read row by row, SimpleRNN(150, relu), softmax.

    ``horizon`` is the number of classes here (the output size).
    """
    inputs = keras.Input(shape=(n_steps, features), name="rows")
    h = layers.SimpleRNN(150, activation="relu")(inputs)
    outputs = layers.Dense(horizon, activation="softmax")(h)
    return keras.Model(inputs, outputs, name="digits_rnn")
