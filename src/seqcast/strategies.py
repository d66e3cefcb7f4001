"""Multi-step forecasting strategies, one module for all of them.

* **direct** (seq-to-vector): the model outputs all ``horizon`` values at once;
  its prediction *is* the forecast (``seq2vec``, ``linear_10``).
* **seq2seq**: the model outputs a ``horizon``-vector at every time step; the
  forecast is the vector of the last step.
* **iterative**: a one-step model is fed its own predictions, ``horizon`` times.

>>> import seqcast, keras, numpy as np
>>> from seqcast.strategies import iterative
>>> model = keras.Sequential([keras.Input((None, 1)), keras.layers.SimpleRNN(1)])
>>> iterative(model, np.zeros((2, 5, 1), "float32"), horizon=3).shape
(2, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from seqcast import backend_check

backend_check.ensure_jax_backend()

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402

from seqcast.checks import fraction, positive_int  # noqa: E402
from seqcast.errors import SeqcastError  # noqa: E402
from seqcast.training import jitted_for, model_state, predict  # noqa: E402


def direct(model: keras.Model, x: Any) -> np.ndarray:
    """Seq-to-vector: the model's output, ``(batch, horizon)``."""
    return predict(model, x)


def seq2seq(model: keras.Model, x: Any) -> np.ndarray:
    """Seq-to-seq: the forecast made at the last time step, ``(batch, horizon)``."""
    return predict(model, x)[:, -1]


def iterative(model: keras.Model, x: Any, horizon: int, *, keep_length: bool = False) -> np.ndarray:
    """Feed a one-step model its own predictions ``horizon`` times.

    The input grows by one step each time, as in the book (the RNN sees the
    whole history, not a sliding window); with ``keep_length`` the window
    slides instead (its oldest step drops out), which models of a fixed
    input length (``Flatten``) need. The whole rollout is one jitted
    call: the ``horizon`` forward passes of growing length compile together.
    Returns ``(batch, horizon)``.
    """
    x = np.asarray(x, dtype=keras.backend.floatx())
    if x.ndim != 3 or x.shape[-1] != 1:
        raise SeqcastError(
            f"iterative forecasting needs a univariate window of shape (batch, time, 1), "
            f"got {x.shape}"
        )
    if model.output_shape[-1] != 1 or len(model.output_shape) != 2:
        raise SeqcastError(
            f"iterative forecasting needs a one-step model (output (batch, 1)), but this one "
            f"outputs {model.output_shape}; use the direct strategy instead"
        )
    rollout = jitted_for(
        model, ("rollout", horizon, keep_length), lambda m: _rollout(m, horizon, keep_length)
    )
    return np.asarray(rollout(*model_state(model), jnp.asarray(x)))


def _rollout(model: keras.Model, horizon: int, keep_length: bool):
    def run(trainable, non_trainable, x):
        steps = []
        for _ in range(horizon):
            y, _ = model.stateless_call(trainable, non_trainable, x, training=False)
            steps.append(y[:, 0])
            x = jnp.concatenate([x[:, 1:] if keep_length else x, y[:, None, :]], axis=1)
        return jnp.stack(steps, axis=1)

    return run


@dataclass(frozen=True)
class IntervalForecast:
    """The summary of MC-dropout samples: ``mean``, ``std`` and the requested quantiles.

    ``quantiles`` maps each level (e.g. 0.05) to an array shaped like ``mean``.
    """

    mean: np.ndarray
    std: np.ndarray
    quantiles: dict[float, np.ndarray]


def mc_dropout(
    model: keras.Model,
    x: Any,
    *,
    samples: int = 100,
    seed: int = 0,
    quantiles: tuple[float, ...] = (0.05, 0.95),
) -> IntervalForecast:
    """Monte Carlo dropout: ``samples`` forward passes with dropout active, summarized.

    Each pass gets its own dropout seeds; the passes run inside one compiled
    call (vectorised in chunks with ``lax.map``), not as a Python loop of
    ``predict`` calls. As in the book, every layer runs in training mode.

    Raises ``SeqcastError`` if the model has no dropout to sample from.
    """
    x = np.asarray(x, dtype=keras.backend.floatx())
    samples = positive_int(samples, "samples", minimum=2)  # one draw has no spread
    levels = tuple(fraction(q, "quantiles") for q in quantiles)
    if not has_dropout(model):
        raise SeqcastError(
            f"model {model.name!r} has no dropout, so MC dropout would return the same forecast "
            "every time; add dropout / recurrent_dropout or use point forecasts"
        )
    trainable, non_trainable = model_state(model)
    seed_slots = tuple(
        i for i, v in enumerate(model.non_trainable_variables) if "seed_generator_state" in v.path
    )
    # One fresh (seed, counter) state per generator per sample.
    draws = jax.random.randint(
        jax.random.PRNGKey(seed), (samples, len(seed_slots)), 0, np.iinfo(np.int32).max
    )
    seed_states = jnp.stack([draws, jnp.zeros_like(draws)], axis=-1).astype(
        non_trainable[seed_slots[0]].dtype
    )
    sampler = jitted_for(model, ("mc_dropout", seed_slots), lambda m: _sampler(m, seed_slots))
    draws_out = np.asarray(sampler(trainable, non_trainable, jnp.asarray(x), seed_states))
    values = np.quantile(draws_out, levels, axis=0)
    return IntervalForecast(
        mean=draws_out.mean(axis=0),
        std=draws_out.std(axis=0),
        quantiles=dict(zip(levels, values)),
    )


def has_dropout(model: keras.Model) -> bool:
    """Whether some layer drops units at training time (so MC dropout has something to sample).

    Keras's recurrent cells keep a seed generator even at dropout 0, so the
    rates are what tell, not the presence of seed state.
    """
    for layer in model._flatten_layers():
        rates = [getattr(layer, name, 0.0) for name in ("rate", "dropout", "recurrent_dropout")]
        if any(isinstance(r, (int, float)) and r > 0 for r in rates):
            return True
    return False


def _sampler(model: keras.Model, seed_slots: tuple[int, ...]):
    def run(trainable, non_trainable, x, seed_states):
        def one_pass(states):
            variables = list(non_trainable)
            for slot, state in zip(seed_slots, states):
                variables[slot] = state
            y, _ = model.stateless_call(trainable, variables, x, training=True)
            return y

        return jax.lax.map(one_pass, seed_states, batch_size=min(16, seed_states.shape[0]))

    return run
