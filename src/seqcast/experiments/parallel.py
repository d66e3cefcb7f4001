"""Run the rows of a table in worker processes, several rows at a time.

Why: one row's training is a chain of small sequential XLA steps (a 20-unit
RNN on batches of 32), which keeps only part of a 2-core CPU busy; two rows
side by side fill it, so the table finishes sooner (the README gives the
measured times).

Why the figures do not change: each row seeds its own weights and shuffling
(``keras.utils.set_random_seed``) and compiles the same programs whichever
process runs it, and rows that share a trained model (``Row.training_key``)
run in the same worker, in the table's order, with one cache of trained
models (``TrainedModels``) per group. ``tests/test_experiments_parallel.py``
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
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from seqcast.errors import SeqcastError
from seqcast.experiments import runner
from seqcast.experiments.runner import RowResult, TrainedModels

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


def workers_for(rows: Sequence, jobs: int, seeds: int = 1) -> int:
    """The workers ``jobs`` amounts to for ``rows``: no more than there are tasks.

    A task is a group of rows sharing a trained model, once per seed; 1 means
    the rows run in this process.
    """
    return max(1, min(jobs, len(_groups(rows)) * seeds))


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

    With one job the rows run here, one after the other, each with its own
    progress bar. With more, they run in worker processes and one bar counts
    the epochs of the whole table and shows the rows in progress; each row's
    figure is printed as it finishes. Workers are started with ``spawn``,
    which imports the calling script again: in a script, call this under
    ``if __name__ == "__main__":``.
    """
    results = _run(rows, [seed], jobs, epochs, verbose, save_model_to)
    return [results[row.name, seed] for row in rows]


def run_seeds(
    rows: Sequence,
    seeds: Sequence[int],
    *,
    jobs: int = 1,
    epochs: int | None = None,
    verbose: int = 1,
) -> dict[str, list[RowResult]]:
    """Every row once per seed, ``jobs`` runs at a time: ``{row name: [result per seed]}``.

    One published figure is one draw from a spread of seeds (initial weights
    and batch order); this measures the spread around it.
    """
    results = _run(rows, seeds, jobs, epochs, verbose, save_model_to=None)
    return {row.name: [results[row.name, seed] for seed in seeds] for row in rows}


def _run(
    rows: Sequence,
    seeds: Sequence[int],
    jobs: int,
    epochs: int | None,
    verbose: int,
    save_model_to: Path | None,
) -> dict[tuple[str, int], RowResult]:
    """Every row once per seed, here or in workers: results by (row name, seed)."""
    settings = {"epochs": epochs, "save_model_to": save_model_to}
    workers = workers_for(rows, jobs, len(seeds))
    if workers == 1:
        results = {}
        for seed in seeds:
            trained = TrainedModels()  # rows of this seed share models; other seeds cannot
            for row in rows:
                results[row.name, seed] = runner.run(
                    row, verbose=verbose, seed=seed, trained=trained, **settings
                )
        return results
    tasks = [(group, {**settings, "seed": seed}) for seed in seeds for group in _groups(rows)]
    return _run_in_workers(tasks, workers, verbose)


def _groups(rows: Sequence) -> list[list]:
    """The rows, grouped so that rows sharing a trained model stay together."""
    groups: dict[Any, list] = {}
    for position, row in enumerate(rows):
        key = row.training_key()
        groups.setdefault(("alone", position) if key is None else key, []).append(row)
    return list(groups.values())


def _run_in_workers(
    tasks: list[tuple[list, dict[str, Any]]], jobs: int, verbose: int
) -> dict[tuple[str, int], RowResult]:
    """Run each task (rows sharing a model, with their settings) in a worker.

    Returns the results by (row name, seed).
    """
    import jax
    from tqdm.auto import tqdm

    # Workers keep compiled programs on disk only where this process does.
    cache = jax.config.jax_compilation_cache_dir
    # spawn, not fork: a forked child would inherit JAX's threads mid-flight.
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    # An executor, not multiprocessing.Pool: if a worker dies (out of memory, a crash
    # in native code), its rows fail with BrokenProcessPool instead of never returning.
    pool = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(events, cache)
    )
    results: dict[tuple[str, int], RowResult] = {}
    in_progress: dict[tuple[str, int], str] = {}
    several_seeds = len({settings["seed"] for _, settings in tasks}) > 1

    def label(name: str, seed: int) -> str:
        return f"{name} (seed {seed})" if several_seeds else name

    # The bar counts epochs (a row without reported epochs counts as one), so that its
    # estimate of the time left does not take a 20-epoch LSTM for a naive forecast.
    units = {
        (row.name, settings["seed"]): epochs or 1
        for group, settings in tasks
        for row, epochs in zip(group, _reported_epochs(group, settings))
    }
    counted = dict.fromkeys(units, 0)

    def advance(key: tuple[str, int], to: int) -> None:
        step = min(to, units[key]) - counted[key]
        if step > 0:
            counted[key] += step
            bar.update(step)

    bar = tqdm(
        total=sum(units.values()),
        unit="epoch",
        desc=f"{len(units)} rows, {jobs} at a time",
        disable=not verbose,
        leave=True,
    )
    finished = False
    try:
        # Heaviest first, so that no long row starts last while the other workers idle:
        # the book's table grows heavier as the chapter goes on (linear ... WaveNet).
        pending = {pool.submit(_run_group, *task): task[0] for task in tasks[::-1]}
        while pending:
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for kind, name, seed, detail in _drain(events):  # what the workers said meanwhile
                if kind == "done":
                    in_progress.pop((name, seed), None)
                elif counted[name, seed] < units[name, seed]:  # not a late word on a done row
                    in_progress[name, seed] = detail
                    if kind == "epoch":
                        advance((name, seed), counted[name, seed] + 1)
            for job in done:
                group = pending.pop(job)
                for seed, result in _results_of(job, group):
                    results[result.row.name, seed] = result
                    advance((result.row.name, seed), units[result.row.name, seed])
                    in_progress.pop((result.row.name, seed), None)
                    if verbose:
                        bar.write(_one_line(result, label(result.row.name, seed)))
            bar.set_postfix_str(", ".join(f"{label(*k)} {e}" for k, e in in_progress.items()))
        finished = True
    finally:
        bar.close()
        if not finished:  # an error or Ctrl-C: rows still training stop now
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        events.close()
        events.join_thread()
    return results


def _results_of(job, group: list) -> list[tuple[int, RowResult]]:
    """A finished task's results; the worker's own exception if it raised one."""
    try:
        return job.result()
    except BrokenProcessPool as err:
        names = ", ".join(row.name for row in group)
        raise SeqcastError(
            f"a worker process died while training {names} (out of memory?); run again "
            "with --jobs 1 to train one row at a time"
        ) from err


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's processes (Python 3.14 has a method for it; before, no API)."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()


def _drain(events) -> list[tuple[str, str, int, str]]:
    """The (kind, row name, seed, detail) events the workers have sent, without waiting."""
    drained = []
    try:
        while True:
            drained.append(events.get_nowait())
    except queue.Empty:
        return drained


def _one_line(result: RowResult, label: str) -> str:
    """A row's figure as it finishes: ``lstm  last_time_step_mse 0.009333 (book 0.00856)``."""
    row = result.row
    against = "" if row.published is None else f" ({row.source} {row.published:g})"
    seconds = f", {result.train_seconds:.1f} s" if result.train_seconds else ""
    return f"  {label:<18} {row.metric} {result.value:.6g}{against}{seconds}"


# --------------------------------------------------------------------------- in the workers

_events = None  # the queue to the parent, set when a worker starts


def _start_worker(events, cache: str | None) -> None:
    global _events
    _events = events
    # Ctrl-C reaches the whole process group; the parent handles it and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if cache:
        from seqcast.training import enable_compilation_cache

        enable_compilation_cache(cache)


def _run_group(rows: list, settings: dict[str, Any]) -> list[tuple[int, RowResult]]:
    results = []
    seed = settings["seed"]
    trained = TrainedModels()  # the group's rows share a model; nothing outlives the task
    for row, epochs in zip(rows, _reported_epochs(rows, settings)):
        _events.put(("start", row.name, seed, f"0/{epochs}" if epochs else "running"))
        callbacks = [_epoch_reporter(row.name, seed, epochs)] if epochs else None
        result = runner.run(row, verbose=0, callbacks=callbacks, trained=trained, **settings)
        results.append((seed, result))
        _events.put(("done", row.name, seed, ""))
    return results


def _reported_epochs(group: list, settings: dict[str, Any]) -> list[int | None]:
    """The epochs each row of a group reports as it trains, or None.

    A book row reports its epochs, unless an earlier row of its group has
    trained its model already (``iterative`` after ``deep_rnn_dense``).
    Baselines and the course's rows (early stopping, trained by the
    Forecaster) report none.
    """
    trains = [row.training_key() is not None for row in group]
    return [
        (settings["epochs"] or row.epochs) if trains[i] and not any(trains[:i]) else None
        for i, row in enumerate(group)
    ]


def _epoch_reporter(name: str, seed: int, epochs: int):
    import keras

    class EpochReporter(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            _events.put(("epoch", name, seed, f"{epoch + 1}/{epochs}"))

    return EpochReporter()
