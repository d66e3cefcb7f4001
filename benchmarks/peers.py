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
* ``panel`` (``--panels us_employment,visnights``): one global model per
  system over every series of a built-in panel, with the dataset's window,
  horizon and split: it trains on each series before ``valid_from``, stops
  early on ``valid_from``..``test_from`` (at most ``--panel-epochs``), and
  forecasts every origin of each series' test part (stride 1) from the values
  before it, without refitting. One scorer (``panel_scores``) gives the mean
  over the series of MASE (``seqcast.metrics.mase``, scaled by each series'
  in-sample seasonal-naive MAE before ``test_from``), pooled WAPE and MAE.
  The table is also written to ``benchmarks/results/peers_panels.json``
  unless ``--json`` names another file.

The peers run ``benchmarks/peers_worker.py`` under ``--peers-python``, an
environment with Darts and NeuralForecast (``make bench-peers`` builds
``.venv-peers``); without it only seqcast runs. Torch runs on one thread
(``--torch-threads``): on the shared 2-core machine its default of one
thread per core made a Darts book epoch 20-30× slower (its OpenMP threads
spin while other processes hold the cores), and one thread was the fastest
setting measured. seqcast (XLA) keeps its defaults.

    python benchmarks/peers.py [--quick] [--tasks series,book] [--datasets sunspots,co2,elnino]
                               [--panels us_employment,visnights] [--panel-epochs 30]
                               [--panel-patience 5] [--seqcast-scaler standard]
                               [--systems seqcast,darts,neuralforecast]
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
PANELS = ("us_employment", "visnights")
SYSTEMS = ("seqcast", "darts", "neuralforecast")
LABELS = {
    "seqcast": "seqcast",
    "darts": "Darts BlockRNN",
    "neuralforecast": "NeuralForecast",
}
WORKER = Path(__file__).with_name("peers_worker.py")
RESULTS = Path(__file__).with_name("results")


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


def panel_scores(
    targets: list[np.ndarray],
    origins: list[np.ndarray],
    test_pos: list[int],
    forecasts: list[np.ndarray],
    season: int,
) -> dict[str, float]:
    """One scorer for every system on a panel: mean MASE over the series, WAPE and MAE.

    MASE is ``seqcast.metrics.mase`` of each series' (origin, step) cells,
    scaled by that series' in-sample seasonal-naive MAE on its values before
    ``test_pos``; WAPE and MAE pool every cell of every series.

    >>> y = [np.array([1.0, 2, 3, 4, 5, 6])]
    >>> panel_scores(y, [np.array([4])], [4], [np.array([[5.0, 7.0]])], season=1)
    {'mase': 0.5, 'wape': 9.090909090909092, 'mae': 0.5}
    """
    from seqcast.backtest import actual_at
    from seqcast.metrics import mase

    mases, errors, actuals = [], [], []
    for values, at, first, predicted in zip(targets, origins, test_pos, forecasts):
        predicted = np.asarray(predicted, dtype="float64")
        if predicted.shape != (len(at), predicted.shape[-1]):
            raise ValueError(f"forecasts {predicted.shape} do not match {len(at)} origins")
        actual = actual_at(values, at, predicted.shape[1])
        mases.append(mase(actual, predicted, values[:first], season=season))
        errors.append(np.abs(actual - predicted).ravel())
        actuals.append(np.abs(actual).ravel())
    error, actual = np.concatenate(errors), np.concatenate(actuals)
    return {
        "mase": float(np.nanmean(mases)),
        "wape": float(100 * error.sum() / actual.sum()),
        "mae": float(error.mean()),
    }


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


def seqcast_panel(workdir: Path, spec: dict) -> dict:
    """One global ``Forecaster("gru")`` over the panel cut at test_from, then every test origin."""
    from dataclasses import replace

    from seqcast.data.datasets import load_dataset
    from seqcast.forecaster import Forecaster
    from seqcast.panel_forecasting import Request

    dataset = load_dataset(spec["dataset"])
    panel = dataset.panel()
    if list(panel.ids) != spec["ids"]:
        raise RuntimeError("the panel's series are not those the benchmark scores")
    test_from = dataset.test_from
    # The peers get the targets alone: no static column (us_employment's Title names each
    # series once, an id and nothing more).
    no_statics = panel.statics[[]]
    panel = replace(panel, statics=no_statics)
    started = time.perf_counter()
    forecaster = Forecaster(
        "gru",
        window=spec["window"],
        horizon=spec["horizon"],
        epochs=spec["epochs"],
        patience=spec["patience"],
        scaler=spec["scaler"],
        seed=spec["seed"],
        verbose=0,
    ).fit(panel.before(test_from, "test_from"), valid=dataset.valid_from)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    requests = [
        Request(sid, series, np.asarray(at))
        for sid, series, at in zip(panel.ids, panel, spec["origins"])
    ]
    # The fitted model at the benchmark's origins, no refit (what Forecaster.backtest does).
    results = forecaster._forecast_at(panel, requests)
    return {
        "forecasts": [result.point.tolist() for result in results],
        "fit_seconds": fit_seconds,
        "forecast_seconds": time.perf_counter() - started,
        "epochs": len(forecaster.history_["loss"]),
        "settings": f"Forecaster('gru'): GRU 20 x2, MSE, Adam, batch 32, scaler={spec['scaler']!r} "
        "(fitted per series), early stop val MAE, best weights",
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


def prepare_panel(name: str, workdir: Path, args: argparse.Namespace) -> dict:
    """A built-in panel written for the workers: every target end to end, and each one's split."""
    from seqcast.data.datasets import load_dataset

    dataset = load_dataset(name)
    panel = dataset.panel()
    targets, valid_pos, test_pos, origins = [], [], [], []
    for series in panel:
        index = series.frame.index
        values = series.frame[dataset.target].to_numpy(dtype="float64")
        first = int(index.searchsorted(dataset.test_from))
        targets.append(values)
        valid_pos.append(int(index.searchsorted(dataset.valid_from)))
        test_pos.append(first)
        origins.append(scored_origins(len(values), first, dataset.horizon, dataset.window))
    np.savez(
        workdir / "data.npz",
        values=np.concatenate(targets),
        lengths=np.array([len(t) for t in targets]),
    )
    spec = {
        "dataset": name,
        "ids": list(panel.ids),
        "season": dataset.season,
        "window": dataset.window,
        "horizon": dataset.horizon,
        "valid_pos": valid_pos,
        "test_pos": test_pos,
        "origins": [o.tolist() for o in origins],
        "epochs": args.panel_epochs,
        "patience": args.panel_patience,
        "scaler": args.seqcast_scaler,
        "seed": 42,
    }
    (workdir / "spec.json").write_text(json.dumps(spec))
    return {"targets": targets, "origins": origins, "spec": spec}


def run_panels(args: argparse.Namespace, systems: list[str]) -> list[dict]:
    rows = []
    for name in args.panels.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            prepared = prepare_panel(name, Path(tmp), args)
            spec = prepared["spec"]
            print(
                f"\n== {name}: {len(spec['ids'])} series, window {spec['window']}, horizon "
                f"{spec['horizon']}, {sum(map(len, prepared['origins']))} test origins"
            )
            for system in systems:
                result = run_system(system, "panel", Path(tmp), args)
                if result is None:
                    continue
                forecasts = [np.asarray(f) for f in result.pop("forecasts")]
                result.update(
                    panel_scores(
                        prepared["targets"],
                        prepared["origins"],
                        spec["test_pos"],
                        forecasts,
                        spec["season"],
                    ),
                    dataset=name,
                )
                print(
                    f"  {system:<15} MASE {result['mase']:7.3f}  WAPE {result['wape']:6.2f} %"
                    f"  MAE {result['mae']:9.3f}  fit {result['fit_seconds']:6.1f} s"
                    f"  ({result['epochs']} epochs)"
                )
                rows.append(result)
    return rows


def print_panels(rows: list[dict]) -> None:
    print("\nOne global model per system; mean MASE over the series, pooled WAPE and MAE")
    header = (
        f"{'dataset':<14} {'system':<15} {'MASE':>6} {'WAPE %':>7} {'MAE':>9} {'fit s':>7} "
        f"{'epochs':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['dataset']:<14} {LABELS[row['system']]:<15} {row['mase']:>6.3f} "
            f"{row['wape']:>7.2f} {row['mae']:>9.3f} {row['fit_seconds']:>7.1f} "
            f"{row['epochs']:>6g}"
        )


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
    parser.add_argument(
        "--panels", default=None, help="built-in panels (us_employment,visnights): panel task only"
    )
    parser.add_argument("--panel-epochs", type=int, default=30, help="most epochs on a panel")
    parser.add_argument("--panel-patience", type=int, default=5)
    parser.add_argument("--seqcast-scaler", default="standard", help="seqcast's scaler on panels")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="which systems run")
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
        run = {"series": seqcast_series, "book": seqcast_book, "panel": seqcast_panel}[args.worker]
        print("RESULT " + json.dumps(run(workdir, spec)))
        return 0

    if args.quick:
        args.datasets, args.seeds = "sunspots", "42"
        args.epochs, args.patience, args.book_epochs = 20, 5, 2
    wanted = args.systems.split(",")
    systems = ["seqcast"] if "seqcast" in wanted else []
    if args.peers_python and Path(args.peers_python).exists():
        systems += [s for s in ("darts", "neuralforecast") if s in wanted]
    elif set(wanted) - {"seqcast"}:
        print(f"(no peers' environment at {args.peers_python!r}: `make bench-peers` builds one)")

    started = time.perf_counter()
    report: dict = {"cpu_count": os.cpu_count(), "quick": args.quick}
    tasks = ["panel"] if args.panels else args.tasks.split(",")
    if "panel" in tasks:
        report["panel"] = run_panels(args, systems)
        args.json = args.json or str(RESULTS / "peers_panels.json")
    if "series" in tasks:
        report["series"] = run_series(args, systems)
    if "book" in tasks:
        report["book"] = run_book(args, systems)
    if report.get("panel"):
        print_panels(report["panel"])
    if report.get("series"):
        print_series(report["series"])
    if report.get("book"):
        print_book(report["book"], args.book_epochs)
    for system in systems:
        done = [r for task in ("series", "book", "panel") for r in report.get(task, [])]
        settings = {r["settings"] for r in done if r["system"] == system}
        for line in sorted(settings):
            print(f"{LABELS[system]}: {line}")
    done = [*report.get("series", []), *report.get("panel", [])]
    versions = next((r["versions"] for r in done if "versions" in r), None)
    if versions:
        print("peers: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"\nwhole benchmark: {time.perf_counter() - started:.0f} s")
    if args.json:
        from seqcast.files import write_text

        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        write_text(args.json, json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
