"""Scaling a series for a network, and back: fitted on the training part only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaler:
    """Per-column affine scaling fitted on the training part: ``(values - offset) / scale``.

    ``kind`` "window" is fitted as "standard": a window-scaled network
    (``seqcast.layers.window_norm``) normalises each window itself, and the
    global standardisation underneath keeps the values it reads, and the
    loss, of order 1 whatever the series' units.

    >>> Scaler.fit("window", np.array([[1.0], [3.0]]))
    Scaler(kind='window', offset=(2.0,), scale=(1.0,))
    """

    kind: str | None
    offset: tuple[float, ...]
    scale: tuple[float, ...]

    @classmethod
    def fit(cls, kind: str | None, values: np.ndarray) -> Scaler:
        n = values.shape[1]
        if kind is None:
            return cls(None, (0.0,) * n, (1.0,) * n)
        if kind in ("standard", "window"):
            offset, scale = values.mean(axis=0), values.std(axis=0)
        else:  # minmax, to [0, 1]
            offset, scale = values.min(axis=0), values.max(axis=0) - values.min(axis=0)
        scale = np.where(scale > 0, scale, 1.0)  # a constant column stays as it is
        return cls(kind, tuple(map(float, offset)), tuple(map(float, scale)))

    def transform(self, values: np.ndarray) -> np.ndarray:
        offset, scale = np.asarray(self.offset), np.asarray(self.scale)
        return ((values - offset) / scale).astype("float32")

    def inverse_target(self, values: np.ndarray) -> np.ndarray:
        """Scaled target values back to the data's units (float64)."""
        return np.asarray(values, dtype="float64") * self.scale[0] + self.offset[0]
