"""Make sure Keras runs on JAX, the backend the compiled trainer needs.

Importing seqcast sets ``KERAS_BACKEND=jax`` when Keras has not been imported
yet. If Keras was already imported with another backend, nothing can switch
it; seqcast then warns once and trains with ``model.fit`` instead.
"""

from __future__ import annotations

import os
import sys
import warnings

_warned = False


def set_jax_backend_if_possible() -> None:
    """Choose JAX for Keras, unless Keras is already imported (then it is too late)."""
    if "keras" in sys.modules:
        return
    previous = os.environ.get("KERAS_BACKEND")
    if previous and previous != "jax":
        warnings.warn(
            f"KERAS_BACKEND was {previous!r}; seqcast switches it to 'jax' for its compiled "
            "trainer. Import keras before seqcast to keep your backend (seqcast then falls "
            "back to model.fit).",
            stacklevel=3,
        )
    os.environ["KERAS_BACKEND"] = "jax"


def is_jax() -> bool:
    import keras

    return keras.backend.backend() == "jax"


def ensure_jax_backend() -> None:
    """Warn once if Keras already runs on another backend."""
    global _warned
    set_jax_backend_if_possible()
    if not is_jax() and not _warned:
        _warned = True
        import keras

        warnings.warn(
            f"Keras was imported with the {keras.backend.backend()!r} backend before seqcast; "
            "seqcast's compiled trainer needs JAX, so training falls back to model.fit "
            "(slower). Import seqcast first or set KERAS_BACKEND=jax.",
            stacklevel=3,
        )
