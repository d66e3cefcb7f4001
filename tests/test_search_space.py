"""The search space: windows and transforms after the season, cut to what the data holds."""

import optuna
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.choices import SCALERS, SEARCH_LOSSES
from seqcast.search import space as space_module
from seqcast.search.space import (
    DEFAULT_LEARNING_RATE,
    DROPOUTS,
    LEARNING_RATES,
    SearchSpace,
    search_space,
    transforms,
    window_candidates,
)

#: A 20-point daily file validated on its last fifth, forecasting 3 steps.
SHORT = {"season": 7, "window": 30, "n_train": 16, "horizon": 3}


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
    monkeypatch.setattr(space_module, "SCALERS", (*SCALERS, "window"))
    scaled = transforms(1)[-1]
    assert (scaled.name, scaled.scaler, scaled.difference) == ("window scaling", "window", None)
    monkeypatch.setattr(space_module, "SCALERS", ("standard", None))
    assert "window scaling" not in [t.name for t in transforms(1)]


def test_a_long_training_part_keeps_every_window_and_transform():
    space = search_space(("gru",), season=7, window=30, n_train=400, horizon=3)
    assert space.windows == window_candidates(7, 30, 400 - 7 - 3 - 16)
    assert space.transforms == transforms(7)


def test_a_short_training_part_leaves_out_the_transforms_it_cannot_hold():
    # 16 training points: a difference of 7 leaves 9, too few for a window of 7 and 3 steps
    space = search_space(("gru",), **SHORT)
    assert space.windows == [7]
    assert "difference 7" not in [t.name for t in space.transforms]
    for transform in space.transforms:
        assert 16 - (transform.difference or 0) >= 7 + 3


def test_the_windows_leave_room_for_training_windows_under_every_transform_kept():
    # at 40 points a difference of 7 is kept, so the longest window leaves it 16 windows
    space = search_space(("gru",), season=7, window=30, n_train=40, horizon=1)
    assert "difference 7" in [t.name for t in space.transforms]
    assert space.windows == [7, 14]  # 40 - 7 - 1 - 16 = 16


def test_windows_given_are_kept_and_too_little_data_keeps_every_transform():
    names = [t.name for t in search_space(("gru",), **SHORT, windows=[5]).transforms]
    assert "difference 7" in names  # 16 - 7 = 9 points hold a window of 5 and 3 steps
    given = search_space(("gru",), **SHORT, windows=[7])
    assert given.windows == [7] and "difference 7" not in [t.name for t in given.transforms]
    nothing_fits = search_space(("gru",), season=7, window=30, n_train=5, horizon=3)
    assert nothing_fits.transforms == transforms(7)  # every trial fails, and says why


def test_a_trial_draws_every_setting_from_the_space():
    space = search_space(("linear", "gru"), season=7, window=30, n_train=400, horizon=1)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
    for _ in range(5):
        settings = space.suggest(study.ask())
        assert settings["model"] in ("linear", "gru") and settings["window"] in space.windows
        assert settings["loss"] in SEARCH_LOSSES
        assert LEARNING_RATES[0] <= settings["learning_rate"] <= LEARNING_RATES[1]
        if settings["model"] == "linear":
            assert settings["dropout"] == 0.0
        else:
            assert DROPOUTS[0] <= settings["dropout"] <= DROPOUTS[1]


def test_the_search_starts_from_the_defaults_a_user_would_fit_by_hand():
    space = SearchSpace(("linear", "gru"), [7, 14, 21], transforms(7))
    starts = space.starting_points(window=15)
    assert [s["transform"] for s in starts] == [
        "level",
        *(["window scaling"] if "window" in SCALERS else []),
        "difference 7",
    ]
    assert {(s["model"], s["window"], s["loss"]) for s in starts} == {("gru", 14, "mse")}
    assert {s["learning_rate"] for s in starts} == {DEFAULT_LEARNING_RATE}
    assert all(s["dropout"] == 0.0 for s in starts)


@pytest.mark.parametrize("season", [1, 12])
def test_without_gru_the_first_model_starts(season):
    space = SearchSpace(("linear",), [15], transforms(season))
    starts = space.starting_points(window=30)
    assert {s["model"] for s in starts} == {"linear"} and all("dropout" not in s for s in starts)
    assert starts[-1]["transform"] == ("difference 1" if season == 1 else "difference 12")
