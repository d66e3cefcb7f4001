"""seqcast's compiled trainer against Keras ``model.fit``, side by side in one run.

For each model (by default the book's deep_rnn_dense and the LSTM seq2seq
model; also gru and wavenet with --models), the parent process builds the
model once, saves its initial weights as a ``.keras`` file and the book's data
as ``.npz``, then trains that same starting point in fresh subprocesses, one
after the other:

* ``seqcast``     seqcast.training.fit (JAX backend)
* ``keras-jax``   model.fit, Keras 3 on JAX
* ``keras-tf``    model.fit, Keras 3 on TensorFlow (what the book uses), from a
                  separate environment given by ``--tf-python`` (``make bench-tf``
                  builds one); skipped with a message when absent.

Each worker times every epoch with a callback (validation included, as in
``fit``). Keras compiles during its first epoch, seqcast before it (ahead of
time, timed separately), so the comparable figure is the training time after
compilation: ``sum(epochs 2..N) + median(epochs 2..N)``, the first epoch
counted at the steady rate. Compilation and total wall time are printed too.

    python benchmarks/trainer_vs_fit.py [--epochs 20] [--models deep_rnn_dense,lstm,gru,wavenet]
                                        [--tf-python .venv-tf/bin/python] [--json out.json]
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

# Each worker is told its backend; the parent (and the seqcast worker) run on JAX.
# Set it here because import sorting puts `import keras` before `import seqcast`.
os.environ.setdefault("KERAS_BACKEND", "jax")

# (zoo name, targets, horizon, learning rate, metric the book reports)
CASES = {
    "deep_rnn_dense": ("one_step", 1, 0.001, "mse"),
    "lstm": ("sequence", 10, 0.001, "last_time_step_mse"),
    "gru": ("sequence", 10, 0.001, "last_time_step_mse"),
    "wavenet": ("sequence", 10, 0.001, "last_time_step_mse"),
}


# --------------------------------------------------------------------------- workers


def _epoch_timer(keras):
    class EpochTimer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self._started = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._started)

    return EpochTimer()


def _last_time_step_mse(y_true, y_pred):
    import numpy as np

    return float(np.mean((y_true[:, -1] - y_pred[:, -1]) ** 2))


def run_worker(trainer: str, workdir: Path, epochs: int, metric: str, lr: float) -> dict:
    """Train the saved model on the saved data; runs in a fresh process."""
    import numpy as np

    if trainer == "seqcast":
        import seqcast  # noqa: F401  (points Keras at JAX before it loads)
    import keras

    data = np.load(workdir / "data.npz")
    model = keras.models.load_model(workdir / "initial.keras", compile=False)
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(lr))
    timer = _epoch_timer(keras)
    started = time.perf_counter()
    # The very same settings for every trainer.
    settings = dict(
        epochs=epochs,
        batch_size=32,
        validation_data=(data["x_valid"], data["y_valid"]),
        callbacks=[timer],
        verbose=0,
    )
    if trainer == "seqcast":
        from seqcast.training import fit, predict

        history = fit(model, data["x_train"], data["y_train"], seed=0, **settings)
        compile_seconds = history.compile_seconds
        y_pred = predict(model, data["x_valid"])
    else:
        model.fit(data["x_train"], data["y_train"], **settings)
        compile_seconds = None
        y_pred = np.asarray(model.predict(data["x_valid"], batch_size=1024, verbose=0))
    wall = time.perf_counter() - started
    y_valid = data["y_valid"]
    y_pred = y_pred.reshape(y_valid.shape)
    value = (
        _last_time_step_mse(y_valid, y_pred)
        if metric == "last_time_step_mse"
        else float(np.mean((y_valid - y_pred) ** 2))
    )
    return {
        "trainer": trainer,
        "backend": keras.backend.backend(),
        "epoch_seconds": timer.seconds,
        "compile_seconds": compile_seconds,
        "wall_seconds": wall,
        "metric": metric,
        "value": value,
    }


# --------------------------------------------------------------------------- parent


def prepare_case(name: str, workdir: Path, seed: int) -> None:
    import keras
    import numpy as np

    import seqcast  # noqa: F401
    from seqcast.data import book_splits
    from seqcast.models import build_model

    targets, horizon, _, _ = CASES[name]
    data = book_splits(targets, horizon)
    np.savez(
        workdir / "data.npz",
        x_train=data.x_train,
        y_train=data.y_train,
        x_valid=data.x_valid,
        y_valid=data.y_valid,
    )
    keras.utils.set_random_seed(seed)
    build_model(name, n_steps=None, horizon=horizon).save(workdir / "initial.keras")


def run_trainer(
    trainer: str, python: str, backend: str, workdir: str, epochs: int, metric: str, lr: float
) -> dict | None:
    """One training run in a fresh process; None (with its stderr shown) if it failed."""
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3", SEQCAST_CACHE_DIR="off")
    worker = "seqcast" if trainer == "seqcast" else "keras"
    command = [
        python,
        __file__,
        "--worker",
        worker,
        "--workdir",
        workdir,
        "--epochs",
        str(epochs),
        "--metric",
        metric,
        "--lr",
        str(lr),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        print(done.stderr[-3000:])
        return None
    return {**summarize(json.loads(line[len("RESULT ") :])), "trainer": trainer}


def median_run(trainer: str, results: list[dict]) -> dict:
    """The run with the median training time, plus every run's time for the record."""
    ordered = sorted(results, key=lambda r: r["train_seconds_after_compile"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["all_train_seconds_after_compile"] = [r["train_seconds_after_compile"] for r in results]
    return chosen


def summarize(result: dict) -> dict:
    epochs = result["epoch_seconds"]
    steady = statistics.median(epochs[1:]) if len(epochs) > 1 else epochs[0]
    after_compile = sum(epochs[1:]) + steady
    compile_seconds = result["compile_seconds"]
    if compile_seconds is None:  # Keras compiles inside its first epoch
        compile_seconds = max(0.0, epochs[0] - steady)
    return {
        **result,
        "steady_epoch_seconds": steady,
        "train_seconds_after_compile": after_compile,
        "compile_seconds": compile_seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--models", default="deep_rnn_dense,lstm")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="train each trainer this many times, interleaved; medians are reported",
    )
    parser.add_argument(
        "--tf-python", default=None, help="python of an environment with tensorflow-cpu"
    )
    parser.add_argument("--json", default=None)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--metric", default="mse", help=argparse.SUPPRESS)
    parser.add_argument("--lr", type=float, default=0.001, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        result = run_worker(args.worker, Path(args.workdir), args.epochs, args.metric, args.lr)
        print("RESULT " + json.dumps(result))
        return 0

    trainers = [("seqcast", sys.executable, "jax"), ("keras-jax", sys.executable, "jax")]
    tf_python = args.tf_python
    if tf_python and Path(tf_python).exists():
        trainers.append(("keras-tf", tf_python, "tensorflow"))
    else:
        print(f"(no TensorFlow environment at {tf_python!r}: run `make bench-tf` to add keras-tf)")

    report = {"epochs": args.epochs, "cpu_count": os.cpu_count(), "cases": {}}
    for name in args.models.split(","):
        _, _, lr, metric = CASES[name]
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            prepare_case(name, workdir, args.seed)
            runs: dict[str, list[dict]] = {trainer: [] for trainer, _, _ in trainers}
            # Interleave the trainers so that drift in the machine's load hits all alike.
            for _ in range(args.repeats):
                for trainer, python, backend in trainers:
                    result = run_trainer(trainer, python, backend, tmp, args.epochs, metric, lr)
                    if result is None:
                        print(f"{name} / {trainer} failed")
                    else:
                        runs[trainer].append(result)
            rows = [median_run(trainer, results) for trainer, results in runs.items() if results]
        report["cases"][name] = rows
        print_case(name, rows, args.epochs)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


def print_case(name: str, rows: list[dict], epochs: int) -> None:
    base = next((r for r in rows if r["trainer"] == "seqcast"), None)
    print(f"\n{name}: {epochs} epochs, 7000 series, batch 32, validation every epoch")
    header = (
        f"{'trainer':<10} {'s/epoch':>8} {f'{epochs} ep (s)':>10} {'compile s':>9} {'wall s':>7} "
        f"{'val metric':>12} {'seqcast faster':>14}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = (
            r["train_seconds_after_compile"] / base["train_seconds_after_compile"]
            if base
            else float("nan")
        )
        print(
            f"{r['trainer']:<10} {r['steady_epoch_seconds']:>8.3f} "
            f"{r['train_seconds_after_compile']:>10.2f} {r['compile_seconds']:>9.2f} "
            f"{r['wall_seconds']:>7.1f} {r['value']:>12.6f} {ratio:>13.2f}×"
        )


if __name__ == "__main__":
    sys.exit(main())
