"""Data parallel training: the same losses on 1 and 4 devices, and on 1 and 2 processes.

Several devices need XLA_FLAGS before JAX starts, and several processes need
their own interpreters, so those checks run tests/workers/data_parallel.py in
subprocesses (each with a timeout, so a hang fails instead of stalling CI).
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqcast.data.windows import WindowedSeries, panel_windows
from seqcast.training.data_parallel import _cut_block, _even

WORKER = Path(__file__).parent / "workers" / "data_parallel.py"
SRC = Path(__file__).parents[1] / "src"


def run_worker(*args: str, env: dict | None = None, timeout: float = 240) -> dict:
    environ = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    done = subprocess.run(
        [sys.executable, str(WORKER), *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = [row for row in done.stdout.splitlines() if row.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def assert_same_logs(one: dict, many: dict) -> None:
    assert one.keys() == many.keys()
    for name in one:
        a, b = np.asarray(one[name]), np.asarray(many[name])
        assert a.shape == b.shape == (3,), name
        np.testing.assert_allclose(b, a, rtol=1e-5, err_msg=name)


@pytest.fixture(scope="module")
def four_devices() -> dict:
    return run_worker("devices", env={"XLA_FLAGS": "--xla_force_host_platform_device_count=4"})


def test_four_devices_give_the_per_epoch_losses_of_one(four_devices):
    assert four_devices["devices"] == 4
    one, four = four_devices["1"], four_devices["4"]
    assert_same_logs(one["whole_fit"], four["whole_fit"])
    assert_same_logs(one["arrays"], four["arrays"])
    for member_one, member_four in zip(one["ensemble"], four["ensemble"]):
        assert_same_logs(member_one, member_four)
    # the two members are different fits, not one fit twice
    assert one["ensemble"][0]["loss"] != one["ensemble"][1]["loss"]


def test_four_devices_split_the_work_and_the_data(four_devices):
    # XLA averages the gradients itself (all-reduce), and no device holds the whole panel
    assert four_devices["all_reduces"] > 0
    rows = four_devices["block_rows"]
    assert len(rows) == 4 and sum(rows) < 2 * four_devices["points"]
    assert max(rows) < four_devices["points"]


def test_what_cannot_be_split_is_refused_in_one_sentence(four_devices):
    errors = four_devices["errors"]
    assert "batch_size 30 does not split evenly over 4 devices" in errors["batch"]
    assert "BatchNormalization" in errors["batch_norm"] and "devices=1" in errors["batch_norm"]
    assert "8 devices were asked for but this process has 4 cpu devices" in errors["too_many"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_two_processes_each_with_half_the_series_train_as_one_with_all():
    alone = run_worker("process", "0", "1", "0")
    port = str(free_port())
    environ = {**os.environ, "PYTHONPATH": str(SRC)}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "process", str(i), "2", port],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
        )
        for i in range(2)
    ]
    results = []
    try:
        for worker in workers:
            out, err = worker.communicate(timeout=240)
            assert worker.returncode == 0, err[-3000:]
            line = [row for row in out.splitlines() if row.startswith("RESULT ")][-1]
            results.append(json.loads(line[len("RESULT ") :]))
    finally:
        for worker in workers:
            worker.kill()
    for result in results:
        assert_same_logs(alone["history"], result["history"])
        np.testing.assert_allclose(result["weights"], alone["weights"], rtol=1e-5)


def test_even_split():
    assert _even(10, 4).tolist() == [2, 3, 2, 3]
    assert _even(3, 4).tolist() == [0, 1, 1, 1]


@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 30), min_size=1, max_size=6),
    window=st.integers(1, 4),
    horizon=st.integers(1, 3),
    pieces=st.integers(1, 5),
)
def test_a_block_holds_exactly_the_windows_of_its_samples(lengths, window, horizon, pieces):
    parts = [np.arange(n, dtype="float32") + 1000 * i for i, n in enumerate(lengths)]
    if sum(max(n - window - horizon + 1, 0) for n in lengths) < 1:
        return
    x, y = panel_windows(parts, window, horizon)
    span = window + horizon
    cuts = np.concatenate([[0], np.cumsum(_even(x.count, pieces))])
    for lo, hi in itertools.pairwise(cuts):
        if hi == lo:
            continue
        values, firsts, shifts = _cut_block(x, lo, hi, span)
        segments = (firsts.astype(np.int32), shifts.astype(np.int32))
        local_x = WindowedSeries(values, x.offsets, hi - lo, segments)
        local_y = WindowedSeries(values, y.offsets, hi - lo, segments, column=0)
        index = np.arange(lo, hi)
        np.testing.assert_array_equal(local_x[index - lo], x[index])
        np.testing.assert_array_equal(local_y[index - lo], y[index])
