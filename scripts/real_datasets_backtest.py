"""The best RNN on each built-in real dataset, against seasonal naive and SARIMA, honestly.

For each dataset, each candidate model trains on the part before
``valid_from`` (early stopping on ``valid_from``..``test_from``); the one
with the lowest validation MAE is then backtested on the test part (from
``test_from``: seen by neither training nor early stopping) beside the
baselines, whichever wins. The same as, per candidate,

    seqcast fit DATASET --model NAME --out m.seqcast && seqcast backtest m.seqcast DATASET

Each candidate model is tried on four transforms of the series: the level,
its change over one step, its change over a season, and window scaling
(``scaler="window"``: each input window normalised by its own statistics).
With ``--all-test`` the test MAE of every candidate is printed too, to
compare the transforms; the choice stays the validation one.

Run: .venv/bin/python scripts/real_datasets_backtest.py [--plots DIR]
     [--datasets co2] [--models gru] [--epochs 200] [--all-test]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import seqcast  # noqa: F401  (sets the JAX backend before Keras loads)
from seqcast import plots
from seqcast.data.datasets import load_dataset
from seqcast.forecaster import Forecaster

DATASETS = ("sunspots", "co2", "elnino")
CANDIDATES = ("gru", "lstm", "deep_rnn_dense", "conv_gru")
# Model the level, its change from one step to the next, or from one season to the next,
# or the level with each input window normalised by its own statistics.
TRANSFORMS = (None, 1, "season", "window")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plots", type=Path, default=None, help="write backtest plots here")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--models", nargs="+", default=list(CANDIDATES), help="zoo models")
    parser.add_argument(
        "--all-test", action="store_true", help="print every candidate's test MAE too"
    )
    args = parser.parse_args()
    for name in args.datasets:
        data = load_dataset(name)
        seen = data.frame[data.frame.index < data.test_from]
        print(
            f"\n== {name}: train < {data.valid_from:%Y-%m}, validate to {data.test_from:%Y-%m}, "
            f"test after; window {data.window}, horizon {data.horizon}, season {data.season}"
        )
        fitted = {}
        for model in args.models:
            for transform in TRANSFORMS:
                window_scaling = transform == "window"
                lag = data.season if transform == "season" else transform
                lag = None if window_scaling else lag
                started = time.perf_counter()
                forecaster = Forecaster(
                    model,
                    window=data.window,
                    horizon=data.horizon,
                    epochs=args.epochs,
                    patience=20,
                    difference=lag,
                    scaler="window" if window_scaling else "standard",
                    verbose=0,
                ).fit(seen, target=data.target, valid=data.valid_from)
                # Scored on the validation part, in the data's units, whatever was modelled.
                checked = forecaster.backtest(seen, start=data.valid_from, compare=False)
                mae = float(checked.scores["MAE"].iloc[0])
                label = f"{model} (difference {lag})" if lag else model
                label += " (window scaling)" if window_scaling else ""
                fitted[label] = (mae, forecaster)
                epochs, seconds = len(forecaster.history_["loss"]), time.perf_counter() - started
                line = f"  {label:<34} validation MAE {mae:8.4f}"
                if args.all_test:
                    tested = forecaster.backtest(
                        data.frame, start=data.test_from, compare=False, season=data.season
                    )
                    line += f"  test MAE {float(tested.scores['MAE'].iloc[0]):8.4f}"
                print(f"{line}  ({epochs} ep, {seconds:.1f} s)")
        chosen = min(fitted, key=lambda m: fitted[m][0])
        print(f"  chosen on validation: {chosen}")
        result = fitted[chosen][1].backtest(data.frame, start=data.test_from, season=data.season)
        print(result)
        if args.plots:
            plots.plot_backtest(result, args.plots / f"{name}_backtest.png")


if __name__ == "__main__":
    main()
