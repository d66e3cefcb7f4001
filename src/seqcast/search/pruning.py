"""Pruning: a trial stops early when it validates worse than its peers did by the same epoch.

Its peers are the finished trials of the same transform only: the per-epoch
validation MAE a trial reports is in the model's scaled units, which differ
between the level, its differences and window-scaled values. The pruner also
says why it stopped a trial (:meth:`SameTransformMedianPruner.reason`), for
the leaderboard.
"""

from __future__ import annotations

import math

import numpy as np
import optuna

__all__ = ["PRUNE_AFTER_EPOCHS", "PRUNE_AFTER_TRIALS", "SameTransformMedianPruner"]

#: A trial is pruned only after this many finished trials of its transform...
PRUNE_AFTER_TRIALS = 4
#: ...and only from this epoch on (the first epochs of every model are poor).
PRUNE_AFTER_EPOCHS = 5


class SameTransformMedianPruner(optuna.pruners.BasePruner):
    """Prune a trial whose best validation MAE so far is worse than the median of its peers'.

    Its peers are the finished trials of the same transform (their best up to
    the same epoch), since only those report MAEs in the same scaled units.
    """

    def __init__(self) -> None:
        self._reasons: dict[int, str] = {}

    def prune(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> bool:
        step = trial.last_step
        if step is None or step < PRUNE_AFTER_EPOCHS:
            return False
        transform = trial.params.get("transform")
        peers = [
            min(v for s, v in t.intermediate_values.items() if s <= step)
            for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
            if t.params.get("transform") == transform
            and any(s <= step for s in t.intermediate_values)
        ]
        if len(peers) < PRUNE_AFTER_TRIALS:
            return False
        values = [v for v in trial.intermediate_values.values() if math.isfinite(v)]
        median = float(np.median(peers))
        if values and min(values) <= median:
            return False
        best = f"best validation MAE {min(values):.4g}" if values else "no finite validation MAE"
        self._reasons[trial.number] = (
            f"pruned at epoch {step}: {best} (scaled) above the median {median:.4g} "
            f"of {len(peers)} finished {transform!r} trials"
        )
        return True

    def reason(self, number: int) -> str | None:
        """Why trial ``number`` was pruned, if this pruner pruned it."""
        return self._reasons.get(number)
