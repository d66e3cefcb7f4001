"""seqcast.distributed.runtime: joining JAX's runtime with other processes, and leaving it.

The multi-process tests start real processes on 127.0.0.1 through :func:`_worker`
(run with ``python -c``), each with a timeout so that nothing can hang.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from seqcast.distributed import Cluster, guarded, join, leave
from seqcast.errors import SeqcastError
from seqcast.files import remove_stale_temporaries

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"
HEARTBEAT = 4  # seconds: how long JAX lets a silent process go before it ends the others
JOIN_TIMEOUT = 20  # seconds: generous, as two processes import JAX on 2 busy cores
NEVER_TIMEOUT = 5  # seconds: for a cluster that cannot form however long it waits


# --- one process ------------------------------------------------------------------------


def test_one_process_joins_and_leaves_nothing():
    join(Cluster(None, 1, 0))
    leave()
    leave()
    with pytest.raises(ValueError, match="not the runtime's"), guarded():
        raise ValueError("not the runtime's")


def test_joining_after_jax_is_in_use_says_so():
    import jax

    jax.devices()  # this process's JAX is now in use
    with pytest.raises(SeqcastError, match="JAX is already in use in this process"):
        join(Cluster("127.0.0.1:1", 2, 1), timeout=1)


# --- several processes ------------------------------------------------------------------


def _worker(task: str, port: int, num_processes: int, process_id: int, folder: str) -> None:
    """One process of a multi-process test: ``task`` says what it does, it prints JSON lines."""
    import jax

    from seqcast.distributed import cluster_from, guarded, join, leave
    from seqcast.errors import SeqcastError
    from seqcast.files import atomic_path

    cluster = cluster_from(f"127.0.0.1:{port}", num_processes, process_id, environ={})
    try:
        timeout = {"alone": 3, "never": NEVER_TIMEOUT}.get(task, JOIN_TIMEOUT)
        join(cluster, timeout=timeout, heartbeat=HEARTBEAT)
    except SeqcastError as err:
        print(f"seqcast: error: {err}", file=sys.stderr, flush=True)
        sys.exit(2)

    from jax.sharding import Mesh, NamedSharding
    from jax.sharding import PartitionSpec as P

    # (a) one mesh over every process's devices, in JAX's global order
    mesh = Mesh(np.array(jax.devices()), ("data",))
    rows = NamedSharding(mesh, P("data"))  # split along the first axis
    whole = NamedSharding(mesh, P())  # a full copy on every device
    # (b) host data onto the mesh: each process gives its own block of rows...
    local = np.arange(12, dtype=np.float32).reshape(4, 3)[2 * process_id : 2 * process_id + 2]
    x = jax.make_array_from_process_local_data(rows, local)
    # ...or the same whole array, replicated
    weights = jax.make_array_from_process_local_data(whole, np.array([1.0, 2.0, 3.0], np.float32))
    # ...or one array per local device (here one device per process)
    y = jax.make_array_from_single_device_arrays(
        (4, 3), rows, [jax.device_put(local, d) for d in mesh.local_devices]
    )

    @jax.jit
    def total(x, w):  # XLA adds across processes from the shardings alone
        return jax.lax.with_sharding_constraint((x @ w).sum(), whole)

    psum = jax.jit(
        jax.shard_map(
            lambda b: jax.lax.psum(b.sum(0), "data"), mesh=mesh, in_specs=P("data"), out_specs=P()
        )
    )

    if task == "reduce":
        # (c) a replicated result reads back on every process
        print(
            json.dumps(
                {
                    "process": jax.process_index(),
                    "processes": jax.process_count(),
                    "devices": jax.device_count(),
                    "shape": list(x.shape),
                    "total": float(np.asarray(total(x, weights))),
                    "psum": np.asarray(psum(x)).tolist(),
                    "same": bool(np.array_equal(np.asarray(psum(y)), np.asarray(psum(x)))),
                }
            ),
            flush=True,
        )
        leave()
        return
    # task "die K": process K is killed mid-loop while the others write a file;
    # task "idle K": the same, but the others are computing alone, not in a collective
    victim = int(task.split()[1])
    target = Path(folder) / f"model-{process_id}.txt"
    try:
        with atomic_path(target) as tmp:
            tmp.write_text("partial")
            with guarded("training"):
                for step in range(1_000_000):
                    if task.startswith("die") or step == 0:
                        psum(x).block_until_ready()
                    else:
                        time.sleep(0.01)
                    if process_id == victim and step == 50:
                        (Path(folder) / "killed").write_text(repr(time.time()))
                        os.kill(os.getpid(), signal.SIGKILL)
            tmp.write_text("complete")
    except SeqcastError as err:
        print(f"seqcast: error: {err}", file=sys.stderr, flush=True)
        sys.exit(2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(task: str, port: int, num_processes: int, process_id: int, folder: Path):
    code = (
        f"import sys; sys.path.insert(0, {str(TESTS)!r}); "
        f"from test_distributed_runtime import _worker; "
        f"_worker({task!r}, {port}, {num_processes}, {process_id}, {str(folder)!r})"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLA_", "JAX_", "SLURM_"))}
    env.update(PYTHONPATH=str(SRC), JAX_PLATFORMS="cpu", SEQCAST_CACHE_DIR="off")
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen, timeout: float) -> tuple[int, str, str, float]:
    """Wait for ``process`` (killed at ``timeout``): its status, output, error and end time."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"a process ran past {timeout} s:\n{err[-2000:]}")
    return process.returncode, out, err, time.time()


def _sentence(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("seqcast: error: ")]
    assert len(lines) == 1, err[-3000:]
    return lines[0]


def test_two_processes_reduce_over_one_mesh(tmp_path):
    port = _free_port()
    started = [_start("reduce", port, 2, k, tmp_path) for k in (1, 0)]  # either may come first
    results = [_finish(p, 60) for p in started]
    for code, _, err, _ in results:
        assert code == 0, err[-3000:]
    seen = sorted((json.loads(out.splitlines()[-1]) for _, out, _, _ in results), key=str)
    rows = np.arange(12, dtype=np.float32).reshape(4, 3)
    for k, one in enumerate(sorted(seen, key=lambda s: s["process"])):
        assert one["process"] == k
        assert (one["processes"], one["devices"], one["shape"]) == (2, 2, [4, 3])
        assert one["total"] == pytest.approx(float((rows @ [1.0, 2.0, 3.0]).sum()), rel=1e-6)
        assert one["psum"] == rows.sum(0).tolist()
        assert one["same"]


def test_an_unreachable_coordinator_is_one_sentence_within_the_timeout(tmp_path):
    began = time.time()
    code, _, err, ended = _finish(_start("alone", _free_port(), 2, 1, tmp_path), 30)
    assert code == 2
    assert "process 1 cannot reach the coordinator at 127.0.0.1:" in _sentence(err)
    assert ended - began < 3 + 15  # the timeout, plus starting Python and importing JAX


def test_a_process_told_more_processes_than_process_0_stops(tmp_path):
    port = _free_port()
    started = [_start("reduce", port, 2, 0, tmp_path), _start("reduce", port, 3, 1, tmp_path)]
    for p, (me, mine, other, theirs) in zip(started, [(0, 2, 1, 3), (1, 3, 0, 2)], strict=True):
        code, _, err, _ = _finish(p, JOIN_TIMEOUT + 30)
        assert code == 2
        assert (
            f"process {me} was started for {mine} processes but process {other} for {theirs}"
            in _sentence(err)
        )


def test_a_cluster_that_never_forms_is_one_sentence_at_the_timeout(tmp_path):
    port = _free_port()
    began = time.time()
    started = [_start("never", port, 3, 0, tmp_path), _start("never", port, 2, 1, tmp_path)]
    for k, p in enumerate(started):
        code, _, err, ended = _finish(p, NEVER_TIMEOUT + 30)
        assert code == 2
        assert f"did not all join the coordinator at 127.0.0.1:{port} within" in _sentence(err)
        assert f"(this is process {k})" in _sentence(err)
        assert ended - began < NEVER_TIMEOUT + 15  # plus starting Python and importing JAX


def test_a_process_killed_mid_training_stops_the_other(tmp_path):
    port = _free_port()
    (tmp_path / "model-0.txt").write_text("earlier model")
    started = [_start("die 1", port, 2, k, tmp_path) for k in (0, 1)]
    code, _, err, ended = _finish(started[0], JOIN_TIMEOUT + 40)
    assert _finish(started[1], 10)[0] == -signal.SIGKILL
    killed = float((tmp_path / "killed").read_text())
    assert code == 2
    sentence = _sentence(err)
    assert "training stopped on process 0 of 2 because another process died" in sentence
    assert ended - killed < HEARTBEAT + 5  # at once, in fact: gloo sees the closed connection
    # the file process 0 was writing is the earlier one, and it left no temporary
    assert (tmp_path / "model-0.txt").read_text() == "earlier model"
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left[1:] == ["killed", "model-0.txt"]
    # only the killed process's temporary, which the next write removes
    assert left[0].startswith(".model-1~seqcast-tmp-")
    assert [p.name for p in remove_stale_temporaries(tmp_path)] == left[:1]


def test_the_coordinator_killed_mid_training_ends_the_other(tmp_path):
    port = _free_port()
    (tmp_path / "model-1.txt").write_text("earlier model")
    started = [_start("die 0", port, 2, k, tmp_path) for k in (0, 1)]
    code, _, err, ended = _finish(started[1], JOIN_TIMEOUT + 40)
    assert _finish(started[0], 10)[0] == -signal.SIGKILL
    killed = float((tmp_path / "killed").read_text())
    # Either gloo's error reaches Python first (our sentence, status 2) or JAX ends the process
    # at once for its lost coordination service (SIGABRT, with JAX's own line).
    if code == 2:
        assert "training stopped on process 1 of 2" in _sentence(err)
    else:
        assert code == -signal.SIGABRT, err[-3000:]
        assert "JAX distributed service detected fatal errors" in err
    assert ended - killed < HEARTBEAT + 5
    assert (tmp_path / "model-1.txt").read_text() == "earlier model"
    assert not (tmp_path / "model-0.txt").exists()


def test_a_process_killed_while_the_other_computes_alone_ends_it_within_the_heartbeat(tmp_path):
    # No collective sees the death: JAX's heartbeat does, and JAX ends the process itself.
    port = _free_port()
    (tmp_path / "model-0.txt").write_text("earlier model")
    started = [_start("idle 1", port, 2, k, tmp_path) for k in (0, 1)]
    code, _, err, ended = _finish(started[0], JOIN_TIMEOUT + HEARTBEAT + 40)
    assert _finish(started[1], 10)[0] == -signal.SIGKILL
    killed = float((tmp_path / "killed").read_text())
    assert code == -signal.SIGABRT, err[-3000:]
    assert "JAX distributed service detected fatal errors" in err
    assert "stopped sending heartbeats" in err
    assert HEARTBEAT - 1 < ended - killed < HEARTBEAT + 5
    assert (tmp_path / "model-0.txt").read_text() == "earlier model"
