"""The practitioner's figures, from small made-up inputs: each is a PNG, written atomically."""

import numpy as np
import pandas as pd
import pytest

from seqcast import plots
from seqcast.backtest import Backtest
from seqcast.lr_sweep import LearningRateSweep

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _is_png(path) -> bool:
    return path.read_bytes().startswith(PNG_MAGIC)


def test_figure_hides_the_unused_panels():
    fig, axes = plots.figure(4)
    assert len(axes) == 4
    assert sum(ax.get_visible() for ax in fig.axes) == 4 and len(fig.axes) == 6


def test_save_writes_a_png_and_no_temporary_file(tmp_path):
    fig, (ax,) = plots.figure(1)
    ax.plot([0, 1], [1, 0])
    path = plots.save(fig, tmp_path / "line.png")
    assert path == tmp_path / "line.png" and _is_png(path)
    assert [p.name for p in tmp_path.iterdir()] == ["line.png"]


@pytest.mark.parametrize("band", [False, True])
def test_plot_forecast(tmp_path, band):
    dates = pd.date_range("2021-01-01", periods=40, freq="D")
    history = pd.Series(np.sin(np.arange(40) / 3), index=dates, name="y")
    future = pd.date_range("2021-02-10", periods=5, freq="D")
    table = pd.DataFrame({"y": np.linspace(0, 1, 5)}, index=future)
    if band:
        table["lower"], table["upper"] = table["y"] - 0.2, table["y"] + 0.2
        table.attrs["interval"] = {"level": 0.9, "method": "residuals"}
    path = tmp_path / "forecast.png"
    assert plots.plot_forecast(history, table, path) == path
    assert _is_png(path)


def test_a_one_sided_band_is_explained_under_the_forecast_plot(tmp_path, monkeypatch):
    dates = pd.date_range("2021-01-01", periods=40, freq="D")
    history = pd.Series(np.sin(np.arange(40) / 3), index=dates, name="y")
    future = pd.date_range("2021-02-10", periods=3, freq="D")
    table = pd.DataFrame({"y": [0.0, 0.1, 0.2]}, index=future)
    table["lower"], table["upper"] = table["y"] + 0.1, table["y"] + 0.5
    note = "the 90% band lies above the forecast at steps 1-3: the model under-forecast"
    table.attrs["interval"] = {"level": 0.9, "method": "residuals", "note": note}
    saved = {}
    real_save = plots.save

    def keep(fig, path, rect=(0, 0, 1, 1)):
        saved["texts"] = [text.get_text() for text in fig.texts]
        return real_save(fig, path, rect)

    monkeypatch.setattr(plots, "save", keep)
    path = plots.plot_forecast(history, table, tmp_path / "forecast.png")
    assert _is_png(path)
    assert saved["texts"] == [f"Note: {note}"]


def test_plot_backtest(tmp_path):
    origins = pd.date_range("2021-03-01", periods=12, freq="D")
    actual = np.arange(24, dtype=float).reshape(12, 2)
    methods = ["lstm", "naive", "seasonal_naive"]
    forecasts = {name: actual + i for i, name in enumerate(methods)}
    scores = pd.DataFrame({"MAE": [0.0, 1.0, 2.0]}, index=methods)
    per_horizon = {
        name: pd.DataFrame({"MAE": [float(i), float(i)]}, index=[1, 2])
        for i, name in enumerate(methods)
    }
    result = Backtest(scores, per_horizon, forecasts, actual, origins, "lstm", season=7)
    path = plots.plot_backtest(result, tmp_path / "backtest.png")
    assert _is_png(path)


def test_plot_lr_sweep(tmp_path):
    rates = 1e-8 * 10 ** (np.arange(120) / 20)
    losses = 2 - 1 / (1 + np.exp(-2 * (np.log10(rates) + 4)))
    losses[-3:] = np.inf  # the sweep's last rates blew up
    path = plots.plot_lr_sweep(LearningRateSweep(rates, losses), tmp_path / "lr.png")
    assert _is_png(path)


@pytest.mark.parametrize(
    ("method", "named"),
    [("residuals", "validation errors"), ("mc_dropout", "MC dropout"),
     ("ensemble", "ensemble members")],
)  # fmt: skip
def test_the_band_is_labelled_with_where_it_comes_from(tmp_path, monkeypatch, method, named):
    dates = pd.date_range("2021-01-01", periods=40, freq="D")
    history = pd.Series(np.sin(np.arange(40) / 3), index=dates, name="y")
    table = pd.DataFrame({"y": [0.0, 0.1]}, index=pd.date_range("2021-02-10", periods=2))
    table["lower"], table["upper"] = table["y"] - 0.1, table["y"] + 0.1
    table.attrs["interval"] = {"level": 0.8, "method": method}
    labels = {}
    real_save = plots.save

    def keep(fig, path, rect=(0, 0, 1, 1)):
        labels["legend"] = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        return real_save(fig, path, rect)

    monkeypatch.setattr(plots, "save", keep)
    plots.plot_forecast(history, table, tmp_path / "forecast.png")
    assert f"80% interval ({named})" in labels["legend"]


def _panel_backtest(n_series=5, spread=1.0, filled=None):
    from seqcast.panel_backtest import score_panel

    rng = np.random.default_rng(5)
    targets, origins, indexes, model, naive = [], [], [], [], []
    for i in range(n_series):
        n = 40 + 2 * i
        target = 10 + np.sin(np.arange(n) * np.pi / 2) + rng.normal(0, 0.1, n)
        at = np.arange(30, n - 2)
        truth = target[at[:, None] + np.arange(3)]
        targets.append(target)
        origins.append(at)
        indexes.append(pd.date_range("2020-01-01", periods=n, freq="W"))
        model.append(truth + rng.normal(0, 0.1 * spread ** (i + 1), truth.shape))
        naive.append(np.repeat(target[at - 1][:, None], 3, axis=1))
    return score_panel(
        targets, origins, indexes, [f"s{i}" for i in range(n_series)],
        {"gru": model, "naive": naive}, season=4, fit_ends=[30] * n_series, freq="W",
        baselines=False, filled=filled,
    )  # fmt: skip


@pytest.mark.parametrize("n_series", [1, 2, 5])
def test_plot_panel_series_shows_the_best_median_and_worst(tmp_path, monkeypatch, n_series):
    result = _panel_backtest(n_series)
    titles = {}
    real_save = plots.save

    def keep(fig, path, rect=(0, 0, 1, 1)):
        titles["axes"] = [ax.get_title() for ax in fig.axes if ax.get_visible()]
        titles["legend"] = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        return real_save(fig, path, rect)

    monkeypatch.setattr(plots, "save", keep)
    path = plots.plot_panel_series(result, tmp_path / "series.png")
    assert _is_png(path)
    picks = result.ranked_series()
    assert titles["axes"] == [f"{kind}: {name}" for kind, name in picks.items()]
    assert titles["legend"][:3] == ["history", "actual", titles["legend"][2]]
    assert titles["legend"][2].startswith("gru (MASE ") and titles["legend"][3].startswith("naive")


def test_plot_panel_series_with_filled_values(tmp_path):
    filled = [np.zeros(40 + 2 * i, dtype=bool) for i in range(3)]
    filled[0][32] = True
    path = plots.plot_panel_series(_panel_backtest(3, filled=filled), tmp_path / "series.png")
    assert _is_png(path)


@pytest.mark.parametrize(("spread", "log"), [(1.0, False), (10.0, True)])
def test_plot_panel_mase_goes_logarithmic_for_a_wide_spread(tmp_path, monkeypatch, spread, log):
    result = _panel_backtest(5, spread=spread)
    seen = {}
    real_save = plots.save

    def keep(fig, path, rect=(0, 0, 1, 1)):
        ax = fig.axes[0]
        seen["scale"] = ax.get_yscale()
        seen["ticks"] = [t.get_text() for t in ax.get_xticklabels()]
        seen["lines"] = [
            np.asarray(line.get_ydata(), dtype=float).tolist() for line in ax.get_lines()
        ]
        seen["means"] = [line.get_ydata()[0] for line in ax.get_lines() if line.get_marker() == "D"]
        return real_save(fig, path, rect)

    monkeypatch.setattr(plots, "save", keep)
    path = plots.plot_panel_mase(result, tmp_path / "mase.png")
    assert _is_png(path)
    assert seen["scale"] == ("log" if log else "linear")
    assert seen["ticks"] == ["gru", "naive"]
    assert [1.0, 1.0] in seen["lines"]  # the reference line at MASE 1
    # the mean of each method is marked
    means = [result.series_mase(m).mean() for m in ("gru", "naive")]
    assert seen["means"] == pytest.approx(means)
