"""Pruning: a trial against the finished trials of its own transform, and why it stopped."""

import optuna

from seqcast.search.pruning import PRUNE_AFTER_EPOCHS, SameTransformMedianPruner


def _trial(transform: str, values: dict[int, float], state=optuna.trial.TrialState.COMPLETE):
    distribution = optuna.distributions.CategoricalDistribution(["level", "difference 1"])
    return optuna.trial.create_trial(
        params={"transform": transform},
        distributions={"transform": distribution},
        value=min(values.values()) if state == optuna.trial.TrialState.COMPLETE else None,
        intermediate_values=values,
        state=state,
    )


def _study() -> optuna.Study:
    study = optuna.create_study()
    epochs = range(10)
    for best in (1.0, 2.0, 3.0, 4.0, 5.0):  # the level's peers: median best 3.0
        study.add_trial(_trial("level", {e: best + 1.0 / (e + 1) for e in epochs}))
    for _ in range(5):  # another transform's MAEs, in other units: not peers
        study.add_trial(_trial("difference 1", {e: 0.01 for e in epochs}))
    return study


RUNNING = optuna.trial.TrialState.RUNNING


def test_pruning_compares_a_trial_with_finished_trials_of_its_transform():
    study, epochs = _study(), range(10)
    pruner = SameTransformMedianPruner()
    assert pruner.prune(study, _trial("level", {e: 5.0 for e in epochs}, RUNNING))
    assert not pruner.prune(study, _trial("level", {e: 2.0 for e in epochs}, RUNNING))
    assert not pruner.prune(study, _trial("level", {0: 50.0, 1: 50.0}, RUNNING))  # too early
    assert pruner.prune(study, _trial("difference 1", {e: 0.5 for e in epochs}, RUNNING))


def test_the_pruner_says_why_it_pruned():
    pruner = SameTransformMedianPruner()
    worse = _trial("level", {e: 5.0 for e in range(PRUNE_AFTER_EPOCHS + 2)}, RUNNING)
    assert pruner.prune(_study(), worse)
    assert pruner.reason(worse.number) == (
        "pruned at epoch 6: best validation MAE 5 (scaled) above the median 3.143 "
        "of 5 finished 'level' trials"
    )
    assert pruner.reason(worse.number + 1) is None
