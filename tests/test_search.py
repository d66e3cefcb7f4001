"""ModelSearch: an Optuna search over the zoo, chosen on the validation part, on tiny series."""

import math

import numpy as np
import optuna
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast import search as search_module
from seqcast.choices import SCALERS, SEARCH_LOSSES
from seqcast.errors import SeqcastError
from seqcast.search import (
    COLUMNS,
    LEARNING_RATES,
    ModelSearch,
    _SameTransformMedianPruner,
    records,
    transforms,
    window_candidates,
)

MODELS = ("linear", "dnn", "gru")
FAST = {"models": MODELS, "trials": 3, "epochs": 2, "horizon": 2, "verbose": 0, "seed": 3}


def daily_frame(n: int = 160) -> pd.DataFrame:
    """A weekly sine on a trend with a little noise, one point a day from 2020-01-01."""
    t = np.arange(n)
    noise = np.random.default_rng(0).normal(size=n)
    values = 10 + 0.02 * t + np.sin(2 * np.pi * t / 7) + 0.1 * noise
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"y": values}, index=index)


@pytest.fixture(scope="module")
def searched() -> ModelSearch:
    return ModelSearch(**FAST).fit(daily_frame(), valid=0.25)


def test_the_leaderboard_has_every_trial_best_first(searched):
    board = searched.leaderboard_
    assert list(board.columns) == list(COLUMNS)
    assert sorted(board["trial"]) == [0, 1, 2]
    assert set(board["state"]) <= {"complete", "pruned", "failed"}
    done = board[board["state"] == "complete"]
    assert list(done["val_mae"]) == sorted(done["val_mae"])
    assert (board["epochs"] <= 2).all() and (board["seconds"] > 0).all()
    # the finalists (the best FINALISTS trials) were refitted as ensembles and the
    # best ensemble chosen: best_score_ is its validation MAE
    finalists = board[board["ensemble_val_mae"].notna()]
    assert list(finalists["trial"]) == list(done["trial"][: search_module.FINALISTS])
    assert finalists["ensemble_val_mae"].min() == pytest.approx(searched.best_score_)


def test_the_best_params_are_a_point_of_the_space(searched):
    best = searched.best_params_
    assert best["model"] in MODELS
    assert best["window"] in window_candidates(7, 30, 10**6)  # daily data: a weekly season
    assert best["transform"] in [t.name for t in transforms(7)]
    assert best["loss"] in SEARCH_LOSSES
    assert LEARNING_RATES[0] <= best["learning_rate"] <= LEARNING_RATES[1]
    assert best["dropout"] == 0.0 or best["model"] == "gru"


def test_the_best_forecaster_is_the_best_trial_and_carries_the_leaderboard(searched):
    forecaster = searched.best_forecaster_
    best = searched.best_params_
    assert forecaster.model_name == best["model"] and forecaster.window == best["window"]
    assert forecaster.loss == best["loss"] and forecaster.learning_rate == best["learning_rate"]
    # the saved ensemble is the chosen finalist's; its member 0 is that trial (same seed)
    assert forecaster.ensemble == searched.ensemble == 5 and len(forecaster.members_) == 5
    board = searched.leaderboard_
    chosen = board[board["ensemble_val_mae"] == board["ensemble_val_mae"].min()].iloc[0]
    assert len(forecaster.member_histories_[0]["loss"]) == chosen["epochs"]
    assert float(np.abs(forecaster.residuals_).mean()) == pytest.approx(searched.best_score_)
    assert forecaster.search_["leaderboard"] == records(searched.leaderboard_)
    assert forecaster.search_["seed"] == 3 and forecaster.search_["season"] == 7
    assert forecaster.predict().shape == (2, 1)


def test_the_same_seed_gives_the_same_leaderboard(searched):
    again = ModelSearch(**FAST).fit(daily_frame(), valid=0.25)
    columns = [c for c in COLUMNS if c != "seconds"]  # the time a trial took varies
    pd.testing.assert_frame_equal(again.leaderboard_[columns], searched.leaderboard_[columns])


def test_a_time_budget_ends_the_search():
    # Optuna checks the budget between trials: one that is spent at once allows one trial
    ended = ModelSearch(models=["linear"], budget=0.001, epochs=2, verbose=0).fit(
        daily_frame(), valid=0.25
    )
    assert len(ended.leaderboard_) == 1


def test_trials_that_cannot_train_fail_and_say_why():
    with pytest.raises(SeqcastError, match=r"no trial of the search finished.*window"):
        ModelSearch(models=["linear"], windows=[500], trials=2, epochs=2, verbose=0).fit(
            daily_frame(), valid=0.25
        )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"budget": None}, "budget .* or a number of trials"),
        ({"budget": "5 minutes"}, "budget must be a duration"),
        ({"trials": 0}, "trials must be a whole number"),
        ({"models": ["prophet"]}, "unknown model 'prophet'"),
        ({"models": []}, "models is empty"),
    ],
)
def test_bad_settings_are_one_sentence(settings, message):
    with pytest.raises(SeqcastError, match=message):
        ModelSearch(**settings).fit(daily_frame(), valid=0.25)


def test_the_search_needs_a_validation_part():
    with pytest.raises(SeqcastError, match="validation part; give valid="):
        ModelSearch(trials=1).fit(daily_frame(), valid=None)


def test_windows_follow_the_season_and_fit_the_training_part():
    assert window_candidates(season=12, default=36, room=10**6) == [6, 12, 24, 36]
    assert window_candidates(season=12, default=36, room=20) == [6, 12]
    assert window_candidates(season=1, default=30, room=10**6) == [15, 30, 60]
    assert window_candidates(season=1, default=30, room=3) == [15]  # the Forecaster says why


def test_the_transforms_follow_the_season_and_the_scalers(monkeypatch):
    names = [t.name for t in transforms(1)]
    assert names[:2] == ["level", "difference 1"] and "difference 1" in names
    assert [t.difference for t in transforms(11)][:3] == [None, 1, 11]
    assert ("window scaling" in names) == ("window" in SCALERS)
    monkeypatch.setattr(search_module, "SCALERS", (*SCALERS, "window"))
    scaled = transforms(1)[-1]
    assert (scaled.name, scaled.scaler, scaled.difference) == ("window scaling", "window", None)
    monkeypatch.setattr(search_module, "SCALERS", ("standard", None))
    assert "window scaling" not in [t.name for t in transforms(1)]


def _trial(transform: str, values: dict[int, float], state=optuna.trial.TrialState.COMPLETE):
    distribution = optuna.distributions.CategoricalDistribution(["level", "difference 1"])
    return optuna.trial.create_trial(
        params={"transform": transform},
        distributions={"transform": distribution},
        value=min(values.values()) if state == optuna.trial.TrialState.COMPLETE else None,
        intermediate_values=values,
        state=state,
    )


def test_pruning_compares_a_trial_with_finished_trials_of_its_transform():
    study = optuna.create_study()
    epochs = range(10)
    for best in (1.0, 2.0, 3.0, 4.0, 5.0):  # the level's peers: median best 3.0
        study.add_trial(_trial("level", {e: best + 1.0 / (e + 1) for e in epochs}))
    for _ in range(5):  # another transform's MAEs, in other units: not peers
        study.add_trial(_trial("difference 1", {e: 0.01 for e in epochs}))
    pruner = _SameTransformMedianPruner()
    running = optuna.trial.TrialState.RUNNING
    assert pruner.prune(study, _trial("level", {e: 5.0 for e in epochs}, running))
    assert not pruner.prune(study, _trial("level", {e: 2.0 for e in epochs}, running))
    assert not pruner.prune(study, _trial("level", {0: 50.0, 1: 50.0}, running))  # too early
    assert pruner.prune(study, _trial("difference 1", {e: 0.5 for e in epochs}, running))


def test_records_are_json_with_none_for_what_is_missing(searched):
    import json

    rows = records(searched.leaderboard_)
    json.dumps(rows, allow_nan=False)
    assert all(isinstance(row["epochs"], int) for row in rows)
    assert all(row["val_mae"] is None or math.isfinite(row["val_mae"]) for row in rows)


def test_the_search_starts_from_the_defaults_a_user_would_fit_by_hand():
    """Its first trials are gru at the default window and rate, under three transforms."""
    search = ModelSearch(**{**FAST, "trials": 3, "window": 14}).fit(daily_frame(), valid=0.25)
    first = search.leaderboard_.sort_values("trial").head(3)
    assert list(first["model"]) == ["gru"] * 3 and list(first["window"]) == [14] * 3
    assert list(first["loss"]) == ["mse"] * 3
    assert set(first["learning_rate"]) == {search_module.DEFAULT_LEARNING_RATE}
    expected = {"level", "difference 7", *(["window scaling"] if "window" in SCALERS else [])}
    assert set(first["transform"]) <= expected and "level" in set(first["transform"])


def test_a_panel_is_searched_for_one_global_model_on_its_validation_wape():
    rng = np.random.default_rng(0)
    rows = []
    for k, scale in enumerate((1.0, 1000.0)):
        days = pd.date_range("2021-01-01", periods=160, freq="D")
        values = scale * (10 + np.sin(np.arange(160) * 2 * np.pi / 7) + rng.normal(0, 0.1, 160))
        rows.append(pd.DataFrame({"shop": f"s{k}", "date": days, "sales": values}))
    table = pd.concat(rows, ignore_index=True)
    search = ModelSearch(horizon=2, trials=2, epochs=2, ensemble=1, seed=0, verbose=0)
    search.fit(table, target="sales", id_column="shop", valid=0.2)
    best = search.best_forecaster_
    assert best.layout_ == "long" and best.transforms_.ids == ("s0", "s1")
    assert "WAPE" in best.search_["score"]
    assert search.best_score_ == pytest.approx(best.validation_wape())
    assert list(best.predict().columns) == ["shop", "date", "sales"]
