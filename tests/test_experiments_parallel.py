"""Rows in worker processes: the same figures as one at a time, errors as one sentence."""

import pytest


def test_default_jobs_is_one_per_core_up_to_four_on_a_cpu(monkeypatch):
    from seqcast.experiments import parallel

    for cores, jobs in [(1, 1), (2, 2), (16, 4)]:
        monkeypatch.setattr(parallel, "available_cores", lambda cores=cores: cores)
        assert parallel.default_jobs() == jobs


def test_rows_give_the_same_figures_in_worker_processes():
    """Two rows at a time (``--jobs 2``) must not change a single number."""
    from seqcast.experiments.parallel import run_rows
    from seqcast.experiments.runner import select_rows

    rows = select_rows(["naive", "linear", "deep_rnn_dense", "iterative", "linear_10"])
    alone = run_rows(rows, jobs=1, epochs=2, verbose=0)
    side_by_side = run_rows(rows, jobs=2, epochs=2, verbose=0)
    assert [r.row.name for r in side_by_side] == [row.name for row in rows]
    for one, two in zip(alone, side_by_side):
        assert two.value == one.value, one.row.name
        assert two.history == one.history, one.row.name
    # iterative reuses deep_rnn_dense's model in the same worker, as it does in one process
    assert side_by_side[3].reused and side_by_side[3].train_seconds == 0.0


def test_an_error_in_a_worker_reaches_the_caller_as_one_sentence():
    from seqcast.errors import SeqcastError
    from seqcast.experiments.parallel import run_rows
    from seqcast.experiments.runner import select_rows

    rows = select_rows(["linear", "linear_10"])
    with pytest.raises(SeqcastError, match="epochs must be a whole number"):
        run_rows(rows, jobs=2, epochs=-1, verbose=0)


class _DiesWhenUnpickled:
    """Sent to a worker, it kills that worker: a stand-in for the out-of-memory killer."""

    def __reduce__(self):
        import os

        return (os._exit, (1,))


def test_a_worker_that_dies_fails_the_run_with_one_sentence():
    from seqcast.errors import SeqcastError
    from seqcast.experiments.parallel import _run_in_workers
    from seqcast.experiments.runner import select_rows

    rows = select_rows(["naive", "naive_10"])
    settings = {"epochs": None, "seed": 42, "save_model_to": None}
    tasks = [([rows[0]], settings), ([rows[1]], {**settings, "doom": _DiesWhenUnpickled()})]
    with pytest.raises(SeqcastError, match="worker process died while training"):
        _run_in_workers(tasks, jobs=2, verbose=0)
