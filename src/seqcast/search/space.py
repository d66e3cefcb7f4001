"""The search space: the models, windows, transforms, losses, rates and dropout tried.

:func:`search_space` builds it from the data's season and the length of its
training part, left to what that part can hold: a transform whose differencing
leaves no room for the shortest window is left out, and the windows are those
that leave room for enough training windows under every transform kept. A
:class:`SearchSpace` draws one trial's Forecaster settings from Optuna's
sampler (:meth:`SearchSpace.suggest`) and names the trials to start from
(:meth:`SearchSpace.starting_points`).

>>> space = search_space(("linear",), season=7, window=30, n_train=16, horizon=3)
>>> space.windows, [t.name for t in space.transforms]
([7], ['level', 'difference 1', 'window scaling'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import optuna

from seqcast.choices import SCALERS, SEARCH_LOSSES
from seqcast.models import get_entry

__all__ = [
    "DEFAULT_LEARNING_RATE",
    "DROPOUTS",
    "LEARNING_RATES",
    "MIN_TRAINING_WINDOWS",
    "MIN_WINDOW",
    "SearchSpace",
    "Transform",
    "search_space",
    "transforms",
    "window_candidates",
]

#: The learning rates tried (Adam), drawn log-uniformly.
LEARNING_RATES = (1e-4, 1e-2)
#: Adam's default rate: that of the first trials (:meth:`SearchSpace.starting_points`).
DEFAULT_LEARNING_RATE = 1e-3
#: The recurrent dropout tried, for the models that take it (ZooEntry.takes_dropout).
DROPOUTS = (0.0, 0.3)
#: The shortest window tried (conv_gru's front end reads 4 steps).
MIN_WINDOW = 4
#: Training windows the training part must hold at the longest window tried.
MIN_TRAINING_WINDOWS = 16


@dataclass(frozen=True)
class Transform:
    """A way to present the series to the network: a Forecaster's ``scaler`` and ``difference``."""

    name: str
    scaler: str | None
    difference: int | None


def transforms(season: int) -> list[Transform]:
    """The transforms tried: the level, its change, its seasonal change, window scaling.

    The seasonal change only with a season (> 1); window scaling only where
    the Forecaster has it (``"window"`` in :data:`seqcast.choices.SCALERS`).

    >>> [t.name for t in transforms(12)][:3]
    ['level', 'difference 1', 'difference 12']
    """
    found = [Transform("level", "standard", None), Transform("difference 1", "standard", 1)]
    if season > 1:
        found.append(Transform(f"difference {season}", "standard", season))
    if "window" in SCALERS:
        found.append(Transform("window scaling", "window", None))
    return found


def _wanted_windows(season: int, default: int) -> set[int]:
    """Fractions and multiples of the season and ``default`` (without a season, of ``default``)."""
    if season > 1:
        wanted = {season // 4, season // 2, season, 2 * season, 3 * season, default}
    else:
        wanted = {default // 2, default, 2 * default}
    return {w for w in wanted if w >= MIN_WINDOW}


def window_candidates(season: int, default: int, room: int) -> list[int]:
    """The windows tried: fractions and multiples of the season and ``default``, if they fit.

    Without a season (1): half, once and twice ``default``. ``room`` is the
    longest window the training part leaves room for; when none fits, the
    shortest is kept and the Forecaster says why it cannot train.

    >>> window_candidates(season=11, default=22, room=200)
    [5, 11, 22, 33]
    >>> window_candidates(season=1, default=30, room=40)
    [15, 30]
    """
    wanted = _wanted_windows(season, default)
    return sorted(w for w in wanted if w <= room) or [min(wanted)]


def _holding(space: list[Transform], n_train: int, needed: int) -> list[Transform]:
    """The transforms whose differenced training part still has ``needed`` points.

    When none has, all are kept: their trials fail, and the search says why.
    """
    return [t for t in space if n_train - (t.difference or 0) >= needed] or space


@dataclass(frozen=True)
class SearchSpace:
    """What a search draws from: ``models``, ``windows`` and ``transforms``, with the
    losses, learning rates and dropout of this module."""

    models: tuple[str, ...]
    windows: list[int]
    transforms: list[Transform]

    def suggest(self, trial: optuna.Trial) -> dict[str, Any]:
        """The Forecaster settings of one trial, drawn from the space (always in this order,
        so that a seed gives the same trials)."""
        model = trial.suggest_categorical("model", list(self.models))
        window = trial.suggest_categorical("window", self.windows)
        by_name = {t.name: t for t in self.transforms}
        transform = by_name[trial.suggest_categorical("transform", list(by_name))]
        loss = trial.suggest_categorical("loss", list(SEARCH_LOSSES))
        rate = trial.suggest_float("learning_rate", *LEARNING_RATES, log=True)
        dropout = 0.0
        if get_entry(model).takes_dropout:
            dropout = trial.suggest_float("dropout", *DROPOUTS)
        return {
            "model": model,
            "window": window,
            "scaler": transform.scaler,
            "difference": transform.difference,
            "loss": loss,
            "learning_rate": rate,
            "dropout": dropout,
        }

    def starting_points(self, window: int) -> list[dict[str, Any]]:
        """The first trials: seqcast's defaults, under each transform a user would try first.

        The first model searched (gru by default), the window closest to
        ``window``, MSE and Adam's default rate, on the level, window-scaled
        and seasonally differenced (or differenced once, without a season):
        what one would fit by hand, so the search never ends worse on
        validation than these, and TPE starts from points known to train.
        """
        model = "gru" if "gru" in self.models else self.models[0]
        closest = min(self.windows, key=lambda w: (abs(w - window), w))
        names = [t.name for t in self.transforms]
        differences = [n for n in names if n.startswith("difference ")]
        wanted = ["level", "window scaling", differences[-1] if differences else None]
        starts = []
        for name in (n for n in wanted if n in names):
            start = {"model": model, "window": closest, "transform": name, "loss": "mse"}
            start["learning_rate"] = DEFAULT_LEARNING_RATE
            if get_entry(model).takes_dropout:
                start["dropout"] = 0.0
            starts.append(start)
        return starts


def search_space(
    models: Sequence[str],
    *,
    season: int,
    window: int,
    n_train: int,
    horizon: int,
    windows: Sequence[int] | None = None,
) -> SearchSpace:
    """The space searched on a training part of ``n_train`` points (the shortest series').

    ``windows`` fixes the windows tried; else they are the
    :func:`window_candidates` of ``season`` and ``window`` that fit. Either
    way a transform is kept only if its differenced training part can hold
    the shortest window and ``horizon``, so that no trial fails for want of
    data where another transform would have trained.

    >>> search_space(("gru",), season=7, window=30, n_train=400, horizon=1).windows
    [7, 14, 21, 30]
    """
    every = transforms(season)
    shortest = min(windows) if windows else min(_wanted_windows(season, window))
    kept = _holding(every, n_train, shortest + horizon)
    if windows:
        return SearchSpace(tuple(models), list(windows), kept)
    # the longest window leaves MIN_TRAINING_WINDOWS windows under the most differenced transform
    room = n_train - max(t.difference or 0 for t in kept) - horizon - MIN_TRAINING_WINDOWS
    return SearchSpace(tuple(models), window_candidates(season, window, room), kept)
