"""The whole fit on the device and ensembles, measured side by side in one process.

Three measurements, each printed as a table (``--json`` also writes them):

* ``warm``: a Forecaster fit of one dataset's GRU (its window, horizon and
  split; early stopping with patience 10), first in the process (it compiles)
  and again with a fresh model. Beside it, the same fit through the per-epoch
  Python loop (``training.fit`` with Keras's ``EarlyStopping``), as the
  Forecaster trained before the whole fit ran on the device.
* ``ensemble``: ``fit_members`` with K members, side by side (vmapped) and
  one after the other (the same program), against one member: seconds, and
  the ratio to K times one member.
* ``accuracy``: on the built-in datasets, an ensemble of K GRUs fitted before
  the test part, backtested on it: the ensemble's test MAE beside each
  member's (the test part chooses nothing here).
* ``process``: ``seqcast fit DATASET --model gru`` as a whole process, with
  an empty on-disk compile cache and again with it filled.

    python benchmarks/whole_fit.py [--only warm,ensemble,accuracy,process]
        [--dataset sunspots] [--members 1,10] [--accuracy-members 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")  # import sorting puts keras before seqcast
os.environ.setdefault("SEQCAST_CACHE_DIR", "off")  # in-process figures: no disk cache

import jax
import keras

import seqcast  # noqa: F401  (sets the JAX backend before Keras loads)
from seqcast import training
from seqcast.data.datasets import load_dataset
from seqcast.data.series import read_series
from seqcast.data.transform import training_end
from seqcast.forecaster import Forecaster


def forecaster(data, **params) -> Forecaster:
    return Forecaster("gru", window=data.window, horizon=data.horizon, verbose=0, **params)


def seen_part(data):
    return data.frame[data.frame.index < data.test_from]


def timed_fit(data, **params) -> tuple[float, Forecaster]:
    started = time.perf_counter()
    model = forecaster(data, **params)
    model.fit(seen_part(data), target=data.target, valid=data.valid_from)
    return time.perf_counter() - started, model


def prepared(model: Forecaster, data):
    """``model``'s fresh network and windows for ``data``'s training part, and its validation.

    What ``Forecaster.fit`` builds before it trains, so that a benchmark can
    train them its own way.
    """
    series = read_series(seen_part(data), data.target, [])
    split = training_end(series.frame.index, data.valid_from)
    setup = model._prepare(series, split, 0, "the training part")
    validation = model._windows(setup.scaled[setup.n_train - model.window :], setup.model)
    return setup, validation


def per_epoch_fit(data) -> tuple[float, int]:
    """The same fit through the Python loop of ``training.fit`` (the path before)."""
    model = forecaster(data)
    started = time.perf_counter()
    setup, validation = prepared(model, data)
    stop = keras.callbacks.EarlyStopping(
        "val_forecast_mae", patience=model.patience, mode="min", restore_best_weights=True
    )
    history = training.fit(
        setup.model, setup.x, setup.y, epochs=model.epochs, batch_size=model.batch_size,
        validation_data=validation, callbacks=[stop], metrics=["forecast_mae"],
        seed=model.seed, verbose=0,
    )  # fmt: skip
    return time.perf_counter() - started, len(history.history["loss"])


def warm(args) -> list[dict]:
    data = load_dataset(args.dataset)
    rows = []
    for run in ("first (compiles)", "second", "third"):
        seconds, model = timed_fit(data)
        rows.append(
            {
                "path": "whole fit on device",
                "run": run,
                "seconds": seconds,
                "compile": model.compile_seconds_,
                "epochs": len(model.history_["loss"]),
                "best val mae": min(model.history_["val_forecast_mae"]),
            }
        )
    for run in ("first", "second"):
        seconds, epochs = per_epoch_fit(data)
        rows.append({"path": "per-epoch Python loop", "run": run, "seconds": seconds,
                     "epochs": epochs})  # fmt: skip
    return rows


def ensemble(args) -> list[dict]:
    data = load_dataset(args.dataset)
    rows, one = [], None
    for k in [int(k) for k in args.members.split(",")]:
        for together in (True, False) if 1 < k <= args.in_turn_max else (True,):
            model = forecaster(data, ensemble=k)
            setup, validation = prepared(model, data)
            members = model._more_members(setup)
            initial = setup.model.get_weights()  # fit_members leaves member 0 trained
            times = []
            for _ in range(2):  # the first compiles
                setup.model.set_weights(initial)
                started = time.perf_counter()
                result = training.fit_members(
                    setup.model, setup.x, setup.y, members=members,
                    validation_data=validation, epochs=model.epochs, batch_size=model.batch_size,
                    patience=model.patience, monitor="val_forecast_mae",
                    metrics=["forecast_mae"], seed=model.seed, verbose=0, vmap_members=together,
                )  # fmt: skip
                times.append(time.perf_counter() - started)
            epochs = [len(h["loss"]) for h in result.histories]
            seconds = times[-1]
            if k == 1:
                one = seconds
            rows.append(
                {
                    "members": k,
                    "how": "side by side (vmap)" if together else "in turn",
                    "seconds (warm)": seconds,
                    "compile run": times[0],
                    "epochs per member (median)": statistics.median(epochs),
                    "epochs, most": max(epochs),
                    "x one member": seconds / one,
                    "x (K x one member)": seconds / (k * one),
                }
            )
    return rows


def accuracy(args) -> list[dict]:
    rows = []
    for name in args.datasets.split(","):
        data = load_dataset(name)
        _, model = timed_fit(data, ensemble=args.accuracy_members)
        ensemble_mae = float(
            model.backtest(data.frame, start=data.test_from, compare=False).scores["MAE"].iloc[0]
        )
        members = model.members_
        member_maes = []
        for weights in members:
            model.members_ = [weights]
            scores = model.backtest(data.frame, start=data.test_from, compare=False).scores
            member_maes.append(float(scores["MAE"].iloc[0]))
        model.members_ = members
        rows.append(
            {
                "dataset": name,
                "members": len(members),
                "ensemble (median) test MAE": ensemble_mae,
                "median member": statistics.median(member_maes),
                "best member": min(member_maes),
                "worst member": max(member_maes),
            }
        )
    return rows


def process(args) -> list[dict]:
    seqcast_bin = str(Path(sys.executable).with_name("seqcast"))
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "SEQCAST_CACHE_DIR": str(Path(scratch) / "xla")}
        for run in ("empty compile cache", "filled compile cache"):
            started = time.perf_counter()
            subprocess.run(
                [seqcast_bin, "fit", args.dataset, "--model", "gru", "--quiet",
                 "--out", str(Path(scratch) / "m.seqcast")],
                check=True, env=env, capture_output=True,
            )  # fmt: skip
            rows.append({"command": f"seqcast fit {args.dataset} --model gru", "run": run,
                         "seconds": time.perf_counter() - started})  # fmt: skip
    return rows


def show(title: str, rows: list[dict]) -> None:
    print(f"\n## {title}\n")
    if not rows:
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        cells = [row.get(c, "") for c in columns]
        print("| " + " | ".join(f"{c:.4g}" if isinstance(c, float) else str(c) for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="warm,ensemble,accuracy,process")
    parser.add_argument("--dataset", default="sunspots")
    parser.add_argument("--datasets", default="sunspots,co2,elnino")
    parser.add_argument("--members", default="1,10")
    parser.add_argument("--accuracy-members", type=int, default=10)
    parser.add_argument(
        "--in-turn-max", type=int, default=10, help="time members in turn only up to this K"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    device = jax.devices()[0]
    print(f"device: {device.platform} ({device.device_kind}), {os.cpu_count()} cores")
    results = {}
    for part in args.only.split(","):
        results[part] = globals()[part](args)
        show(part, results[part])
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=float))


if __name__ == "__main__":
    main()
