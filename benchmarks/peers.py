"""seqcast against Darts and NeuralForecast, side by side in one run: accuracy and time.

Two tasks, each system in a fresh process, one after the other (the machine
is shared and noisy: read the ratios, not the absolute seconds):

* ``series``: the built-in real series (sunspots, co2, elnino). Every system
  gets the same window, horizon and split: it trains before ``valid_from``,
  stops early on ``valid_from``..``test_from``, never sees the test part, and
  then forecasts every test origin from the values before it, without
  refitting. The origins are those of seqcast's backtest (every step from
  ``test_from`` that leaves a whole horizon, ``seqcast.backtest.backtest_origins``),
  and one scorer computes every system's MAE over the same (origin, step)
  cells. seqcast runs ``Forecaster("gru")`` with the settings of
  ``scripts/real_datasets_backtest.py`` (200 epochs at most, patience 20, no
  differencing); the peers run a GRU of the same size (2 layers of 20 units,
  a linear head).
* ``book``: the book's synthetic series, deep RNN 20-20-Dense, batch 32,
  20 epochs, for each seed: seconds per epoch, the whole process, and the
  MSE on the 2,000 validation series.

The peers run ``benchmarks/peers_worker.py`` under ``--peers-python``, an
environment with Darts and NeuralForecast (``make bench-peers`` builds
``.venv-peers``); without it only seqcast runs. Torch runs on one thread
(``--torch-threads``): on the shared 2-core machine its default of one
thread per core made a Darts book epoch 20-30× slower (its OpenMP threads
spin while other processes hold the cores), and one thread was the fastest
setting measured. seqcast (XLA) keeps its defaults.

    python benchmarks/peers.py [--quick] [--tasks series,book] [--datasets sunspots,co2,elnino]
                               [--seeds 42,1,2] [--peers-python .venv-peers/bin/python]
                               [--timeout 1200] [--json out.json]
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

# The seqcast worker runs on JAX; set it before anything imports Keras.
os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np

DATASETS = ("sunspots", "co2", "elnino")
SYSTEMS = ("seqcast", "darts", "neuralforecast")
LABELS = {
    "seqcast": "seqcast",
    "darts": "Darts BlockRNN",
    "neuralforecast": "NeuralForecast",
}
WORKER = Path(__file__).with_name("peers_worker.py")


# --------------------------------------------------------------------------- scoring


def scored_origins(n_values: int, test_pos: int, horizon: int, window: int) -> np.ndarray:
    """The backtest's origins on the test part: every step from ``test_pos`` with a whole horizon.

    >>> scored_origins(10, 6, 2, 3).tolist()
    [6, 7, 8]
    """
    import pandas as pd

    from seqcast.backtest import backtest_origins

    index = pd.RangeIndex(n_values)
    return backtest_origins(index, test_pos, default=None, horizon=horizon, stride=1, window=window)


def cell_mae(values: np.ndarray, origins: np.ndarray, forecasts: np.ndarray) -> float:
    """MAE over every (origin, step) cell: ``forecasts[i, k]`` is ``values[origins[i] + k]``.

    >>> cell_mae(np.arange(6.0), np.array([2, 3]), np.array([[2.0, 3.0], [3.0, 5.0]]))
    0.25
    """
    from seqcast.backtest import actual_at

    forecasts = np.asarray(forecasts, dtype="float64")
    fits = forecasts.ndim == 2 and len(forecasts) == len(origins)
    if not fits or origins.max() + forecasts.shape[-1] > len(values):
        raise ValueError(
            f"forecasts {forecasts.shape} do not match {len(origins)} origins in "
            f"{len(values)} values"
        )
    actual = actual_at(values, origins, forecasts.shape[1])
    return float(np.mean(np.abs(actual - forecasts)))


# --------------------------------------------------------------------------- seqcast's worker


def seqcast_series(workdir: Path, spec: dict) -> dict:
    """``Forecaster("gru")`` fitted and backtested as scripts/real_datasets_backtest.py does."""
    import pandas as pd

    from seqcast.forecaster import Forecaster

    data = np.load(workdir / "data.npz")
    index = pd.DatetimeIndex(data["dates"], freq=spec["freq"], name="date")
    frame = pd.DataFrame({spec["target"]: data["values"]}, index=index)
    test_from = index[spec["test_pos"]]
    started = time.perf_counter()
    forecaster = Forecaster(
        "gru",
        window=spec["window"],
        horizon=spec["horizon"],
        epochs=spec["epochs"],
        patience=spec["patience"],
        seed=spec["seed"],
        verbose=0,
    ).fit(frame[index < test_from], target=spec["target"], valid=index[spec["valid_pos"]])
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = forecaster.backtest(frame, start=test_from, season=spec["season"], compare=False)
    forecast_seconds = time.perf_counter() - started
    origins = index.get_indexer(result.origins).tolist()
    if origins != spec["origins"]:
        raise RuntimeError("seqcast's backtest used other origins than the benchmark's")
    return {
        "forecasts": result.forecasts[result.model_name].tolist(),
        "own_mae": float(result.scores.loc[result.model_name, "MAE"]),
        "fit_seconds": fit_seconds,
        "forecast_seconds": forecast_seconds,
        "epochs": len(forecaster.history_["loss"]),
        "settings": "Forecaster('gru'): GRU 20 x2 seq2seq, MSE, Adam, batch 32, standard "
        "scaler, early stop val MAE, best weights",
    }


def seqcast_book(workdir: Path, spec: dict) -> dict:
    """deep_rnn_dense trained by seqcast.training.fit, as benchmarks/trainer_vs_fit.py does."""
    import keras

    import seqcast  # noqa: F401  (points Keras at JAX before it loads)
    from seqcast.models import build_model
    from seqcast.training import fit, predict

    data = np.load(workdir / "data.npz")
    started = time.perf_counter()
    keras.utils.set_random_seed(spec["seed"])
    model = build_model("deep_rnn_dense", n_steps=None, horizon=1)
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(1e-3))
    stamps: list[float] = []
    clock = keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: stamps.append(time.perf_counter()),
        on_epoch_end=lambda epoch, logs: stamps.append(time.perf_counter()),
    )
    fit(
        model,
        data["x_train"],
        data["y_train"],
        epochs=spec["epochs"],
        batch_size=32,
        validation_data=(data["x_valid"], data["y_valid"]),
        callbacks=[clock],
        seed=spec["seed"],
        verbose=0,
    )
    fit_seconds = time.perf_counter() - started
    y_pred = np.asarray(predict(model, data["x_valid"])).reshape(data["y_valid"].shape)
    return {
        "epoch_seconds": [b - a for a, b in zip(stamps[::2], stamps[1::2])],
        "fit_seconds": fit_seconds,
        "val_mse": float(np.mean((data["y_valid"] - y_pred) ** 2)),
        "settings": "deep_rnn_dense (SimpleRNN 20 x2, Dense), MSE, Adam 1e-3, batch 32, "
        "validation every epoch",
    }


# --------------------------------------------------------------------------- the parent


def prepare_series(name: str, workdir: Path, args: argparse.Namespace) -> dict:
    from seqcast.data.datasets import load_dataset

    data = load_dataset(name)
    index = data.frame.index
    values = data.frame[data.target].to_numpy(dtype="float64")
    valid_pos, test_pos = index.get_loc(data.valid_from), index.get_loc(data.test_from)
    origins = scored_origins(len(values), test_pos, data.horizon, data.window)
    np.savez(workdir / "data.npz", values=values, dates=index.to_numpy())
    spec = {
        "dataset": name,
        "target": data.target,
        "freq": index.freqstr,
        "season": data.season,
        "window": data.window,
        "horizon": data.horizon,
        "valid_pos": int(valid_pos),
        "test_pos": int(test_pos),
        "origins": origins.tolist(),
        "epochs": args.epochs,
        "patience": args.patience,
        "seed": 42,
    }
    (workdir / "spec.json").write_text(json.dumps(spec))
    return {"values": values, "origins": origins, "spec": spec}


def prepare_book(workdir: Path) -> None:
    from seqcast.data import book_splits

    data = book_splits("one_step", 1)
    np.savez(
        workdir / "data.npz",
        x_train=data.x_train,
        y_train=data.y_train.reshape(-1, 1),
        x_valid=data.x_valid,
        y_valid=data.y_valid.reshape(-1, 1),
    )


def run_system(system: str, task: str, workdir: Path, args: argparse.Namespace) -> dict | None:
    """One run in a fresh process, timed whole; None (the reason shown) if it failed."""
    if system == "seqcast":
        env = dict(os.environ, KERAS_BACKEND="jax", SEQCAST_CACHE_DIR="off")
        command = [sys.executable, __file__, "--worker", task, "--workdir", str(workdir)]
    else:
        # The peers' environment must not see seqcast's source path.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        command = [args.peers_python, str(WORKER), "--system", system, "--task", task]
        command += ["--workdir", str(workdir), "--threads", str(args.torch_threads)]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, check=False, timeout=args.timeout
        )
    except subprocess.TimeoutExpired:
        print(f"  {system}: no result within --timeout {args.timeout:.0f} s")
        return None
    wall = time.perf_counter() - started
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        print(f"  {system} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
        return None
    return {**json.loads(line[len("RESULT ") :]), "system": system, "process_seconds": wall}


def run_series(args: argparse.Namespace, systems: list[str]) -> list[dict]:
    rows = []
    for name in args.datasets.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            prepared = prepare_series(name, Path(tmp), args)
            spec = prepared["spec"]
            print(
                f"\n== {name}: window {spec['window']}, horizon {spec['horizon']}, "
                f"{len(prepared['origins'])} test origins"
            )
            for system in systems:
                result = run_system(system, "series", Path(tmp), args)
                if result is None:
                    continue
                result["dataset"] = name
                result["mae"] = cell_mae(
                    prepared["values"], prepared["origins"], np.asarray(result.pop("forecasts"))
                )
                if "own_mae" in result and not np.isclose(result["own_mae"], result["mae"]):
                    raise RuntimeError(
                        f"{name}: seqcast's backtest MAE {result['own_mae']} differs from the "
                        f"benchmark's scoring {result['mae']}: the cells are not aligned"
                    )
                print(
                    f"  {system:<15} MAE {result['mae']:9.4f}  fit {result['fit_seconds']:6.1f} s"
                    f"  process {result['process_seconds']:6.1f} s  ({result['epochs']} epochs)"
                )
                rows.append(result)
    return rows


def run_book(args: argparse.Namespace, systems: list[str]) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        prepare_book(Path(tmp))
        for seed in [int(s) for s in args.seeds.split(",")]:
            (Path(tmp) / "spec.json").write_text(
                json.dumps({"seed": seed, "epochs": args.book_epochs})
            )
            print(f"\n== book task, seed {seed}")
            for system in systems:
                result = run_system(system, "book", Path(tmp), args)
                if result is None:
                    continue
                result["seed"] = seed
                result["steady_epoch_seconds"] = steady_epoch(result["epoch_seconds"])
                print(
                    f"  {system:<15} {result['steady_epoch_seconds']:.3f} s/epoch  "
                    f"process {result['process_seconds']:6.1f} s  val MSE {result['val_mse']:.6f}"
                )
                rows.append(result)
    return rows


def steady_epoch(seconds: list[float]) -> float:
    """The median epoch after the first (which compiles or warms up).

    >>> steady_epoch([5.0, 1.0, 2.0, 1.5])
    1.5
    """
    return statistics.median(seconds[1:]) if len(seconds) > 1 else seconds[0]


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}×" if base else "–"


def print_series(rows: list[dict]) -> None:
    print("\nTest MAE over the same origins and steps (seqcast: gru); ratios against seqcast")
    header = (
        f"{'dataset':<9} {'system':<15} {'test MAE':>9} {'fit s':>7} {'process s':>9} "
        f"{'epochs':>6} {'MAE ×':>6} {'fit ×':>6} {'process ×':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        base = next(
            (r for r in rows if r["system"] == "seqcast" and r["dataset"] == row["dataset"]), {}
        )
        print(
            f"{row['dataset']:<9} {LABELS[row['system']]:<15} {row['mae']:>9.4f} "
            f"{row['fit_seconds']:>7.1f} {row['process_seconds']:>9.1f} {row['epochs']:>6g} "
            f"{_ratio(row['mae'], base.get('mae')):>6} "
            f"{_ratio(row['fit_seconds'], base.get('fit_seconds')):>6} "
            f"{_ratio(row['process_seconds'], base.get('process_seconds')):>9}"
        )


def print_book(rows: list[dict], epochs: int) -> None:
    print(f"\nBook task: deep RNN 20-20-Dense, batch 32, {epochs} epochs, per system and seed")
    header = (
        f"{'system':<15} {'s/epoch':>8} {'fit s':>7} {'process s':>9} {'val MSE':>9} "
        f"{'s/epoch ×':>9} {'process ×':>9}"
    )
    print(header)
    print("-" * len(header))
    for system in SYSTEMS:
        mine = [r for r in rows if r["system"] == system]
        base = [r for r in rows if r["system"] == "seqcast"]
        if not mine:
            continue

        def median(key: str, runs: list[dict]) -> float | None:
            return statistics.median(r[key] for r in runs) if runs else None

        epoch, process = median("steady_epoch_seconds", mine), median("process_seconds", mine)
        mses = " / ".join(f"{r['val_mse']:.5f}" for r in mine)
        print(
            f"{LABELS[system]:<15} {epoch:>8.3f} {median('fit_seconds', mine):>7.1f} "
            f"{process:>9.1f} {'':>9} {_ratio(epoch, median('steady_epoch_seconds', base)):>9} "
            f"{_ratio(process, median('process_seconds', base)):>9}"
        )
        print(f"{'':<15} val MSE, seeds {', '.join(str(r['seed']) for r in mine)}: {mses}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="series,book")
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--seeds", default="42,1,2", help="seeds of the book task")
    parser.add_argument("--epochs", type=int, default=200, help="most epochs on a series")
    parser.add_argument("--patience", type=int, default=20)
    parser.add_argument("--book-epochs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="a smoke run: sunspots, few epochs")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds for one run")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="torch threads of the peers (0: torch's default, one per core)",
    )
    parser.add_argument("--peers-python", default=None, help="python with Darts, NeuralForecast")
    parser.add_argument("--json", default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        workdir = Path(args.workdir)
        spec = json.loads((workdir / "spec.json").read_text())
        run = seqcast_series if args.worker == "series" else seqcast_book
        print("RESULT " + json.dumps(run(workdir, spec)))
        return 0

    if args.quick:
        args.datasets, args.seeds = "sunspots", "42"
        args.epochs, args.patience, args.book_epochs = 20, 5, 2
    systems = ["seqcast"]
    if args.peers_python and Path(args.peers_python).exists():
        systems += ["darts", "neuralforecast"]
    else:
        print(f"(no peers' environment at {args.peers_python!r}: `make bench-peers` builds one)")

    started = time.perf_counter()
    report: dict = {"cpu_count": os.cpu_count(), "quick": args.quick}
    tasks = args.tasks.split(",")
    if "series" in tasks:
        report["series"] = run_series(args, systems)
    if "book" in tasks:
        report["book"] = run_book(args, systems)
    if report.get("series"):
        print_series(report["series"])
    if report.get("book"):
        print_book(report["book"], args.book_epochs)
    for system in systems:
        done = [r for rows in (report.get("series", []), report.get("book", [])) for r in rows]
        settings = {r["settings"] for r in done if r["system"] == system}
        for line in sorted(settings):
            print(f"{LABELS[system]}: {line}")
    versions = next((r["versions"] for r in report.get("series", []) if "versions" in r), None)
    if versions:
        print("peers: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
