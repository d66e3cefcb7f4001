"""ModelSearch: an Optuna search over the zoo, chosen on the validation part, on tiny series;
and ``seqcast fit --model auto`` on a file too short for some of its trials."""

import math

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast import search as search_module
from seqcast.choices import SCALERS, SEARCH_LOSSES
from seqcast.cli import main
from seqcast.data.options import ReadOptions
from seqcast.errors import SeqcastError
from seqcast.search import (
    COLUMNS,
    LEARNING_RATES,
    ModelSearch,
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


def test_the_names_of_the_search_module_still_import_from_the_package():
    from seqcast.search import (  # noqa: F401  (the names seqcast.search.py had)
        DEFAULT_LEARNING_RATE,
        DROPOUTS,
        FINALISTS,
        MIN_TRAINING_WINDOWS,
        MIN_WINDOW,
        PRUNE_AFTER_EPOCHS,
        PRUNE_AFTER_TRIALS,
        Transform,
        _SameTransformMedianPruner,
        leaderboard,
        validation_score,
    )
    from seqcast.search.pruning import SameTransformMedianPruner

    assert _SameTransformMedianPruner is SameTransformMedianPruner


def test_reading_options_are_one_value_or_the_keywords(tmp_path):
    days = pd.date_range("2021-03-01", periods=120, freq="D")
    values = [f"{v:.3f}".replace(".", ",") for v in 10 + np.sin(np.arange(120) / 3)]
    path = tmp_path / "sales.csv"
    frame = pd.DataFrame({"day": days.strftime("%d/%m/%Y"), "sales": values})
    frame.to_csv(path, sep=";", index=False)
    settings = {"models": ["linear"], "trials": 1, "epochs": 2, "ensemble": 1, "verbose": 0}
    options = ReadOptions(date_column="day", date_format="%d/%m/%Y", sep=";", decimal=",")
    by_options = ModelSearch(**settings).fit(str(path), options=options)
    by_keywords = ModelSearch(**settings).fit(str(path), **options.keywords())
    assert by_options.best_score_ == by_keywords.best_score_
    assert by_options.best_forecaster_.predict().index[0] == pd.Timestamp("2021-06-29")
    # a keyword given is put over the options
    with pytest.raises(SeqcastError, match="unknown fill 'linear'"):
        ModelSearch(**settings).fit(str(path), options=options, fill="linear")


# ---------------------------------------------------------- seqcast fit --model auto, 20 points

#: The command of issue 20: a short file, a budget (long enough for the trials here), 3 trials.
AUTO = ["--model", "auto", "--budget", "10m", "--trials", "3", "--epochs", "2", "--horizon", "3"]


def short_csv(path) -> str:
    """20 days: the last 4 validate, leaving 16 to train on, 9 after a weekly difference."""
    frame = daily_frame(20)
    frame.to_csv(path, index_label="date")
    return str(path)


def _fit_auto(tmp_path, capsys, *flags: str) -> tuple[int, str, str]:
    """Run `seqcast fit short.csv --model auto ...`: its exit status, stdout and stderr."""
    out = tmp_path / "m.seqcast"
    code = main(["fit", short_csv(tmp_path / "short.csv"), *AUTO, *flags, "--out", str(out)])
    printed = capsys.readouterr()
    assert out.exists() == (code == 0)
    return code, printed.out, printed.err


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "[W " not in text  # nor Optuna's own warnings


def test_fit_auto_on_a_short_file_searches_only_windows_and_transforms_it_can_hold(
    tmp_path, capsys
):
    code, out, err = _fit_auto(tmp_path, capsys)
    assert code == 0
    _no_traceback(out, err)
    assert "3 trials: 3 complete" in out and "chosen on the validation part: model " in out
    header = next(line for line in out.splitlines() if line.startswith("trial "))
    assert header.split()[-2:] == ["state", "reason"]
    assert "difference 7" not in out  # 9 points cannot hold a window of 7 and 3 steps


def test_fit_auto_shows_a_failed_trial_as_a_row_with_its_reason(tmp_path, capsys, monkeypatch):
    from seqcast.forecaster import Forecaster

    fit = Forecaster.fit

    def failing_once_differenced(self, *args, **kwargs):
        if self.difference == 1:
            raise SeqcastError("this test's reason to fail")
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(Forecaster, "fit", failing_once_differenced)
    code, out, err = _fit_auto(tmp_path, capsys, "--ensemble", "1")
    assert code == 0
    _no_traceback(out, err)
    assert "3 trials: 2 complete, 1 failed" in out
    failed = next(line for line in out.splitlines() if " failed " in line)
    assert "difference 1" in failed and failed.endswith("this test's reason to fail")
