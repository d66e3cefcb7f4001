"""Reports of experiment runs: the terminal table, Markdown, JSON and figures.

Every file is written atomically (``seqcast.files``): a run that fails half way
leaves the previous report as it was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from seqcast.experiments.rows import PREVIEW_SERIES, RowResult
from seqcast.files import write_text
from seqcast.plots import figure, save

# A row reproduces the book when it is within 10 % of the published figure.
TOLERANCE = 1.10


def source_of(results: Sequence[RowResult]) -> str:
    """Whose published figures a run is compared with: "book" or "course" (one table a run)."""
    return results[0].row.source if results else "book"


def columns(source: str = "book") -> tuple[str, ...]:
    return (
        "model",
        "metric",
        "ours",
        source,
        f"ours/{source}",
        "verdict",
        "epochs",
        "train s",
        "compile s",
        "params",
    )


def verdict(result: RowResult) -> str:
    if not math.isfinite(result.value):
        return "diverged"
    if result.row.published is None:
        return "no figure"
    if abs(result.ratio - 1.0) < 1e-4:  # the same figure to 4 digits
        return "matches"
    if result.ratio < 1.0:
        return f"beats {result.row.source}"
    return "matches" if result.ratio <= TOLERANCE else "MISSES"


def _cells(result: RowResult) -> list[str]:
    trained = result.row.model is not None
    return [
        result.row.name,
        result.row.metric,
        f"{result.value:.6f}",
        "–" if result.row.published is None else f"{result.row.published:.6f}",
        "–" if result.row.published is None else f"{result.ratio:.3f}",
        verdict(result),
        str(result.epochs) if trained else "–",
        "shared" if result.reused else f"{result.train_seconds:.1f}" if trained else "–",
        "shared" if result.reused else f"{result.compile_seconds:.1f}" if trained else "–",
        f"{result.params:,}" if trained else "–",
    ]


def format_table(results: Sequence[RowResult]) -> str:
    """A plain-text table, aligned, for the terminal."""
    header = columns(source_of(results))
    rows = [list(header)] + [_cells(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(w) if i >= 2 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results: Sequence[RowResult]) -> str:
    header = columns(source_of(results))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in results]
    return "\n".join(lines)


def results_json(results: Sequence[RowResult], meta: dict[str, Any]) -> dict[str, Any]:
    """The documented schema: rows of model, metric, value, published, epochs, train_seconds."""
    return {
        "rows": [
            {
                "model": r.row.name,
                "metric": r.row.metric,
                "value": r.value,
                "published": r.row.published,
                "epochs": r.epochs,
                "train_seconds": round(r.train_seconds, 3),
            }
            for r in results
        ],
        **meta,
    }


def write_json(path: str | Path, results: Sequence[RowResult], meta: dict[str, Any]) -> None:
    write_text(path, json.dumps(results_json(results, meta), indent=2) + "\n")


def write_report(
    out_dir: str | Path, results: Sequence[RowResult], meta: dict[str, Any]
) -> list[Path]:
    """Markdown table plus figures in ``out_dir``; returns the paths written.

    The one-step and multi-step forecast figures are drawn when the run has such rows.
    """
    out = Path(out_dir)
    source = source_of(results)
    written = [out / "comparison.png", out / "learning_curves.png"]
    plot_comparison(results, written[0])
    plot_learning_curves(results, written[1])
    figures = [
        f"![ours against the {source}](comparison.png)",
        "![learning curves](learning_curves.png)",
    ]
    if source == "course":
        written.append(out / "forecasts.png")
        plot_course_forecasts(results, written[-1])
        figures.append("![validation forecasts](forecasts.png)")
    one_step = [r for r in results if r.row.is_forecast and r.row.horizon == 1]
    multi_step = [r for r in results if r.row.is_forecast and r.row.horizon > 1]
    if one_step:
        written.append(out / "forecasts.png")
        plot_forecasts(one_step, written[-1])
        figures.append("![one-step validation forecasts](forecasts.png)")
    if multi_step:
        written.append(out / "multistep_forecasts.png")
        plot_multistep_forecasts(multi_step, written[-1])
        figures.append("![10-step validation forecasts](multistep_forecasts.png)")
    title, what = {
        "book": ("Hands-On ML ch. 15", "Validation figures (2,000 series) beside the book's."),
        "course": (
            "Sequences, Time Series and Prediction",
            "One-step validation MAE on the course's series (461 points after t = 1000) "
            "beside the course's.",
        ),
    }[source]
    lines = [
        f"# seqcast reproduce: {title}",
        "",
        f"seqcast {meta.get('version')} · Keras backend {meta.get('backend')} · "
        f"{meta.get('device')} · seed {meta.get('seed')}",
        "",
        f"{what} *matches* means within "
        f"{TOLERANCE:.2f}× of the published figure; *train s* excludes compilation"
        + (
            f" and was measured with {meta['jobs']} rows training at a time."
            if meta.get("jobs", 1) > 1
            else "."
        ),
        "",
        markdown_table(results),
        "",
        *[line for figure in figures for line in (figure, "")],
    ]
    write_text(out / "README.md", "\n".join(lines))
    written.insert(0, out / "README.md")
    return written


# --------------------------------------------------------------------------- figures


def plot_comparison(results: Sequence[RowResult], path: Path) -> None:
    """Ours beside the book's figure, a pair of bars per row (log axis, lower is better)."""
    results = [r for r in results if r.row.published is not None]
    fig, (ax,) = figure(1, width=7.5, height=0.9 + 0.42 * len(results))
    positions = np.arange(len(results))[::-1]  # the book's order, top to bottom
    published = [r.row.published for r in results]
    source = source_of(results)
    ax.barh(positions + 0.2, published, 0.4, label=source, color="#9aa5b1")
    ax.barh(positions - 0.2, [r.value for r in results], 0.4, label="seqcast", color="#1f77b4")
    ax.set_yticks(positions, [f"{r.row.name} ({r.ratio:.2f}×)" for r in results])
    values = [*published, *(r.value for r in results)]
    if max(values) > 10 * min(values):  # the book's figures span decades; the course's do not
        ax.set_xscale("log")
    ax.set_xlabel(f"validation error, lower is better (ours/{source} in brackets)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars, not on them
    ax.grid(axis="x", which="both", alpha=0.3)
    save(fig, path)


def plot_learning_curves(results: Sequence[RowResult], path: Path) -> None:
    """Training and validation loss per epoch for each trained row, as in the book."""
    trained = [r for r in results if r.history.get("loss")]
    fig, axes = figure(max(1, len(trained)))
    if not trained:
        axes[0].text(0.5, 0.5, "no trained model in this run", ha="center", va="center")
        axes[0].set_axis_off()
    for ax, result in zip(axes, trained):
        epochs = np.arange(1, len(result.history["loss"]) + 1)
        ax.plot(epochs, result.history["loss"], "b.-", label="training loss")
        if "val_loss" in result.history:
            ax.plot(epochs, result.history["val_loss"], "r.-", label="validation loss")
        tracked = result.row.metric if result.row.metric == "mse" else "val_" + result.row.metric
        if tracked != "mse" and tracked in result.history:
            ax.plot(epochs, result.history[tracked], "g.-", label=tracked)
        comparable = result.row.published_per_epoch and (
            result.row.metric == "mse" or tracked in result.history
        )
        if result.row.published is not None and comparable:
            ax.axhline(result.row.published, color="gray", linestyle="--", label=result.row.source)
        ax.set_yscale("log")
        ax.set_title(result.row.name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    save(fig, path)


def plot_forecasts(one_step: Sequence[RowResult], path: Path) -> None:
    """A few validation series, the true next value and each one-step row's forecast.

    The book's ``plot_series``, with every row's forecast on the same panels.
    """
    from seqcast.data import book_splits

    data = book_splits("one_step")
    fig, axes = figure(PREVIEW_SERIES)
    n_steps = data.x_valid.shape[1]
    markers = "os^vD<>p*h"
    for i, ax in enumerate(axes):
        ax.plot(np.arange(n_steps), data.x_valid[i, :, 0], ".-", color="#444", label="input")
        ax.plot(n_steps, data.y_valid[i, 0], "bx", markersize=12, mew=2, label="actual")
        for j, result in enumerate(one_step):
            ax.plot(
                n_steps,
                result.preview[i, 0],
                markers[j % len(markers)],
                alpha=0.8,
                label=result.row.name,
            )
        ax.set_xlabel("t")
        ax.set_title(f"validation series {i}")
        ax.grid(alpha=0.3)
        ax.set_ylim(-1, 1)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8)
    save(fig, path, rect=(0, 0.08, 1, 1))  # room for the legend below the panels


def plot_multistep_forecasts(rows: Sequence[RowResult], path: Path) -> None:
    """For each multi-step row, validation series 0: its input, the next values and the forecast.

    The book's ``plot_multiple_forecasts``, one panel per model.
    """
    from seqcast.data import book_splits

    fig, axes = figure(len(rows), width=3.6, height=2.8)
    for ax, result in zip(axes, rows):
        data = book_splits("vector", result.row.horizon)
        n_steps = data.x_valid.shape[1]
        ahead = n_steps + np.arange(result.row.horizon)
        ax.plot(np.arange(n_steps), data.x_valid[0, :, 0], ".-", color="#444", label="input")
        ax.plot(ahead, data.y_valid[0], "bo-", markersize=4, label="actual")
        ax.plot(ahead, result.preview[0], "rx-", markersize=6, label="forecast")
        if result.preview_interval is not None:
            lower, upper = result.preview_interval
            ax.fill_between(
                ahead, lower[0], upper[0], color="red", alpha=0.2, label="90 % MC dropout"
            )
        ax.set_title(f"{result.row.name} ({result.row.metric} {result.value:.4f})", fontsize=9)
        ax.set_ylim(-1, 1)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="lower left")
    save(fig, path)


def plot_course_forecasts(results: Sequence[RowResult], path: Path, top: int = 3) -> None:
    """The course's validation period: the series and the best methods' one-step forecasts."""
    from seqcast.data.synthetic import COURSE_SPLIT, course_series

    series = course_series()
    time = np.arange(COURSE_SPLIT, len(series))
    ranked = sorted((r for r in results if r.preview is not None), key=lambda r: r.value)
    fig, (ax,) = figure(1, width=11, height=4.2)
    ax.plot(time, series[COURSE_SPLIT:], color="#444", lw=0.8, label="series")
    for result in ranked[:top]:
        ax.plot(time, result.preview, lw=1.2, label=f"{result.row.name} (MAE {result.value:.3f})")
    ax.set_xlabel("time step")
    ax.set_ylabel("value")
    ax.set_title(f"one-step forecasts of the validation period: the {top} best methods")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    save(fig, path)
