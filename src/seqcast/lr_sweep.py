"""The course's learning-rate sweep: the schedule it trains under and what it found.

``Forecaster.lr_find`` trains a throwaway model under :func:`sweep_schedule`
and returns a :class:`LearningRateSweep` (plain NumPy, plottable with
``seqcast.plots``) that reads the suggested rate off the losses.

>>> schedule = sweep_schedule(1e-8)
>>> schedule(0), schedule(20), round(schedule(40), 20)
(1e-08, 1e-07, 1e-06)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from seqcast.errors import SeqcastError


def sweep_schedule(min_lr: float) -> Callable[..., float]:
    """The course's rate at each epoch: ``min_lr * 10 ** (epoch / 20)``, a decade per 20 epochs.

    The returned function takes Keras's ``LearningRateScheduler`` arguments
    ``(epoch, lr)`` and ignores the current rate.
    """

    def schedule(epoch: int, lr: float = 0.0) -> float:
        return float(min_lr * 10 ** (epoch / 20))

    return schedule


@dataclass
class LearningRateSweep:
    """Loss per epoch while the learning rate grows ``min_lr * 10 ** (epoch / 20)``.

    ``suggestion`` is the rate where the loss falls fastest (the steepest
    slope of the smoothed loss against log rate, before its lowest point):
    the course reads its plot the same way, a rate well before the loss
    turns up, where training is fast but stable.

    >>> rates = 1e-8 * 10 ** (np.arange(160) / 20)
    >>> drop = 1 / (1 + np.exp(-2 * (np.log10(rates) + 3)))  # falls fastest at 1e-3
    >>> sweep = LearningRateSweep(rates, 2 - drop + (rates > 1e-1) * 10)
    >>> round(float(np.log10(sweep.suggestion)), 1), sweep.reached_the_minimum
    (-3.0, True)
    """

    learning_rates: np.ndarray
    losses: np.ndarray

    @property
    def suggestion(self) -> float:
        losses = self.losses[: self._usable]
        # Half a decade of epochs smoothed together: one epoch's loss is noisy.
        width = min(10, len(losses))
        smoothed = np.convolve(losses, np.ones(width) / width, mode="valid")
        centers = np.arange(len(smoothed)) + (width - 1) / 2
        lowest = int(np.argmin(smoothed))
        if lowest == 0:
            return float(self.learning_rates[0])
        # Epochs are evenly spaced in log rate, so the steepest fall per epoch is per decade.
        steepest = int(np.argmin(np.diff(smoothed[: lowest + 1])))
        return float(self.learning_rates[round(centers[steepest] + 0.5)])

    @property
    def _usable(self) -> int:
        """The epochs before the loss first stopped being finite."""
        finite = np.isfinite(self.losses)
        if not finite.any():
            raise SeqcastError("the loss was never finite during the sweep; check the data")
        return len(finite) if finite.all() else int(np.argmin(finite))

    @property
    def reached_the_minimum(self) -> bool:
        """Whether the loss turned back up within the sweep (else the best rate lies beyond it).

        The lowest loss must come a few epochs (5 % of the sweep, at least 2)
        before its end: a minimum on the last epochs may just be where it stopped.
        """
        return self._best < len(self.losses) - max(2, len(self.losses) // 20)

    @property
    def _best(self) -> int:
        """The epoch of the lowest loss (the trainer stops at the first non-finite one)."""
        return int(np.argmin(self.losses[: self._usable]))
