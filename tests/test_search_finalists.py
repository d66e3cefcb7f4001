"""The finalists: the best configurations refitted as ensembles, the best ensemble chosen."""

import numpy as np
import optuna
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.search.finalists import FINALISTS, best_trial, refit_finalists
from seqcast.search.objective import validation_score

TRAINING = {"horizon": 1, "epochs": 2, "patience": 10, "batch_size": 32, "seed": 0, "verbose": 0}


class _Searched:
    """What the finalists read of an objective after its search."""

    def __init__(self, windows: list[int]):
        index = pd.date_range("2020-01-01", periods=80, freq="D", name="date")
        self.frame = pd.DataFrame({"y": 10 + np.sin(np.arange(80) / 2)}, index=index)
        self.fit_args = {"target": "y", "valid": 0.25}
        self.training = TRAINING
        self.tried = {n: {"model": "linear", "window": w} for n, w in enumerate(windows)}
        self.best = "the best trial's forecaster"


def _study(values: list[float]) -> optuna.Study:
    study = optuna.create_study()
    for value in values:
        study.add_trial(optuna.trial.create_trial(value=value))
    return study


def test_the_best_finalists_are_refitted_and_the_best_ensemble_chosen():
    searched = _Searched([4, 5, 6, 7])
    chosen, fitted, scores = refit_finalists(_study([3.0, 1.0, 2.0, 4.0]), searched, 2, 0)
    assert FINALISTS == 3 and sorted(scores) == [0, 1, 2]  # not trial 3, the worst
    assert chosen.number == min(scores, key=scores.get)
    assert fitted.ensemble == 2 and fitted.window == searched.tried[chosen.number]["window"]
    assert scores[chosen.number] == pytest.approx(validation_score(fitted))


def test_without_an_ensemble_the_best_trial_is_kept_as_it_was_fitted():
    chosen, fitted, scores = best_trial(_study([3.0, 1.0]), _Searched([4, 5]))
    assert chosen.number == 1 and fitted == "the best trial's forecaster"
    assert scores == {1: 1.0}
