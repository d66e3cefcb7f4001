"""Figures for a practitioner's runs: a forecast with its band, a backtest (of one series or
a panel), a learning-rate sweep.

Every figure is written atomically (a failed save leaves an earlier file as
it was) with the non-interactive Agg backend, so plotting works without a
screen. ``figure`` and ``save`` are shared with ``seqcast.experiments.report``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from seqcast.files import atomic_path

if TYPE_CHECKING:  # only for annotations: importing them pulls in Keras
    from seqcast.backtest import Backtest
    from seqcast.data.panel import Panel
    from seqcast.lr_sweep import LearningRateSweep
    from seqcast.panel_backtest import PanelBacktest

FORECAST_COLOR = "#d62728"
HISTORY_COLOR = "#1f77b4"


def figure(n_panels: int = 1, width: float = 4.0, height: float = 3.2):
    """A figure with ``n_panels`` axes, at most three per row; returns (fig, [axes])."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = min(n_panels, 3)
    rows = -(-n_panels // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n_panels:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n_panels])


def save(fig, path: str | Path, rect: tuple[float, float, float, float] = (0, 0, 1, 1)) -> Path:
    """Lay out, write atomically (format from the suffix) and close ``fig``."""
    import matplotlib.pyplot as plt

    fig.tight_layout(rect=rect)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110)
    plt.close(fig)
    return Path(path)


def _date_axis(ax, index: pd.Index) -> None:
    """Readable dates on the x axis (concise labels that adapt to the span)."""
    if isinstance(index, pd.DatetimeIndex):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    else:
        ax.set_xlabel("time step")


def plot_forecast(
    history: pd.Series,
    forecast: pd.DataFrame,
    path: str | Path,
    *,
    title: str | None = None,
) -> Path:
    """The end of the history, the forecast after it and, if present, its interval band.

    ``history`` is the observed target (indexed by dates or steps);
    ``forecast`` is what ``Forecaster.predict`` returns (first column the
    point forecast, optional ``lower``/``upper``, described by
    ``forecast.attrs["interval"]``). A band that lies wholly above or below
    the forecast somewhere gets its note (``attrs["interval"]["note"]``) as
    a caption under the plot.
    """
    horizon = len(forecast)
    # Enough history to see the pattern the forecast continues, not the whole archive.
    shown = history.iloc[-max(8 * horizon, 120) :]
    fig, (ax,) = figure(1, width=10, height=4.2)
    ax.plot(shown.index, shown.to_numpy(), color=HISTORY_COLOR, lw=1.2, label="observed")
    point = forecast.iloc[:, 0]
    # Join the forecast to the last observation so the line does not start in mid-air.
    joined = pd.concat([shown.iloc[-1:], point])
    ax.plot(
        joined.index, joined.to_numpy(), color=FORECAST_COLOR, lw=1.8, marker=".", label="forecast"
    )
    if {"lower", "upper"} <= set(forecast.columns):
        about = forecast.attrs.get("interval", {})
        sources = {
            "mc_dropout": "MC dropout",
            "residuals": "validation errors",
            "ensemble": "ensemble members",
        }
        source = sources.get(about.get("method"), "interval")
        band = f"{about['level']:.0%} interval ({source})" if "level" in about else source
        ax.fill_between(
            forecast.index,
            forecast["lower"],
            forecast["upper"],
            color=FORECAST_COLOR,
            alpha=0.2,
            label=band,
        )
    ax.axvline(shown.index[-1], color="gray", lw=0.8, ls="--")
    ax.set_ylabel(str(point.name))
    ax.set_title(title or f"{point.name}: {horizon}-step forecast")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    _date_axis(ax, shown.index)
    note = forecast.attrs.get("interval", {}).get("note")
    if note:
        import textwrap

        caption = textwrap.fill(f"Note: {note}", width=150)
        fig.text(0.01, 0.01, caption, fontsize="small", va="bottom", ha="left")
        return save(fig, path, rect=(0, 0.04 * (caption.count("\n") + 1) + 0.02, 1, 1))
    return save(fig, path)


def plot_backtest(backtest: Backtest, path: str | Path, *, top: int = 3) -> Path:
    """Left: the actual values and the one-step-ahead forecasts of the model and the
    best baselines. Right: MAE per horizon step for each method."""
    fig, (left, right) = figure(2, width=6.5, height=3.8)
    ranked = list(backtest.scores["MAE"].sort_values().index)
    baselines = [m for m in ranked if m != backtest.model_name][: top - 1]
    shown = [backtest.model_name, *baselines]
    left.plot(backtest.origins, backtest.actual[:, 0], color="black", lw=1.2, label="actual")
    for name in shown:
        left.plot(backtest.origins, backtest.forecasts[name][:, 0], lw=1, label=name)
    left.set_title("one step ahead, from every origin")
    left.legend(fontsize="small")
    left.grid(alpha=0.3)
    _date_axis(left, backtest.origins)
    for name, table in backtest.per_horizon.items():
        style = "-o" if name == backtest.model_name else "--."
        right.plot(table.index, table["MAE"], style, label=name)
    right.set_xlabel("horizon step")
    right.xaxis.get_major_locator().set_params(integer=True)
    right.set_ylabel("MAE")
    right.set_title("error by horizon (lower is better)")
    right.legend(fontsize="small")
    right.grid(alpha=0.3)
    return save(fig, path)


def plot_panel_series(backtest: PanelBacktest, path: str | Path) -> Path:
    """The best, median and worst series by the model's MASE, one panel each.

    Each shows the end of the history before the test part, the actual values
    of the test part, and the one-step-ahead forecasts from every origin of
    the model and of the baseline with the lowest mean MASE; the full horizon
    forecast from the last origin is dashed.
    """
    picks = backtest.ranked_series()
    if not picks:  # no series has a MASE (constant fit parts): show the first ones
        picks = {f"series {i + 1}": name for i, name in enumerate(backtest.ids[:3])}
    baselines = backtest.scores["MASE"].drop(backtest.model_name).dropna()
    shown = [backtest.model_name] + ([str(baselines.idxmin())] if len(baselines) else [])
    fig, axes = figure(len(picks), width=5, height=3.4)
    mase = backtest.per_series.set_index([backtest.id_column, "method"])["MASE"]
    position = {name: i for i, name in enumerate(backtest.ids)}
    for ax, (kind, name) in zip(axes, picks.items(), strict=True):
        i = position[name]
        target, origins = backtest.targets[i], backtest.origins[i]
        first = target.index.get_loc(origins[0])
        end = target.index.get_loc(origins[-1]) + backtest.horizon
        history = target.iloc[
            max(0, first - max(4 * backtest.horizon, 3 * backtest.season)) : first
        ]
        ax.plot(history.index, history.to_numpy(), color=HISTORY_COLOR, lw=1, label="history")
        actual = target.iloc[first:end].copy()
        actual[np.isin(np.arange(first, end), _filled_positions(backtest, i, first))] = np.nan
        ax.plot(actual.index, actual.to_numpy(), color="black", lw=1.2, label="actual")
        for k, method in enumerate(shown):
            forecast = backtest.forecasts[method][i]
            color = FORECAST_COLOR if k == 0 else "#2ca02c"
            label = f"{method} (MASE {mase.get((name, method), np.nan):.3g})"
            ax.plot(origins, forecast[:, 0], color=color, lw=1, marker=".", ms=3, label=label)
            last = target.index[end - backtest.horizon : end]
            ax.plot(last, forecast[-1], color=color, lw=1, ls="--")
        ax.axvline(origins[0], color="gray", lw=0.8, ls="--")
        ax.set_title(f"{kind}: {name}", fontsize="medium")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small", loc="upper left")
        _date_axis(ax, target.index)
    fig.suptitle(
        f"{backtest.model_name}: one step ahead from every origin; dashed: the last origin"
    )
    return save(fig, path, rect=(0, 0, 1, 0.95))


def _filled_positions(backtest: PanelBacktest, i: int, first: int) -> np.ndarray:
    """Positions in series ``i``'s target whose values were filled in, within the test part."""
    if not backtest.filled or not backtest.filled[i].any():
        return np.array([], dtype=int)
    target = backtest.targets[i]
    starts = np.array([target.index.get_loc(label) for label in backtest.origins[i]])
    steps = starts[:, None] + np.arange(backtest.horizon)
    return np.unique(steps[backtest.filled[i]])


def plot_panel_mase(backtest: PanelBacktest, path: str | Path) -> Path:
    """The distribution of per-series MASE for each method: box plots, the mean as a diamond.

    The axis is logarithmic when the MASE values span more than a factor of
    30 (one series far off would squash the others), and a line at 1 marks
    the in-sample seasonal naive error: below it a method beats it.
    """
    methods = list(backtest.scores.index)
    values = []
    for method in methods:
        mase = backtest.series_mase(method).to_numpy(dtype=float)
        values.append(mase[np.isfinite(mase)])
    fig, (ax,) = figure(1, width=max(6.0, 1.3 * len(methods)), height=4.2)
    present = [v for v in values if len(v)]
    pooled = np.concatenate(present) if present else np.array([1.0])
    positive = pooled[pooled > 0]
    log = len(positive) == len(pooled) and positive.max() / positive.min() > 30
    ax.boxplot(
        [v if len(v) else [np.nan] for v in values],
        showmeans=True,
        meanprops={"marker": "D", "markerfacecolor": FORECAST_COLOR, "markeredgecolor": "black"},
        flierprops={"marker": ".", "markersize": 3, "alpha": 0.5},
    )
    ax.set_xticks(range(1, len(methods) + 1), methods, rotation=20)
    if log:
        ax.set_yscale("log")
    ax.axhline(1.0, color="gray", lw=0.9, ls="--", label="MASE 1 (in-sample seasonal naive)")
    ax.set_ylabel("MASE per series" + (" (log scale)" if log else ""))
    ax.set_title(f"{len(backtest.ids)} series: MASE of each (box), mean (diamond); lower is better")
    ax.grid(alpha=0.3, axis="y", which="both")
    ax.legend(fontsize="small", loc="upper right")
    return save(fig, path)


def plot_lr_sweep(sweep: LearningRateSweep, path: str | Path) -> Path:
    """Loss against learning rate (log axis), the suggested rate marked."""
    fig, (ax,) = figure(1, width=7, height=4)
    finite = np.isfinite(sweep.losses)
    ax.semilogx(sweep.learning_rates[finite], sweep.losses[finite], color=HISTORY_COLOR)
    suggestion = sweep.suggestion
    ax.axvline(suggestion, color=FORECAST_COLOR, ls="--", label=f"suggested {suggestion:.2g}")
    # The loss explodes at the end of a sweep; keep the interesting part in view.
    low, high = np.nanmin(sweep.losses[finite]), np.nanpercentile(sweep.losses[finite], 90)
    ax.set_ylim(low - 0.05 * (high - low), high)
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss")
    ax.set_title(f"learning-rate sweep: lr = {sweep.learning_rates[0]:.0e} · 10^(epoch / 20)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return save(fig, path)


def plot_panel_forecast(panel: Panel, forecast: pd.DataFrame, path: str | Path, *, most: int = 6):
    """The forecasts of the first ``most`` series of ``panel``, one small plot each.

    ``forecast`` is the long table ``Forecaster.predict`` returns for a
    panel (the id column, the date, the forecast, optional ``lower`` /
    ``upper``). The title says how many series there are in all.
    """
    ids = list(panel.ids)[:most]
    fig, axes = figure(len(ids), width=4.6, height=3.0)
    id_column, date_column, value = forecast.columns[:3]
    for ax, sid in zip(axes, ids):
        rows = forecast[forecast[id_column] == sid]
        history = panel.get(sid).frame.iloc[:, 0]
        shown = history.iloc[-max(6 * len(rows), 60) :]
        ax.plot(shown.index, shown.to_numpy(), color=HISTORY_COLOR, lw=1.0)
        dates = pd.Index(rows[date_column])
        joined = np.concatenate([shown.to_numpy()[-1:], rows[value].to_numpy()])
        ax.plot(shown.index[-1:].append(dates), joined, color=FORECAST_COLOR, lw=1.6, marker=".")
        if {"lower", "upper"} <= set(rows.columns):
            ax.fill_between(dates, rows["lower"], rows["upper"], color=FORECAST_COLOR, alpha=0.2)
        ax.set_title(f"{id_column} {sid}", fontsize="medium")
        ax.grid(alpha=0.3)
        _date_axis(ax, shown.index)
    shown_count = f"the first {len(ids)} of {len(panel)} series" if len(panel) > len(ids) else ""
    fig.suptitle(f"{value}: forecasts {shown_count}".strip())
    return save(fig, path, rect=(0, 0, 1, 0.95))
