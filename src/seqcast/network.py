"""A forecaster's network: built from the zoo, matched to a strategy, windowed, run.

``model`` below is what ``Forecaster(model=...)`` takes: a zoo name
(``seqcast.models``) or a builder ``f(n_steps, horizon, features) -> keras.Model``.
``horizon`` is the one the network is trained for: 1 for the iterative
strategy, which feeds a one-step network its own forecasts.

>>> import seqcast, numpy as np
>>> net = build("linear", window=4, horizon=2, features=1)
>>> resolve_strategy(net, "auto", "linear")
'direct'
>>> x, y = training_windows(np.zeros((10, 1), "float32"), net, "linear", window=4, horizon=2)
>>> x.shape, y.shape
((5, 4, 1), (5, 2))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from seqcast import backend_check
from seqcast.errors import SeqcastError

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import strategies  # noqa: E402
from seqcast.data.windows import panel_windows  # noqa: E402
from seqcast.layers.series_embedding import with_series_embedding  # noqa: E402
from seqcast.layers.window_norm import window_scaled  # noqa: E402
from seqcast.models import get_entry  # noqa: E402

Model = str | Callable[..., keras.Model]


def name_of(model: Model) -> str:
    """The zoo name, or the builder function's name."""
    return model if isinstance(model, str) else getattr(model, "__name__", "?")


def build(
    model: Model,
    *,
    window: int,
    horizon: int,
    features: int,
    dropout: float = 0.0,
    window_scaling: Sequence[int] | None = None,
    known: int = 0,
    id_embedding: tuple[int, int, int] | None = None,
) -> keras.Model:
    """A fresh network reading ``window`` steps of ``features`` columns, forecasting ``horizon``.

    ``known`` is how many of the last columns are covariates known in advance,
    already moved ``horizon`` steps earlier (``seqcast.data.transform``): the
    zoo models that take it (``ZooEntry.takes_known``: the encoder-decoder)
    read them per forecast step; the others, and builder functions, read
    them as any other column.

    With ``window_scaling`` (the features to normalise, the target 0 among
    them) the network reads each window normalised by its own mean and
    standard deviation and its outputs are mapped back with the target's
    (``seqcast.layers.window_norm``): ``Forecaster(scaler="window")``.

    With ``id_embedding = (n_series, size, column)`` the network reads, in
    place of input column ``column`` (a series' position in its panel), a
    learned vector of ``size`` numbers per series
    (``seqcast.layers.SeriesEmbedding``).

    >>> net = build("gru", window=8, horizon=2, features=1, window_scaling=[0])
    >>> net.name, net.output_shape
    ('gru_window_scaled', (None, None, 2))
    >>> build("encoder_decoder", window=8, horizon=2, features=3, known=1).output_shape
    (None, 2)
    """
    inner = features if id_embedding is None else features - 1 + id_embedding[1]
    if not isinstance(model, str):
        network = model(n_steps=window, horizon=horizon, features=inner)
        return _wrapped(network, window_scaling, id_embedding)
    entry = get_entry(model)
    # Nested in the window-scaling model, a network is called as a layer, and a layer
    # checks its input against its Input's length: the iterative strategy's growing
    # windows would fail that, so the zoo's models of any length get none.
    wrapped = window_scaling is not None or id_embedding is not None
    steps = window if not wrapped or entry.fixed_length else None
    network = entry.build_for_series(steps, horizon, inner, dropout, known=known)
    return _wrapped(network, window_scaling, id_embedding)


def _wrapped(
    network: keras.Model,
    window_scaling: Sequence[int] | None,
    id_embedding: tuple[int, int, int] | None = None,
) -> keras.Model:
    """``network`` reading series vectors, then window-scaled, as asked."""
    if id_embedding is not None:
        network = with_series_embedding(network, *id_embedding)
    return network if window_scaling is None else window_scaled(network, window_scaling)


def is_sequence(network: keras.Model) -> bool:
    """Whether the network forecasts at every step (seq2seq) rather than once per window."""
    return len(network.output_shape) == 3


def resolve_strategy(network: keras.Model, strategy: str, model_name: str) -> str:
    """The strategy that fits ``network``: ``"auto"`` resolved, a mismatch refused."""
    sequence_output = is_sequence(network)
    if strategy == "auto":
        return "seq2seq" if sequence_output else "direct"
    if (strategy == "seq2seq") != sequence_output:
        kind = "a forecast at every step" if sequence_output else "one forecast per window"
        raise SeqcastError(
            f"model {model_name!r} outputs {kind}, which does not fit the "
            f"{strategy} strategy; use strategy='auto'"
        )
    return strategy


def training_windows(
    scaled: np.ndarray | Sequence[np.ndarray],
    network: keras.Model,
    model: Model,
    *,
    window: int,
    horizon: int,
) -> tuple[Any, Any]:
    """Lazy (inputs, targets) windows of ``scaled`` shaped for ``network``'s outputs.

    ``scaled`` is one series, or a list of them (a panel's): every window
    of each, none across two. Nothing is copied per window: the trainer
    gathers each batch from the series on the device
    (``seqcast.data.windows.WindowedSeries``). A zoo model with a Conv1D
    front-end gets its per-step targets cropped to match.
    """
    entry = get_entry(model) if isinstance(model, str) else None
    return panel_windows(
        list(scaled) if isinstance(scaled, (list, tuple)) else [scaled],
        window,
        horizon,
        sequence=is_sequence(network),
        crop=entry.conv_front_end if entry is not None else None,
    )


def forecast(
    network: keras.Model, strategy: str, x: np.ndarray, *, model: Model, horizon: int
) -> np.ndarray:
    """Scaled forecasts ``(n, horizon)`` from scaled input windows ``(n, window, features)``."""
    if strategy == "iterative":
        fixed = isinstance(model, str) and get_entry(model).fixed_length
        return strategies.iterative(network, x, horizon, keep_length=fixed)
    if strategy == "seq2seq":
        return strategies.seq2seq(network, x)
    return strategies.direct(network, x)
