"""The whole fit's progress bar: what watching a fit costs, and how often the bar moves.

* ``cost``: the same small fit (a GRU, early stopping) silent (one call into
  the device) and watched (a bar moved about twice a second), interleaved,
  several repeats: the median ratio of their training seconds.
* ``moves``: a larger fit, watched: how many times the bar moved, the longest
  wait between two moves, and its last line.

    python benchmarks/progress.py [--repeats 5] [--windows 20000] [--epochs 2]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("SEQCAST_CACHE_DIR", "off")

import keras
import numpy as np

import seqcast  # noqa: F401  (sets the JAX backend before Keras loads)
from seqcast.training import fit_members
from seqcast.training import whole_fit as whole_fit_module


def gru(window: int, units: int) -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((window, 1)), keras.layers.GRU(units), keras.layers.Dense(1)]
    )
    model.compile(loss="mse", optimizer="adam")
    return model


def windows(n: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    series = np.sin(np.arange(n + window + 1) * 0.1) + np.random.RandomState(0).normal(
        scale=0.1, size=n + window + 1
    )
    x = np.lib.stride_tricks.sliding_window_view(series[:-1], window)[:n, :, None]
    return x.astype("float32"), series[window : window + n, None].astype("float32")


def timed_fit(x, y, valid, epochs, verbose, window, units):
    bar = io.StringIO()
    real, whole_fit_module.progress_bar = whole_fit_module.progress_bar, _to(bar, moves := [])
    try:
        result = fit_members(
            gru(window, units), x, y, validation_data=valid, epochs=epochs, patience=5,
            seed=0, verbose=verbose,
        )  # fmt: skip
    finally:
        whole_fit_module.progress_bar = real
    return result, moves, bar.getvalue()


def _to(stream, moves):
    """``progress_bar`` drawing on ``stream``, noting the time of each move."""

    def progress_bar(*args, **kwargs):
        from tqdm import tqdm

        bar = whole_fit_module.loop_progress_bar(*args, **kwargs)
        bar.sp = tqdm.status_printer(stream)
        update = bar.update

        def noted(delta):
            moves.append((time.perf_counter(), bar.n + delta))
            return update(delta)

        bar.update = noted
        return bar

    return progress_bar


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--windows", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    whole_fit_module.loop_progress_bar = whole_fit_module.progress_bar

    x, y = windows(1200, 24)
    valid = (x[-200:], y[-200:])
    ratios = []
    timed_fit(x[:-200], y[:-200], valid, 30, 0, 24, 8)  # compile once, outside the timings
    for _ in range(args.repeats):
        silent = timed_fit(x[:-200], y[:-200], valid, 30, 0, 24, 8)[0].train_seconds
        watched_fit, moves, _ = timed_fit(x[:-200], y[:-200], valid, 30, 1, 24, 8)
        ratios.append(watched_fit.train_seconds / silent)
        print(f"small fit: silent {silent:.3f} s, watched {watched_fit.train_seconds:.3f} s "
              f"({len(moves)} moves)")  # fmt: skip
    print(f"cost: watched / silent, median of {args.repeats}: {statistics.median(ratios):.3f} "
          f"(range {min(ratios):.3f}-{max(ratios):.3f})")  # fmt: skip

    x, y = windows(args.windows, 168)
    started = time.perf_counter()
    result, moves, text = timed_fit(x, y, None, args.epochs, 1, 168, 32)
    times = [started + result.compile_seconds] + [t for t, _ in moves]
    gaps = np.diff(times)
    print(f"large fit ({args.windows} windows of 168, GRU(32), {args.epochs} epochs): "
          f"{result.train_seconds:.1f} s training, the bar moved {len(moves)} times, "
          f"longest wait {gaps.max():.2f} s, median {np.median(gaps):.2f} s")  # fmt: skip
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
    for line in lines[1:4] + lines[-1:]:
        print("  bar:", line.strip())


if __name__ == "__main__":
    main()
