"""Run the rows of a table in worker processes, several rows at a time.

Why: one row's training is a chain of small sequential XLA steps (a 20-unit
RNN on batches of 32), which keeps about 1.3 of this machine's 2 cores busy;
two rows side by side fill it. On the project's 2-core CPU the whole book
table took 135 s one row at a time and about 100 s two at a time.

Why the figures do not change: each row seeds its own weights and shuffling
(``keras.utils.set_random_seed``) and compiles the same programs whichever
process runs it, and rows that share a trained model (``runner.training_of``)
run in the same worker, in the table's order. ``tests/test_reproduction.py``
checks that one and two workers give the same numbers.

Example:

>>> from seqcast.experiments.runner import select_rows
>>> results = run_rows(select_rows(["naive", "naive_10"]), jobs=1, verbose=0)
>>> [round(r.value, 6) for r in results]
[0.020211, 0.256974]
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from seqcast.experiments import runner
from seqcast.experiments.runner import RowResult

MAX_DEFAULT_JOBS = 4


def available_cores() -> int:
    """The cores this process may run on (its affinity, not the whole host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows
        return os.cpu_count() or 1


def default_jobs() -> int:
    """Rows trained at a time when ``--jobs`` is not given.

    One per core up to ``MAX_DEFAULT_JOBS`` on a CPU; one on an accelerator,
    where each process would claim most of the device's memory for itself.
    """
    import jax

    if jax.default_backend() != "cpu":
        return 1
    return max(1, min(available_cores(), MAX_DEFAULT_JOBS))


def run_rows(
    rows: Sequence,
    *,
    jobs: int = 1,
    epochs: int | None = None,
    seed: int = 42,
    verbose: int = 1,
    save_model_to: Path | None = None,
) -> list[RowResult]:
    """Run ``rows`` (of either table), ``jobs`` at a time; results in the rows' order.

    With ``jobs=1`` the rows run here, one after the other, each with its own
    progress bar. With more, they run in ``jobs`` worker processes and one bar
    counts the finished rows and shows the epochs of those in progress; each
    row's figure is printed as it finishes.
    """
    settings = {"epochs": epochs, "seed": seed, "save_model_to": save_model_to}
    groups = _groups(rows)
    if jobs <= 1 or len(groups) <= 1:
        return [runner.run(row, verbose=verbose, **settings) for row in rows]
    results = _run_in_workers(groups, min(jobs, len(groups)), settings, verbose)
    return [results[row.name] for row in rows]


def _groups(rows: Sequence) -> list[list]:
    """The rows, grouped so that rows sharing a trained model stay together."""
    groups: dict[Any, list] = {}
    for position, row in enumerate(rows):
        key = runner.training_of(row)
        groups.setdefault(("alone", position) if key is None else key, []).append(row)
    return list(groups.values())


def _run_in_workers(
    groups: list[list], jobs: int, settings: dict[str, Any], verbose: int
) -> dict[str, RowResult]:
    from tqdm.auto import tqdm

    # spawn, not fork: a forked child would inherit JAX's threads mid-flight.
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    pool = context.Pool(jobs, initializer=_start_worker, initargs=(events,))
    results: dict[str, RowResult] = {}
    in_progress: dict[str, str] = {}
    n_rows = sum(map(len, groups))
    bar = tqdm(
        total=n_rows, unit="row", desc=f"{jobs} rows at a time", disable=not verbose, leave=True
    )
    try:
        # Heaviest first, so that no long row starts last while the other workers idle:
        # the book's table grows heavier as the chapter goes on (linear ... WaveNet).
        pending = [pool.apply_async(_run_group, (group, settings)) for group in groups[::-1]]
        while pending:
            for kind, name, detail in _drain(events):
                if kind == "done":
                    in_progress.pop(name, None)
                else:
                    in_progress[name] = detail
            for job in [job for job in pending if job.ready()]:
                pending.remove(job)
                for result in job.get():  # raises the worker's exception, if any
                    results[result.row.name] = result
                    bar.update(1)
                    if verbose:
                        bar.write(_one_line(result))
            bar.set_postfix_str(", ".join(f"{n} {e}" for n, e in in_progress.items()))
        pool.close()  # workers exit on their own, cleaning up after themselves
        pool.join()
    finally:
        bar.close()
        pool.terminate()  # after an error or Ctrl-C: rows still training stop here
        pool.join()
        events.close()
        events.join_thread()
    return results


def _drain(events, wait: float = 0.2) -> list[tuple[str, str, str]]:
    """The events the workers sent: wait up to ``wait`` s for the first, take the rest."""
    drained = []
    try:
        drained.append(events.get(timeout=wait) if wait else events.get_nowait())
        while True:
            drained.append(events.get_nowait())
    except queue.Empty:
        pass
    return drained


def _one_line(result: RowResult) -> str:
    """A row's figure as it finishes: ``lstm  last_time_step_mse 0.009333 (book 0.00856)``."""
    row = result.row
    against = "" if row.published is None else f" ({row.source} {row.published:g})"
    seconds = f", {result.train_seconds:.1f} s" if result.train_seconds else ""
    return f"  {row.name:<18} {row.metric} {result.value:.6g}{against}{seconds}"


# --------------------------------------------------------------------------- in the workers

_events = None  # the queue to the parent, set when a worker starts


def _start_worker(events) -> None:
    global _events
    _events = events
    # Ctrl-C reaches the whole process group; the parent handles it and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from seqcast.training import enable_compilation_cache

    enable_compilation_cache()  # the same on-disk cache as the parent (SEQCAST_CACHE_DIR)


def _run_group(rows: list, settings: dict[str, Any]) -> list[RowResult]:
    results = []
    for row in rows:
        # Book rows report their epochs; the course's (early stopping) and baselines do not.
        epochs = settings["epochs"] or getattr(row, "epochs", None)
        reports_epochs = runner.training_of(row) is not None and epochs
        _events.put(("start", row.name, f"0/{epochs}" if reports_epochs else "running"))
        callbacks = [_epoch_reporter(row.name, epochs)] if reports_epochs else None
        results.append(runner.run(row, verbose=0, callbacks=callbacks, **settings))
        _events.put(("done", row.name, ""))
    return results


def _epoch_reporter(name: str, epochs: int):
    import keras

    class EpochReporter(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            _events.put(("epoch", name, f"{epoch + 1}/{epochs}"))

    return EpochReporter()
