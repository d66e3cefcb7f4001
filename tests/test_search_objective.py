"""One trial: a Forecaster fitted on the training part, scored on validation, or why not."""

import numpy as np
import optuna
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.search.objective import Objective, validation_score
from seqcast.search.space import SearchSpace, transforms

TRAINING = {"horizon": 2, "epochs": 2, "patience": 10, "batch_size": 32, "seed": 0, "verbose": 0}


def _frame(n: int = 80) -> pd.DataFrame:
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"y": 10 + np.sin(np.arange(n) * 2 * np.pi / 7)}, index=index)


def _objective(windows: list[int]) -> Objective:
    fit_args = {"target": "y", "valid": 0.25, "fill": "none", "duplicates": "error"}
    space = SearchSpace(("linear",), windows, transforms(1)[:1])
    return Objective(space, TRAINING, _frame(), fit_args)


class _AlwaysPrune(optuna.pruners.BasePruner):
    def prune(self, study, trial):
        return True


def test_a_finished_trial_is_scored_and_kept_as_the_best():
    objective = _objective([7])
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    study.optimize(objective, n_trials=1)
    trial = study.trials[0]
    assert trial.state == optuna.trial.TrialState.COMPLETE
    assert trial.value == pytest.approx(validation_score(objective.best))
    assert trial.user_attrs["epochs"] == 2 and trial.user_attrs["seconds"] > 0
    assert objective.tried[0]["model"] == "linear" and objective.tried[0]["window"] == 7


def test_a_trial_that_cannot_train_fails_with_its_reason():
    objective = _objective([70])  # 60 training points cannot hold a window of 70
    study = optuna.create_study()
    study.optimize(objective, n_trials=1, catch=(Exception,))
    trial = study.trials[0]
    assert trial.state == optuna.trial.TrialState.FAIL and objective.best is None
    assert trial.user_attrs["reason"].startswith("the training part has 60 points, but a window")
    assert trial.user_attrs["error"] == f"SeqcastError: {trial.user_attrs['reason']}"
    assert trial.user_attrs["epochs"] == 0


def test_a_pruned_trial_says_at_which_epoch():
    objective = _objective([7])
    study = optuna.create_study(pruner=_AlwaysPrune())
    study.optimize(objective, n_trials=1)
    trial = study.trials[0]
    assert trial.state == optuna.trial.TrialState.PRUNED
    # training reports every few epochs: it was pruned at the first report
    epoch = trial.last_step
    assert trial.user_attrs["reason"] == f"pruned at epoch {epoch}"
    assert trial.user_attrs["epochs"] == epoch == 2


def test_many_series_are_compared_on_their_validation_wape():
    class Fitted:
        def __init__(self):
            self.residuals_ = {"a": np.array([1.0])}  # by series: many series

        def validation_wape(self):
            return 0.25

    assert validation_score(Fitted()) == 0.25
