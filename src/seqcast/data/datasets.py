"""Built-in data that ships inside installed packages: nothing is downloaded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seqcast.data.splits import Splits


@dataclass(frozen=True)
class SequenceClassificationSplits(Splits):
    """Sequences ``(n, time, features)`` with integer class labels ``(n,)``."""

    n_classes: int


def digits_rows(seed: int = 42) -> SequenceClassificationSplits:
    """scikit-learn's 1,797 handwritten 8×8 digits, each read row by row: 8 steps of 8 pixels.

    The offline stand-in for the book's MNIST example (28 steps of 28 pixels).
    Pixels are scaled to [0, 1]; the shuffled split is 1,000 / 397 / 400.

    >>> splits = digits_rows()
    >>> splits.x_train.shape, splits.y_train.shape, splits.n_classes
    ((1000, 8, 8), (1000,), 10)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")
    y = digits.target.astype("int32")
    order = np.random.RandomState(seed).permutation(len(x))
    x, y = x[order], y[order]
    return SequenceClassificationSplits(
        x[:1000], y[:1000], x[1000:1397], y[1000:1397], x[1397:], y[1397:], n_classes=10
    )
