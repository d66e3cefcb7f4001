"""The leaderboard: every trial a row, best first, a pruned or failed one with its reason."""

import json
import math

import optuna
import pytest

from seqcast.search.leaderboard import COLUMNS, leaderboard, records

STATE = optuna.trial.TrialState


def _study() -> optuna.Study:
    study = optuna.create_study()
    space = {"model": optuna.distributions.CategoricalDistribution(["gru", "linear"])}
    for model, value, state, attrs in (
        ("gru", 2.0, STATE.COMPLETE, {"epochs": 3, "seconds": 1.5}),
        ("linear", None, STATE.FAIL, {"reason": "the training part has 9 points", "epochs": 0}),
        ("gru", None, STATE.PRUNED, {"reason": "pruned at epoch 6: ...", "epochs": 6}),
        ("linear", 1.0, STATE.COMPLETE, {"epochs": 2, "seconds": 0.5}),
        ("gru", None, STATE.FAIL, {}),  # a failure that left no word
    ):
        study.add_trial(
            optuna.trial.create_trial(
                params={"model": model},
                distributions=space,
                value=value,
                state=state,
                user_attrs=attrs,
            )
        )
    return study


def test_finished_trials_come_first_from_the_lowest_validation_mae():
    board = leaderboard(_study(), {3: 0.9})
    assert list(board.columns) == list(COLUMNS)
    assert list(board["trial"]) == [3, 0, 1, 2, 4]
    assert list(board["state"]) == ["complete", "complete", "failed", "pruned", "failed"]
    assert board.loc[0, "ensemble_val_mae"] == 0.9 and math.isnan(board.loc[1, "ensemble_val_mae"])


def test_pruned_and_failed_trials_say_why_and_their_epochs_stay_whole_numbers():
    board = leaderboard(_study())
    assert list(board["reason"]) == [
        "",
        "",
        "the training part has 9 points",
        "pruned at epoch 6: ...",
        "",
    ]
    assert board["epochs"].dtype.kind == "i" and list(board["epochs"]) == [2, 3, 0, 6, 0]


def test_a_starting_point_never_run_is_no_row():
    study = optuna.create_study()
    study.enqueue_trial({"model": "gru"})
    assert leaderboard(study).empty


def test_records_are_json_with_none_for_what_is_missing():
    rows = records(leaderboard(_study()))
    json.dumps(rows, allow_nan=False)
    assert all(isinstance(row["epochs"], int) for row in rows)
    assert [row["val_mae"] for row in rows] == [1.0, 2.0, None, None, None]
    assert rows[2]["seconds"] is None and rows[0]["seconds"] == pytest.approx(0.5)
