"""The leaderboard: one row per trial of a search, best first, each pruned or failed one with why.

>>> import optuna
>>> study = optuna.create_study()
>>> study.add_trial(optuna.trial.create_trial(
...     state=optuna.trial.TrialState.FAIL,
...     user_attrs={"reason": "the training part has 9 points", "epochs": 0}))
>>> row = records(leaderboard(study))[0]
>>> row["state"], row["epochs"], row["reason"]
('failed', 0, 'the training part has 9 points')
"""

from __future__ import annotations

from typing import Any

import optuna
import pandas as pd

__all__ = ["COLUMNS", "leaderboard", "records"]

#: The leaderboard's columns, in order.
COLUMNS = (
    "trial",
    "model",
    "window",
    "transform",
    "loss",
    "learning_rate",
    "dropout",
    "val_mae",
    "ensemble_val_mae",
    "epochs",
    "seconds",
    "state",
    "reason",
)

_STATES = {
    optuna.trial.TrialState.COMPLETE: "complete",
    optuna.trial.TrialState.PRUNED: "pruned",
    optuna.trial.TrialState.FAIL: "failed",
}


def _row(trial: optuna.trial.FrozenTrial, ensembles: dict[int, float]) -> dict[str, Any]:
    params = trial.params
    complete = trial.state == optuna.trial.TrialState.COMPLETE
    return {
        "trial": trial.number,
        "model": params.get("model"),
        "window": params.get("window"),
        "transform": params.get("transform"),
        "loss": params.get("loss"),
        "learning_rate": params.get("learning_rate"),
        "dropout": params.get("dropout", 0.0),
        "val_mae": float(trial.value) if complete else None,
        "ensemble_val_mae": ensembles.get(trial.number),
        # a whole number for every trial (0 for one that failed before training), so the
        # column stays one of integers
        "epochs": trial.user_attrs.get("epochs", 0),
        "seconds": trial.user_attrs.get("seconds"),
        "state": _STATES.get(trial.state, trial.state.name.lower()),
        "reason": "" if complete else trial.user_attrs.get("reason", ""),
    }


def leaderboard(study: optuna.Study, ensembles: dict[int, float] | None = None) -> pd.DataFrame:
    """One row per trial of ``study``, finished ones first from the lowest validation MAE.

    ``val_mae`` is empty for pruned and failed trials, and ``reason`` says
    why they stopped (empty for finished ones); ``ensemble_val_mae`` is the
    validation MAE of a finalist's ensemble (``ensembles``, by trial
    number), empty for the others; ``epochs`` is how many ran (for a
    pruned trial, until it was pruned).
    """
    ensembles = ensembles or {}
    rows = [
        _row(trial, ensembles)
        for trial in study.trials
        # a WAITING trial is a starting point the budget left no time for
        if trial.state != optuna.trial.TrialState.WAITING
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.sort_values(["val_mae", "trial"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The leaderboard's rows as JSON-able dicts, a missing value as None (not NaN)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    for row in rows:
        row["epochs"] = None if row["epochs"] is None else int(row["epochs"])
    return rows
