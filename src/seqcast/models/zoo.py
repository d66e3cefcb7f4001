"""The zoo: every named model, its builder and the recipe its source trains it with.

The table :data:`ZOO` maps a name to a :class:`ZooEntry`: the builder (from
:mod:`seqcast.models.book` or :mod:`seqcast.models.course`), the
:class:`Recipe` (optimizer, learning rate, loss) and what the model needs of
its input. It is data: adding a model is adding a row.

>>> from seqcast.models.zoo import ZOO, build_model
>>> build_model("deep_rnn_dense", n_steps=50, horizon=1).output_shape
(None, 1)
>>> ZOO["simple_rnn"].recipe.learning_rate
0.005
>>> ZOO["dense"].build is ZOO["linear"].build  # the course's dense model is the book's linear
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras

from seqcast.checks import one_of
from seqcast.errors import SeqcastError
from seqcast.models.book import (
    conv_gru,
    deep_rnn,
    deep_rnn_dense,
    digits_rnn,
    encoder_decoder,
    gru_dropout,
    gru_seq2seq,
    linear,
    ln_rnn,
    lstm_seq2seq,
    peephole_lstm,
    seq2seq,
    seq2seq_bn,
    simple_rnn,
    wavenet,
    wavenet_gated,
    wavenet_gated_softmax,
)
from seqcast.models.course import bidirectional_lstm, conv_lstm, dnn


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
    # Needs the window length at build time: to Flatten it, or to check that it holds
    # the horizon's known covariates (the encoder-decoder).
    fixed_length: bool = False
    # A valid, strided Conv1D front-end shortens the sequence: (kernel_size, strides).
    conv_front_end: tuple[int, int] | None = None
    # The builder takes recurrent_dropout=, so the model can give MC-dropout intervals.
    takes_dropout: bool = False
    # The builder takes known=: it reads the known-in-advance covariates of each forecast
    # step apart from the rest of the window (the last known= columns, seqcast.data.transform).
    takes_known: bool = False

    def build_for_series(
        self,
        n_steps: int | None,
        horizon: int,
        features: int = 1,
        dropout: float = 0.0,
        known: int = 0,
    ) -> keras.Model:
        """The model for windows of ``n_steps`` steps of ``features`` columns, or a clear error.

        Every zoo builder reads the target plus covariates as ``features``;
        ``dropout`` is recurrent dropout, for the entries that declare it.
        ``known`` counts the last of those columns that are known in advance:
        the entries that declare ``takes_known`` read them per forecast step,
        the others read them as any other covariate and ignore ``known``.

        >>> ZOO["encoder_decoder"].build_for_series(8, 3, features=2, known=1).output_shape
        (None, 3)
        """
        kwargs: dict[str, Any] = {"n_steps": n_steps, "horizon": horizon, "features": features}
        if self.takes_known:
            kwargs["known"] = known
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
            "encoder_decoder",
            encoder_decoder,
            Recipe(),
            "GRU 20 encoder, GRU 20 decoder over the horizon (state + known covariates), Dense(1)",
            fixed_length=True,
            takes_dropout=True,
            takes_known=True,
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
    return ZOO[one_of(name, sorted(ZOO), "model")]


def build_model(name: str, **kwargs: Any) -> keras.Model:
    """Build the zoo model ``name`` (uncompiled) with builder arguments ``kwargs``."""
    return get_entry(name).build(**kwargs)
