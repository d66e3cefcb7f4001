"""One global model over each built-in panel, chosen on validation, against per-series baselines.

For each panel (``us_employment``, ``visnights``), each candidate (a zoo
model on a transform) trains ONE network over every series on the part
before ``valid_from``, stopping early on ``valid_from``..``test_from``. The
candidate with the lowest validation MASE (mean over series, from the
validation part's rolling origins) is then backtested on the test part
(from ``test_from``: seen by neither training nor early stopping) beside
per-series naive, seasonal naive, AutoETS and AutoARIMA (statsforecast),
each fitted on that series' values before ``test_from``. The same as, per
candidate,

    seqcast fit PANEL --model NAME --out m.seqcast && seqcast backtest m.seqcast PANEL

The transforms: the level (each series standardised on its training part),
its change over a season, and window scaling (each input window normalised
by its own statistics, as NeuralForecast's global models do). With
``--all-test`` every candidate's test MASE is printed too, for the record;
the choice stays the validation one.

Run: .venv/bin/python scripts/panels_backtest.py [--panels visnights] [--models gru,dnn]
     [--transforms level,season,window] [--losses mse,mae] [--ensemble 5]
     [--batch-size 32] [--all-test] [--plots DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import seqcast  # noqa: F401  (sets the JAX backend before Keras loads)
from seqcast import plots
from seqcast.data.datasets import load_dataset
from seqcast.forecaster import Forecaster

PANELS = ("visnights", "us_employment")
MODELS = ("gru", "lstm", "dnn", "encoder_decoder")
TRANSFORMS = ("level", "season", "window")


def settings(transform: str, season: int) -> dict:
    """A transform's name as Forecaster parameters."""
    if transform == "season":
        return {"difference": season, "scaler": "standard"}
    if transform == "window":
        return {"scaler": "window"}
    return {"scaler": "standard"}  # the level (a panel's default is window scaling)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", default=",".join(PANELS))
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--transforms", default=",".join(TRANSFORMS))
    parser.add_argument("--losses", default="mse", help="e.g. mse,mae (MASE is an L1 score)")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--patience", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--ensemble", type=int, default=1, help="members of each candidate")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--all-test", action="store_true", help="print every candidate's test")
    parser.add_argument("--plots", type=Path, default=None, help="write the figures here")
    args = parser.parse_args()
    for name in args.panels.split(","):
        run_panel(name, args)


def run_panel(name: str, args: argparse.Namespace) -> None:
    dataset = load_dataset(name)
    panel = dataset.panel()
    before_test = panel.before(dataset.test_from, "test_from")
    print(
        f"\n== {name}: {len(panel)} series, window {dataset.window}, horizon "
        f"{dataset.horizon}, validation from {dataset.valid_from:%Y-%m}, test from "
        f"{dataset.test_from:%Y-%m}"
    )
    tried = []
    candidates = [
        (model, transform, loss)
        for model in args.models.split(",")
        for transform in args.transforms.split(",")
        for loss in args.losses.split(",")
    ]
    for model, transform, loss in candidates:
        started = time.perf_counter()
        forecaster = Forecaster(
            model,
            window=dataset.window,
            horizon=dataset.horizon,
            loss=loss,
            epochs=args.epochs,
            patience=args.patience,
            batch_size=args.batch_size,
            ensemble=args.ensemble,
            seed=args.seed,
            verbose=0,
            **settings(transform, dataset.season),
        ).fit(before_test, valid=dataset.valid_from)
        validation = forecaster.backtest(
            before_test, start=dataset.valid_from, season=dataset.season, compare=False
        )
        score = float(validation.scores["MASE"].iloc[0])
        seconds = time.perf_counter() - started
        line = (
            f"{model:<16} {transform:<7} {loss:<4} validation MASE {score:.3f}  ({seconds:.0f} s)"
        )
        if args.all_test:
            test = forecaster.backtest(
                panel, start=dataset.test_from, season=dataset.season, compare=False
            )
            line += f"  test MASE {float(test.scores['MASE'].iloc[0]):.3f}"
        print(line, flush=True)
        tried.append((score, f"{model}, {transform}, {loss}", forecaster))
    score, what, chosen = min(tried, key=lambda t: t[0])
    print(f"chosen on validation: {what} (validation MASE {score:.3f})")
    result = chosen.backtest(panel, start=dataset.test_from, season=dataset.season)
    print(result)
    if args.plots:
        args.plots.mkdir(parents=True, exist_ok=True)
        plots.plot_panel_series(result, args.plots / f"{name}_series.png")
        plots.plot_panel_mase(result, args.plots / f"{name}_mase.png")


if __name__ == "__main__":
    main()
