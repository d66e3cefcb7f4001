"""The pieces every zoo builder shares: the input window and the per-step Dense output.

>>> from seqcast.models.parts import series_input
>>> series_input(50, features=3).shape
(None, 50, 3)
"""

from __future__ import annotations

import keras
from keras import layers


def series_input(n_steps: int | None, features: int = 1) -> keras.KerasTensor:
    """The input window: ``features`` values per step, the target first (then covariates)."""
    return keras.Input(shape=(n_steps, features), name="series")


def per_step_dense(h: keras.KerasTensor, horizon: int) -> keras.KerasTensor:
    """A Dense forecast of ``horizon`` values at every time step (seq-to-seq output)."""
    return layers.TimeDistributed(layers.Dense(horizon))(h)
