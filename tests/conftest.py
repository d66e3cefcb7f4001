"""Shared fixtures. Importing seqcast first puts Keras on the JAX backend."""

import os

import numpy as np
import pytest

import seqcast  # noqa: F401  (must precede keras)

# Tests stay hermetic: no persistent XLA cache in the user's home.
os.environ["SEQCAST_CACHE_DIR"] = "off"


@pytest.fixture(scope="session")
def small_book():
    """The first 1000 training and 300 validation series of the book's one-step data.

    1000 = 31 × 32 + 8, so every epoch ends with a partial batch.
    """
    from seqcast.data import book_splits

    data = book_splits()
    return (
        np.array(data.x_train[:1000]),
        np.array(data.y_train[:1000]),
        np.array(data.x_valid[:300]),
        np.array(data.y_valid[:300]),
    )
