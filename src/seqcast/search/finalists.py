"""The finalists: the best configurations refitted as the ensemble that will be saved.

The best single trial of a hundred is partly the luckiest seed (its
validation MAE is biased low: the winner's curse), and what is saved is an
ensemble. So the :data:`FINALISTS` best configurations are each fitted as the
ensemble that will be saved, and the one whose ensemble validates best is
chosen: on the validation part still.
"""

from __future__ import annotations

import optuna

from seqcast.forecaster import Forecaster
from seqcast.search.objective import Objective, validation_score

__all__ = ["FINALISTS", "Choice", "best_trial", "refit_finalists"]

#: The best configurations refitted as ensembles, the best of which is kept.
FINALISTS = 3

#: What the search chose: the trial, its fitted Forecaster, and the scores it was chosen on
#: (by trial number: the finalists' ensembles', or the best trial's own).
Choice = tuple[optuna.trial.FrozenTrial, Forecaster, dict[int, float]]


def best_trial(study: optuna.Study, objective: Objective) -> Choice:
    """Without an ensemble: the best trial, as it was fitted during the search."""
    chosen = study.best_trial
    return chosen, objective.best, {chosen.number: float(chosen.value)}


def refit_finalists(
    study: optuna.Study, objective: Objective, ensemble: int, verbose: int
) -> Choice:
    """The finalist whose ensemble of ``ensemble`` members validates best, fitted.

    The scores are the finalists' ensemble validation MAEs.
    """
    from tqdm.auto import tqdm  # as the search's own bar

    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    finalists = sorted(done, key=lambda t: (t.value, t.number))[:FINALISTS]
    scores, fitted = {}, {}
    for trial in tqdm(finalists, desc="finalists", unit="ensemble", disable=not verbose):
        settings = {**objective.tried[trial.number], **objective.training, "ensemble": ensemble}
        fitted[trial.number] = Forecaster(**settings).fit(objective.frame, **objective.fit_args)
        scores[trial.number] = validation_score(fitted[trial.number])
    chosen = min(finalists, key=lambda t: (scores[t.number], t.number))
    return chosen, fitted[chosen.number], scores
