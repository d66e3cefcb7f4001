"""Per-series statistical baselines of a panel: simple truths, no peeking, fallbacks."""

import numpy as np
import pytest

from seqcast.baselines.statistical import PanelBaselines, panel_baselines
from seqcast.errors import SeqcastError

RNG = np.random.default_rng(7)
PATTERN = np.array([3.0, 5.0, 9.0, 4.0, 1.0, 7.0])  # season 6


def seasonal(n, level=20.0):
    return level + np.tile(PATTERN, n // 6 + 1)[:n]


def test_naive_repeats_the_last_value_and_seasonal_naive_the_last_season():
    targets = [RNG.normal(size=50), RNG.normal(size=41)]
    origins = [np.array([30, 37, 45]), np.array([25, 33])]
    result = panel_baselines(
        targets, origins, 4, season=6, fit_ends=[30, 25], methods=("naive", "seasonal_naive")
    )
    for target, at, naive, snaive in zip(
        targets, origins, result.forecasts["naive"], result.forecasts["seasonal_naive"]
    ):
        assert naive.shape == snaive.shape == (len(at), 4)
        np.testing.assert_array_equal(naive, np.repeat(target[at - 1][:, None], 4, axis=1))
        np.testing.assert_array_equal(snaive, target[at[:, None] + np.arange(4) - 6])
    assert result.skipped == {} and result.fallbacks == {}


@pytest.mark.parametrize("method", ["auto_ets", "auto_arima"])
def test_a_pure_seasonal_pattern_is_forecast_nearly_exactly(method):
    targets = [seasonal(96), seasonal(84, level=50.0)]
    origins = [np.arange(72, 91, 6), np.arange(60, 79, 6)]
    result = panel_baselines(targets, origins, 6, season=6, fit_ends=[72, 60], methods=(method,))
    for target, at, forecast in zip(targets, origins, result.forecasts[method]):
        truth = target[at[:, None] + np.arange(6)]
        # the pattern's range is 8: an error a thousandth of it is "nearly exact"
        np.testing.assert_allclose(forecast, truth, atol=8e-3)
    assert method not in result.fallbacks


@pytest.mark.parametrize("method", ["naive", "seasonal_naive", "auto_ets", "auto_arima"])
def test_forecasts_never_read_the_origin_or_after(method):
    target = seasonal(90) + RNG.normal(0, 0.3, 90)
    at = np.array([60, 70, 80])
    clean = panel_baselines([target], [at], 3, season=6, fit_ends=[60], methods=(method,))
    for k, origin in enumerate(at):
        corrupted = target.copy()
        corrupted[origin:] = 1e6  # the future, made absurd
        dirty = panel_baselines([corrupted], [at], 3, season=6, fit_ends=[60], methods=(method,))
        # origins up to this one see the same past: the same forecasts
        np.testing.assert_allclose(
            dirty.forecasts[method][0][: k + 1], clean.forecasts[method][0][: k + 1]
        )


def test_a_series_too_short_for_the_season_runs_without_it():
    long, short = seasonal(96) + RNG.normal(0, 0.2, 96), seasonal(20) + RNG.normal(0, 0.2, 20)
    result = panel_baselines(
        [long, short],
        [np.array([72, 80]), np.array([10, 15])],
        3,
        season=6,
        fit_ends=[72, 10],  # 10 points: fewer than two seasons of 6
        ids=["long", "short"],
        methods=("auto_ets", "auto_arima"),
    )
    for method in ("auto_ets", "auto_arima"):
        assert result.fallbacks[method] == {"short": "season 1"}
        assert all(np.isfinite(f).all() for f in result.forecasts[method])
    assert result.notes()["auto_ets"] == "ran as season 1 on 1 series (short)"


def test_a_seasonal_naive_without_a_full_season_falls_back_to_naive():
    target = np.arange(30.0)
    result = panel_baselines(
        [target], [np.array([4, 20])], 2, season=6, fit_ends=[4], ids=["x"],
        methods=("seasonal_naive",),
    )  # fmt: skip
    assert result.fallbacks == {"seasonal_naive": {"x": "naive (less than one season before it)"}}
    np.testing.assert_array_equal(result.forecasts["seasonal_naive"][0], [[3, 3], [19, 19]])


def test_season_one_skips_seasonal_naive_and_says_why():
    result = panel_baselines([np.arange(30.0)], [np.array([20])], 2, season=1, fit_ends=[20])
    assert "seasonal_naive" not in result.forecasts
    assert "season 1" in result.skipped["seasonal_naive"]
    assert list(result.forecasts) == ["naive", "auto_ets", "auto_arima"]


def test_a_failed_fit_falls_back_to_naive(monkeypatch):
    from seqcast.baselines import fitted

    def broken(method, season, n_points):
        raise ValueError("no")

    monkeypatch.setattr(fitted, "_model", broken)
    target = np.arange(40.0)
    result = panel_baselines(
        [target], [np.array([30, 35])], 2, season=1, fit_ends=[30], ids=["a"], methods=("auto_ets",)
    )
    assert result.fallbacks == {"auto_ets": {"a": "naive (the fit failed)"}}
    np.testing.assert_array_equal(result.forecasts["auto_ets"][0], [[29, 29], [34, 34]])


def test_worker_processes_give_the_same_forecasts():
    targets = [seasonal(60) + RNG.normal(0, 0.3, 60) for _ in range(3)]
    origins = [np.array([48, 52])] * 3
    kwargs = {"season": 6, "fit_ends": [48] * 3, "methods": ("auto_ets",)}
    alone = panel_baselines(targets, origins, 3, n_jobs=1, **kwargs)
    shared = panel_baselines(targets, origins, 3, n_jobs=2, **kwargs)
    for a, b in zip(alone.forecasts["auto_ets"], shared.forecasts["auto_ets"]):
        np.testing.assert_array_equal(a, b)


GAP = np.r_[np.arange(10.0), np.nan, np.arange(29.0)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fit_ends": [25]}, "series s: .* before the first origin 20"),
        ({"origins": [np.array([20, 41])]}, "series s: origin 41 lies past the end"),
        ({"origins": [np.array([], dtype=int)]}, "series s: origins must be a non-empty"),
        ({"targets": [GAP]}, "series s: .* target\\[10\\], which is not a number"),
        ({"methods": ("theta",)}, "unknown panel baseline 'theta'"),
        ({"fit_ends": [20, 20]}, "1 targets, 1 origins, 2 fit ends and 1 ids"),
    ],
)  # fmt: skip
def test_bad_input_names_the_series(kwargs, message):
    settings = {
        "targets": [np.arange(40.0)],
        "origins": [np.array([20, 30])],
        "fit_ends": [20],
        "ids": ["s"],
        "methods": ("naive",),
        **kwargs,
    }
    targets, origins = settings.pop("targets"), settings.pop("origins")
    with pytest.raises(SeqcastError, match=message):
        panel_baselines(targets, origins, 2, season=1, **settings)


def test_notes_group_the_series_by_what_ran():
    result = PanelBaselines(
        {}, fallbacks={"auto_arima": {"a": "season 1", "b": "naive (the fit failed)"}}
    )
    assert result.notes()["auto_arima"] == (
        "ran as season 1 on 1 series (a); ran as naive (the fit failed) on 1 series (b)"
    )
