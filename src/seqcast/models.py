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
from dataclasses import dataclass, field
from typing import Any

from seqcast import backend_check
from seqcast.errors import SeqcastError

backend_check.set_jax_backend_if_possible()

import keras  # noqa: E402
from keras import layers  # noqa: E402


@dataclass(frozen=True)
class Recipe:
    """How a zoo model is trained: optimizer, learning rate, loss, gradient clipping."""

    optimizer: str = "adam"
    learning_rate: float = 0.001
    loss: str = "mse"
    clipnorm: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. {"momentum": 0.9} for SGD

    def make_optimizer(self) -> keras.optimizers.Optimizer:
        """A fresh Keras optimizer (one per training run: optimizers carry state)."""
        kwargs = dict(self.extra, learning_rate=self.learning_rate)
        if self.clipnorm is not None:
            kwargs["clipnorm"] = self.clipnorm
        optimizer_class = type(keras.optimizers.get(self.optimizer))
        return optimizer_class(**kwargs)


@dataclass(frozen=True)
class ZooEntry:
    """A named model of the chapter: its builder, recipe and a one-line description."""

    name: str
    build: Callable[..., keras.Model]
    recipe: Recipe
    description: str


# --------------------------------------------------------------------------- builders


def _series_input(n_steps: int | None) -> keras.KerasTensor:
    return keras.Input(shape=(n_steps, 1), name="series")


def linear(n_steps: int = 50, horizon: int = 1) -> keras.Model:
    """Flatten the window, one Dense layer: the book's linear baseline."""
    inputs = _series_input(n_steps)
    outputs = layers.Dense(horizon)(layers.Flatten()(inputs))
    return keras.Model(inputs, outputs, name="linear")


def simple_rnn(n_steps: int | None = None, horizon: int = 1) -> keras.Model:
    """A single recurrent neuron: SimpleRNN(1), its state is the forecast."""
    inputs = _series_input(n_steps)
    outputs = layers.SimpleRNN(horizon)(inputs)
    return keras.Model(inputs, outputs, name="simple_rnn")


def deep_rnn(n_steps: int | None = None, horizon: int = 1, units: int = 20) -> keras.Model:
    """Two SimpleRNN(20) layers returning sequences, then a SimpleRNN(1) output."""
    inputs = _series_input(n_steps)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.SimpleRNN(units, return_sequences=True)(h)
    outputs = layers.SimpleRNN(horizon)(h)
    return keras.Model(inputs, outputs, name="deep_rnn")


def deep_rnn_dense(n_steps: int | None = None, horizon: int = 1, units: int = 20) -> keras.Model:
    """SimpleRNN(20) ×2 with a Dense output: faster, and any output activation works."""
    inputs = _series_input(n_steps)
    h = layers.SimpleRNN(units, return_sequences=True)(inputs)
    h = layers.SimpleRNN(units)(h)
    outputs = layers.Dense(horizon)(h)
    return keras.Model(inputs, outputs, name="deep_rnn_dense")


def lstm_seq2seq(n_steps: int | None = None, horizon: int = 10, units: int = 20) -> keras.Model:
    """LSTM(20) ×2 returning sequences, a Dense forecast of ``horizon`` values at every step."""
    inputs = _series_input(n_steps)
    h = layers.LSTM(units, return_sequences=True)(inputs)
    h = layers.LSTM(units, return_sequences=True)(h)
    outputs = layers.TimeDistributed(layers.Dense(horizon))(h)
    return keras.Model(inputs, outputs, name="lstm")


# --------------------------------------------------------------------------- the zoo

ZOO: dict[str, ZooEntry] = {
    entry.name: entry
    for entry in (
        ZooEntry("linear", linear, Recipe(), "Flatten, Dense(horizon)"),
        ZooEntry("simple_rnn", simple_rnn, Recipe(learning_rate=0.005), "SimpleRNN(1)"),
        ZooEntry("deep_rnn", deep_rnn, Recipe(), "SimpleRNN 20 rs ×2, SimpleRNN(1)"),
        ZooEntry(
            "deep_rnn_dense", deep_rnn_dense, Recipe(), "SimpleRNN 20 rs, SimpleRNN 20, Dense"
        ),
        ZooEntry("lstm", lstm_seq2seq, Recipe(), "LSTM 20 rs ×2, TimeDistributed(Dense(horizon))"),
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
