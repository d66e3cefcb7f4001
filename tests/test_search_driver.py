"""The driver: the seeded study to its trials or budget, failures kept off the terminal."""

import logging

import optuna
import pytest

from seqcast.errors import SeqcastError
from seqcast.search.driver import nothing_finished, run_study


def _objective(trial: optuna.Trial) -> float:
    trial.suggest_categorical("model", ["linear"])  # the progress bar names the best's model
    x = trial.suggest_float("x", -1.0, 1.0)
    if x > 0.5:
        trial.set_user_attr("error", "SeqcastError: too far")
        raise SeqcastError("too far")
    return x * x


def test_the_starts_come_first_and_the_seed_repeats_the_study():
    studies = [
        run_study(
            _objective, [{"model": "linear", "x": 0.25}], seed=1, trials=6, budget=None, verbose=0
        )
        for _ in range(2)
    ]
    assert studies[0].trials[0].params == {"model": "linear", "x": 0.25}
    assert [t.params for t in studies[0].trials] == [t.params for t in studies[1].trials]
    assert len(studies[0].trials) == 6


def test_a_failed_trial_is_kept_and_optuna_says_nothing_of_it(capsys, caplog):
    starts = [{"model": "linear", "x": 0.9}, {"model": "linear", "x": 0.1}]
    with caplog.at_level(logging.WARNING, logger="optuna"):
        study = run_study(_objective, starts, seed=0, trials=2, budget=None, verbose=0)
    states = [t.state for t in study.trials]
    assert states == [optuna.trial.TrialState.FAIL, optuna.trial.TrialState.COMPLETE]
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert not [r for r in caplog.records if r.name.startswith("optuna")]
    assert optuna.logging.get_verbosity() == optuna.logging.WARNING  # put back after


def test_a_search_none_of_whose_trials_finished_says_why_the_first_failed():
    study = run_study(
        _objective, [{"model": "linear", "x": 0.9}], seed=0, trials=1, budget=None, verbose=0
    )
    with pytest.raises(SeqcastError) as caught:
        raise nothing_finished(study)
    assert str(caught.value) == (
        "no trial of the search finished (1 tried; the first failed with SeqcastError: "
        "too far); give a longer budget, more trials, or more data"
    )
