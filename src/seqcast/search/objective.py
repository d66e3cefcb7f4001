"""The objective: one trial of the search, a Forecaster fitted and scored on validation.

:class:`Objective` is what Optuna calls once per trial: it draws the trial's
settings from the :class:`~seqcast.search.space.SearchSpace`, fits
``Forecaster(...).fit(frame, valid=valid)`` (training on the part before
``valid``, stopping early on it, reporting each epoch's validation MAE to the
pruner), and returns :func:`validation_score`. Every trial, however it ends,
leaves in its user attributes how long it took, how many epochs ran and, for
a pruned or failed one, the reason, which the leaderboard shows.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import optuna

from seqcast.errors import SeqcastError
from seqcast.forecaster import Forecaster
from seqcast.search.space import SearchSpace

__all__ = ["Objective", "validation_score"]


def validation_score(forecaster: Forecaster) -> float:
    """How a trial is compared: its validation MAE in the data's units, or for many series
    (whose units differ) its validation WAPE, a fraction of their values.

    >>> class Fitted:
    ...     residuals_ = np.array([[1.0, -3.0]])
    >>> validation_score(Fitted())
    2.0
    """
    if isinstance(forecaster.residuals_, dict):
        return float(forecaster.validation_wape())
    return float(np.abs(forecaster.residuals_).mean())


def _failure(err: Exception) -> str:
    """A failed trial's reason: seqcast's own sentence, else the error's type and text."""
    return str(err) if isinstance(err, SeqcastError) else f"{type(err).__name__}: {err}"


class Objective:
    """One trial: ``Forecaster(**drawn, **training).fit(frame, **fit_args)``, scored.

    After the search, ``tried`` holds each trial's drawn settings (by trial
    number) and ``best`` the fitted Forecaster of the best finished trial
    (None while none has finished).
    """

    def __init__(
        self,
        space: SearchSpace,
        training: dict[str, Any],
        frame: Any,
        fit_args: dict[str, Any],
    ):
        self.space = space
        self.training = training
        self.frame = frame
        self.fit_args = fit_args
        self.tried: dict[int, dict[str, Any]] = {}
        self.best: Forecaster | None = None
        self._best_score = math.inf

    def __call__(self, trial: optuna.Trial) -> float:
        settings = self.tried[trial.number] = self.space.suggest(trial)
        forecaster = Forecaster(**settings, **self.training)
        reached = [0]  # the last epoch reported: training reports every few epochs

        def report(epoch: int, val_mae: float) -> bool:
            reached[0] = epoch
            trial.report(val_mae, epoch)
            return trial.should_prune()

        started = time.perf_counter()
        try:
            forecaster.fit(self.frame, **self.fit_args, report=report)
        except Exception as err:
            trial.set_user_attr("error", f"{type(err).__name__}: {err}")
            trial.set_user_attr("reason", _failure(err))
            trial.set_user_attr("epochs", reached[0])  # those known to have run
            raise
        finally:
            trial.set_user_attr("seconds", time.perf_counter() - started)
        trial.set_user_attr("epochs", len(forecaster.history_.get("loss", [])))
        if forecaster.stopped_by_report_:
            trial.set_user_attr("reason", _pruned(trial, reached[0]))
            raise optuna.TrialPruned()
        return self._scored(trial, forecaster)

    def _scored(self, trial: optuna.Trial, forecaster: Forecaster) -> float:
        """The trial's validation score; a diverged trial fails, saying so."""
        score = validation_score(forecaster)
        if not math.isfinite(score):
            failure = SeqcastError(f"the training diverged (validation MAE {score})")
            trial.set_user_attr("error", f"{type(failure).__name__}: {failure}")
            trial.set_user_attr("reason", _failure(failure))
            raise failure
        if score < self._best_score:
            self.best, self._best_score = forecaster, score
        return score


def _pruned(trial: optuna.Trial, epoch: int) -> str:
    """A pruned trial's reason: the pruner's, where it gives one."""
    pruner = trial.study.pruner
    said = pruner.reason(trial.number) if hasattr(pruner, "reason") else None
    return said or f"pruned at epoch {epoch}"
