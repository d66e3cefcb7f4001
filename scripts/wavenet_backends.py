"""Does the book's WaveNet train to a different figure on TensorFlow than on JAX?

seqcast's ``wavenet`` row misses the book's 0.0072 (last-time-step MSE after
20 epochs), and a first benchmark saw Keras ``fit`` on TensorFlow land lower
than on JAX from one set of initial weights. This script separates the two
things that differ between such runs:

* the numerics of the backend, and
* the random batch order, which each backend draws with its own generator.

For each seed it builds the book's WaveNet, saves its initial weights and 20
batch orders (one permutation of the 7,000 training series per epoch), then
trains exactly that start on exactly those batches, in fresh processes, with
Keras ``fit`` on TensorFlow, Keras ``fit`` on JAX and seqcast's trainer
(``shuffle=False`` on the permuted data, one epoch per call). Any difference
left is numerics.

    .venv/bin/python scripts/wavenet_backends.py --seeds 0,1,2,3,4 \
        --tf-python .venv-tf/bin/python     # `make .venv-tf/.installed` builds it
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")

EPOCHS = 20


def train(trainer: str, workdir: Path) -> dict:
    """In a fresh process: train the saved start on the saved batch orders."""
    import numpy as np

    if trainer == "seqcast":
        import seqcast  # noqa: F401  (points Keras at JAX before it loads)
    import keras

    data = np.load(workdir / "data.npz")
    orders = np.load(workdir / "orders.npy")
    model = keras.models.load_model(workdir / "initial.keras", compile=False)
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(0.001))
    x, y = data["x_train"], data["y_train"]
    curve = []
    for order in orders:
        if trainer == "seqcast":
            from seqcast.training import fit

            fit(model, x[order], y[order], epochs=1, batch_size=32, shuffle=False, verbose=0)
        else:
            model.fit(x[order], y[order], epochs=1, batch_size=32, shuffle=False, verbose=0)
        y_pred = np.asarray(model.predict(data["x_valid"], batch_size=1000, verbose=0))
        curve.append(float(np.mean((data["y_valid"][:, -1] - y_pred[:, -1]) ** 2)))
    return {"trainer": trainer, "backend": keras.backend.backend(), "curve": curve}


def prepare(workdir: Path, seed: int) -> None:
    import keras
    import numpy as np

    import seqcast  # noqa: F401
    from seqcast.data import book_splits
    from seqcast.models import build_model

    data = book_splits("sequence", 10)
    np.savez(workdir / "data.npz", x_train=data.x_train, y_train=data.y_train,
             x_valid=data.x_valid, y_valid=data.y_valid)  # fmt: skip
    keras.utils.set_random_seed(seed)
    build_model("wavenet", n_steps=None, horizon=10).save(workdir / "initial.keras")
    rng = np.random.default_rng(seed)
    orders = np.stack([rng.permutation(len(data.x_train)) for _ in range(EPOCHS)])
    np.save(workdir / "orders.npy", orders)


def run(trainer: str, python: str, backend: str, workdir: Path) -> dict:
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3", SEQCAST_CACHE_DIR="off")
    command = [python, __file__, "--worker", trainer, "--workdir", str(workdir)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"{trainer} failed:\n{done.stderr[-3000:]}")
    return json.loads(line[len("RESULT ") :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--tf-python", default=".venv-tf/bin/python")
    parser.add_argument("--json", default=None, help="write every run's validation curve")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print("RESULT " + json.dumps(train(args.worker, Path(args.workdir))))
        return 0
    if not Path(args.tf_python).exists():
        sys.exit(f"no TensorFlow environment at {args.tf_python}: `make .venv-tf/.installed`")

    trainers = [
        ("keras-tf", args.tf_python, "tensorflow"),
        ("keras-jax", sys.executable, "jax"),
        ("seqcast", sys.executable, "jax"),
    ]
    finals: dict[str, list[float]] = {name: [] for name, _, _ in trainers}
    runs = []
    print(f"{'seed':>4} " + " ".join(f"{name:>10}" for name, _, _ in trainers), flush=True)
    for seed in map(int, args.seeds.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            prepare(Path(tmp), seed)
            row = []
            for name, python, backend in trainers:
                result = run(name, python, backend, Path(tmp))
                runs.append({"seed": seed, **result})
                finals[name].append(result["curve"][-1])
                row.append(result["curve"][-1])
        print(f"{seed:>4} " + " ".join(f"{v:>10.6f}" for v in row), flush=True)
    print("mean " + " ".join(f"{statistics.mean(v):>10.6f}" for v in finals.values()))
    if len(finals["keras-tf"]) > 1:
        print("sd   " + " ".join(f"{statistics.stdev(v):>10.6f}" for v in finals.values()))
    print("(last-time-step MSE on the 2,000 validation series after 20 epochs; book: 0.0072)")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
