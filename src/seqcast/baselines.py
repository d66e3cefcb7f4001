"""Forecasts that need no training: the yardsticks every model must beat."""

from __future__ import annotations

import numpy as np


def naive(x: np.ndarray, horizon: int = 1) -> np.ndarray:
    """Repeat the last observed value: ``(batch, time, 1)`` -> ``(batch, horizon)``.

    >>> naive(np.array([[[1.0], [2.0], [3.0]]]), horizon=2).tolist()
    [[3.0, 3.0]]
    """
    x = np.asarray(x)
    return np.repeat(x[:, -1, :1], horizon, axis=1)


BASELINES = {"naive": naive}
