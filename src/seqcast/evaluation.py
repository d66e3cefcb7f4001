"""What evaluating a forecaster gives back: backtest scores, a learning-rate sweep.

Plain results (pandas and NumPy), printable and plottable (``seqcast.plots``);
the ``Forecaster`` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seqcast.data.dates import label
from seqcast.errors import SeqcastError


@dataclass
class Backtest:
    """Rolling-origin evaluation of a fitted model beside the baselines.

    ``scores``: one row per method (the model first), columns MAE, MSE, RMSE,
    MAPE, sMAPE, MASE over every origin and horizon step. ``per_horizon``: the
    same per horizon step, for each method. ``forecasts``: method →
    ``(origins, horizon)`` array; ``actual`` the true values; ``origins`` the
    label of the first forecast step of each origin.
    """

    scores: pd.DataFrame
    per_horizon: dict[str, pd.DataFrame]
    forecasts: dict[str, np.ndarray]
    actual: np.ndarray
    origins: pd.Index
    model_name: str
    season: int
    skipped: dict[str, str] = field(default_factory=dict)  # baseline → why it did not run

    def winner(self, metric: str = "MAE") -> str:
        """The method with the lowest ``metric``."""
        return str(self.scores[metric].idxmin())

    def __str__(self) -> str:
        table = self.scores.to_string(float_format=lambda v: f"{v:.4g}")
        first, last = label(self.origins[0]), label(self.origins[-1])
        lines = [
            f"backtest: {len(self.origins)} origins from {first} to {last}, horizon "
            f"{self.actual.shape[1]}, season {self.season}; lower is better",
            table,
            f"best by MAE: {self.winner()}",
        ]
        lines += [f"(skipped {name}: {why})" for name, why in self.skipped.items()]
        return "\n".join(lines)


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
