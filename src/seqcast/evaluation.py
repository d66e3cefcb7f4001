"""What evaluating a forecaster gives back: backtest scores, a learning-rate sweep.

Plain results (pandas and NumPy), printable and plottable (``seqcast.plots``);
the ``Forecaster`` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seqcast.errors import SeqcastError

# The seasonal period a frequency implies, for seasonal naive, SARIMA and MASE.
SEASON_OF_FREQUENCY = {"h": 24, "D": 7, "B": 5, "W": 52, "M": 12, "MS": 12, "Q": 4, "QS": 4}


def season_of(freq: str | None) -> int:
    """The usual seasonal period of a pandas frequency ("D" → 7, "MS" → 12); 1 if none.

    >>> season_of("MS"), season_of("W-SUN"), season_of("YS-JAN"), season_of(None)
    (12, 52, 1, 1)
    """
    if not freq:
        return 1
    base = freq.split("-")[0].lstrip("0123456789")
    base = {"ME": "M", "QE": "Q", "H": "h"}.get(base, base)
    return SEASON_OF_FREQUENCY.get(base, 1)


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

    ``suggestion`` is the rate of the lowest loss divided by 10: a rate a
    little below where the loss is lowest, where training is fast but stable.
    """

    learning_rates: np.ndarray
    losses: np.ndarray

    @property
    def suggestion(self) -> float:
        finite = np.isfinite(self.losses)
        if not finite.any():
            raise SeqcastError("the loss was never finite during the sweep; check the data")
        best = int(np.nanargmin(np.where(finite, self.losses, np.nan)))
        return float(self.learning_rates[best] / 10)


def label(value: Any) -> str:
    """A date without its midnight time, or the step as it is."""
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return f"{value:%Y-%m-%d}"
    return str(value)
