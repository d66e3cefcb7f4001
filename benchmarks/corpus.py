"""The open evaluation corpus (issue 21, item 5): seqcast's default against the statistical models.

Every item of ``corpus_items.ITEMS`` (real series and panels, all offline),
split as ``corpus_items`` documents (test: the last 2 horizons; validation:
the 2 before), forecast from every test origin by each method of
``corpus_methods`` and scored the same way on the same (origin, step) cells:

* MASE: a series' MAE over the in-sample MAE of the seasonal naive forecast on
  its values before the test part (season 1 where that part is no longer than
  a season); sMAPE: ``200 |e| / (|y| + |f|)``. A panel's item score is the
  mean over its series.
* Relative MASE: an item's MASE over seasonal naive's; aggregated over items by
  geometric mean (as M4's OWA); wins and losses against AutoETS and seasonal
  naive (a tie is neither). Fit time: seconds per method and item, wall clock
  (training, forecasting and scoring of the test origins).

    python benchmarks/corpus.py [--items a,b] [--half A|B|all] [--methods m,...]
                                [--epochs N] [--with-auto --auto-budget 1m] [--out DIR]

writes ``DIR/scores.csv`` (one row per item and method), ``summary.json``,
``table.md`` and ``relative_mase.png``, rewriting them after each item.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))  # the corpus's modules, beside this one
import corpus_items as items
import corpus_methods as methods

REFERENCE = "seasonal_naive"
AGAINST = ("auto_ets", "seasonal_naive")


def mase_scale(history: np.ndarray, season: int) -> float:
    """The in-sample MAE of the seasonal naive forecast (season 1 if the history is short).

    >>> mase_scale(np.array([1.0, 2.0, 4.0, 7.0]), 1)
    2.0
    """
    lag = season if len(history) > season else 1
    return float(np.mean(np.abs(history[lag:] - history[:-lag])))


def cells(target: np.ndarray, at: np.ndarray, horizon: int) -> np.ndarray:
    """The actual values at each origin's horizon: ``target[t + j]``, ``(origins, horizon)``."""
    return target[at[:, None] + np.arange(horizon)]


def series_scores(target: np.ndarray, at: np.ndarray, forecast: np.ndarray, season: int):
    """``(MASE, sMAPE)`` of one series' forecasts at origins ``at``.

    >>> series_scores(np.arange(10.0), np.array([8]), np.array([[9.0, 9.0]]), 1)
    (0.5, 5.882352941176471)
    """
    actual = cells(target, at, forecast.shape[1])
    error = np.abs(actual - forecast)
    scale = mase_scale(target[: at[0]], season)
    total = np.abs(actual) + np.abs(forecast)
    smape = np.where(total > 0, 200 * error / np.where(total > 0, total, 1), 0.0)
    mase = float(error.mean() / scale) if scale > 0 else math.nan
    return mase, float(smape.mean())


def item_scores(loaded: items.Loaded, forecasts: dict[str, np.ndarray]) -> tuple[float, float]:
    """An item's MASE and sMAPE: its series' scores, averaged over its series."""
    at = methods.origins(loaded)
    scores = [
        series_scores(s.to_numpy(), at[key], forecasts[key], loaded.item.season)
        for key, s in loaded.series.items()
    ]
    mase, smape = np.array(scores).T
    return float(np.nanmean(mase)), float(np.mean(smape))


def geometric_mean(values) -> float:
    """The geometric mean (NaN if any value is missing, so a miss never hides).

    >>> geometric_mean([0.5, 2.0]), geometric_mean([1.0, float("nan")])
    (1.0, nan)
    """
    values = np.asarray(list(values), dtype=float)
    if values.size == 0 or np.isnan(values).any():
        return math.nan
    return float(np.exp(np.log(values).mean()))


def wins_losses(scores: pd.DataFrame, method: str, against: str) -> tuple[int, int]:
    """Items where ``method``'s MASE is below / above ``against``'s (both measured)."""
    wide = scores.pivot(index="item", columns="method", values="MASE")
    if method not in wide or against not in wide:
        return 0, 0
    both = wide[[method, against]].dropna()
    return int((both[method] < both[against]).sum()), int((both[method] > both[against]).sum())


def with_relative(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with each row's MASE relative to its item's seasonal naive MASE."""
    reference = scores[scores["method"] == REFERENCE].set_index("item")["MASE"]
    return scores.assign(rel_MASE=scores["MASE"] / scores["item"].map(reference))


def summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per method over the items in ``scores``: geometric-mean relative MASE, mean sMAPE,
    wins / losses against AutoETS and seasonal naive, items scored, mean fit seconds."""
    scores = with_relative(scores)
    rows = []
    for method, part in scores.groupby("method", sort=False):
        row = {
            "method": method,
            "items": int(part["MASE"].notna().sum()),
            "gm_rel_MASE": geometric_mean(part["rel_MASE"]),
            "mean_sMAPE": float(part["sMAPE"].mean()),
            "mean_fit_s": float(part["seconds"].mean()),
        }
        for other in AGAINST:
            if other != method:
                row[f"wins_vs_{other}"], row[f"losses_vs_{other}"] = wins_losses(
                    scores, method, other
                )
        rows.append(row)
    return pd.DataFrame(rows).set_index("method")


def run_item(name: str, chosen: list[str], extra: list[str], budget: str) -> list[dict]:
    """Every method of ``chosen`` on the item ``name``: one score row each."""
    loaded = items.load(name)
    forecasts, rows = {}, []
    for method in chosen:
        start = time.perf_counter()
        try:
            forecasts[method] = _forecast(loaded, method, forecasts, extra, budget)
            mase, smape = item_scores(loaded, forecasts[method])
            note = ""
        except Exception as err:  # a miss is reported as a miss, with its reason
            mase = smape = math.nan
            note = f"{type(err).__name__}: {err}"[:200]
        seconds = time.perf_counter() - start
        if method == "combination":  # it costs what fitting its members cost
            seconds += sum(r["seconds"] for r in rows if r["method"] in methods.COMBINED)
        rows.append(
            {
                "item": name,
                "half": items.half_of(name),
                "method": method,
                "MASE": mase,
                "sMAPE": smape,
                "seconds": seconds,
                "note": note,
            }
        )
        print(
            f"{name:18s} {method:15s} MASE {mase:8.4f} sMAPE {smape:7.3f} {seconds:7.1f} s {note}",
            flush=True,
        )
    return rows


def _forecast(loaded, method, done, extra, budget) -> dict[str, np.ndarray]:
    if method == "default":
        return methods.network(loaded, *extra)
    if method == "auto":
        return methods.network(loaded, "--model", "auto", "--budget", budget, *extra)
    if method == "combination":
        missing = [m for m in methods.COMBINED if m not in done]
        for m in missing:  # asked for alone: its members are computed, not listed
            done[m] = methods.statistical(loaded, m)
        return methods.combination(done)
    return methods.statistical(loaded, method)


def write_report(scores: pd.DataFrame, out: Path) -> None:
    """CSV, JSON, Markdown and the plot, from every score row so far."""
    out.mkdir(parents=True, exist_ok=True)
    scores = with_relative(scores)
    scores.to_csv(out / "scores.csv", index=False)
    halves = {
        h: summary(scores[scores["half"] == h]) for h in ("A", "B") if (scores["half"] == h).any()
    }
    halves["all"] = summary(scores)
    (out / "summary.json").write_text(
        json.dumps(
            {h: s.reset_index().to_dict("records") for h, s in halves.items()},
            indent=1,
            default=float,
        )
    )
    per_item = scores.pivot(index="item", columns="method", values="rel_MASE")
    order = list(dict.fromkeys(scores["method"]))  # as run, seasonal naive first
    per_item = per_item[order].reindex([n for n in items.names_in("all") if n in per_item.index])
    lines = []
    for half, table in halves.items():
        lines += [
            f"### Half {half}" if half != "all" else "### Whole corpus",
            "",
            _markdown(table),
            "",
        ]
    lines += ["### Relative MASE per item", "", _markdown(per_item), ""]
    (out / "table.md").write_text("\n".join(lines))
    plot(per_item, out / "relative_mase.png")


def _markdown(frame: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (no extra dependency)."""
    head = [frame.index.name or "", *map(str, frame.columns)]
    rows = [[str(i), *map(_cell, row)] for i, row in zip(frame.index, frame.itertuples(False))]
    return "\n".join("| " + " | ".join(r) + " |" for r in [head, ["---"] * len(head), *rows])


def _cell(value) -> str:
    """A table cell: a miss as a dash, counts as integers, the rest to 3 decimals."""
    if pd.isna(value):
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def plot(per_item: pd.DataFrame, path: Path) -> None:
    """Relative MASE per item (rows) and method (markers), log scale, 1 = seasonal naive."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 0.32 * len(per_item) + 1.5))
    rows = np.arange(len(per_item))
    for k, method in enumerate(per_item.columns):
        axes.scatter(
            per_item[method],
            rows + 0.08 * (k - len(per_item.columns) / 2),
            label=method,
            s=22,
            marker="os^vDP*x"[k % 8],
        )
    axes.axvline(1.0, color="grey", lw=0.8)
    axes.set_xscale("log")
    ticks = [0.25, 0.5, 1, 2, 4]  # plain numbers: the log axis's own labels overlap
    axes.set_xticks(ticks, [str(t) for t in ticks])
    axes.minorticks_off()
    axes.set_yticks(rows, [f"{n} ({items.half_of(n)})" for n in per_item.index])
    axes.invert_yaxis()
    axes.set_xlabel("MASE relative to seasonal naive (log scale; < 1 beats it)")
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # clear of the points
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", help="comma-separated item names (default: the half's)")
    parser.add_argument("--half", choices=("A", "B", "all"), default="all")
    parser.add_argument("--methods", default=",".join(methods.METHODS))
    parser.add_argument("--epochs", type=int, help="cap the networks' epochs (quick runs)")
    parser.add_argument("--with-auto", action="store_true", help="add --model auto (slow)")
    parser.add_argument("--auto-budget", default="1m", help="its --budget (default 1m)")
    parser.add_argument("--out", type=Path, default=Path("reports/corpus"))
    parser.add_argument(
        "--report-from",
        help="comma-separated scores.csv files of earlier "
        "runs: write their report (one row per item and method) and stop",
    )
    args = parser.parse_args(argv)
    if args.report_from:
        runs = pd.concat([pd.read_csv(path) for path in args.report_from.split(",")])
        write_report(runs.drop_duplicates(["item", "method"]).drop(columns="rel_MASE"), args.out)
        return
    names = args.items.split(",") if args.items else items.names_in(args.half)
    chosen = args.methods.split(",") + (["auto"] if args.with_auto else [])
    if REFERENCE not in chosen:
        chosen.insert(0, REFERENCE)  # every relative score needs it
    extra = ["--epochs", str(args.epochs)] if args.epochs else []
    rows: list[dict] = []
    for name in names:
        rows += run_item(name, chosen, extra, args.auto_budget)
        write_report(pd.DataFrame(rows), args.out)
    print((args.out / "table.md").read_text())


if __name__ == "__main__":
    main()
