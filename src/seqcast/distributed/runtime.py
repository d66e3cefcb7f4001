"""Joining and leaving JAX's multi-process runtime, and its failures as one sentence.

:func:`join` joins before any other JAX use, :func:`leave` leaves, and
:func:`guarded` turns a dead peer's error into a :class:`SeqcastError`; the
package's docstring (:mod:`seqcast.distributed`) says what JAX does on each
failure and what is done about it here. Where a process stands is
:mod:`seqcast.distributed.cluster`.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator

from seqcast.distributed.cluster import Cluster, _host_port
from seqcast.errors import SeqcastError

#: The exit status of a process this module ends: the command line's for a SeqcastError.
EXIT_STATUS = 2

# Words in the runtime's error messages that say a peer or the service is gone.
_RUNTIME_FAILURE = re.compile(
    r"gloo|coordination service|heartbeat|connection (reset|closed|refused)|closed by peer"
    r"|UNAVAILABLE|DEADLINE_EXCEEDED|barrier",
    re.IGNORECASE,
)


def join(cluster: Cluster, *, timeout: float = 60.0, heartbeat: float = 20.0) -> None:
    """Join JAX's runtime as ``cluster`` says, before any other JAX use; nothing for one process.

    ``timeout`` bounds the whole join: every process must have connected to
    the coordinator within it. ``heartbeat`` bounds how long the others go on
    after a process dies or hangs (JAX ends them then). Failures are one
    sentence: a :class:`SeqcastError` where JAX lets Python continue, else
    (a cluster that does not form in time) the sentence on stderr and exit
    status 2, since JAX can only abort a connection attempt by ending the process.
    """
    if cluster.is_single:
        return
    if timeout <= 0 or heartbeat <= 0:
        raise SeqcastError("the join timeout and the heartbeat must be positive seconds")
    import jax
    from jax._src import xla_bridge

    if _state.joined or jax.distributed.is_initialized():
        raise SeqcastError(
            "this process has already joined JAX's distributed runtime; join once per process"
        )
    if xla_bridge.backends_are_initialized():
        raise SeqcastError(
            "JAX is already in use in this process, so it can no longer join other processes; "
            "join before any JAX computation (or jax.devices()) runs"
        )
    assert cluster.coordinator is not None
    host, port = _host_port(cluster.coordinator)
    deadline = time.monotonic() + timeout
    if not cluster.is_main:
        _wait_for_listener(host, port, cluster, deadline)

    never_formed = (
        f"the {cluster.num_processes} processes did not all join the coordinator at "
        f"{cluster.coordinator} within {timeout:g} s (this is process {cluster.process_id}); "
        f"start every process with the same number of processes and a distinct id below it, "
        f"or give a longer timeout"
    )
    timer = threading.Timer(max(deadline - time.monotonic(), 0.0), _end, (never_formed,))
    timer.daemon = True
    timer.start()
    try:
        jax.distributed.initialize(
            coordinator_address=cluster.coordinator,
            num_processes=cluster.num_processes,
            process_id=cluster.process_id,
            # JAX's own limit must come after ours: at its end it aborts the process.
            initialization_timeout=math.ceil(timeout) + 10,
            heartbeat_timeout_seconds=max(1, math.ceil(heartbeat)),
            shutdown_timeout_seconds=max(1, math.ceil(heartbeat)),
        )
        _state.joined = True
        _state.cluster = cluster
        # Registered after JAX's own exit handler, so it runs first (atexit is last in, first out).
        atexit.register(_at_exit)
        _check_counts(cluster, deadline)
    except SeqcastError:
        timer.cancel()
        leave()
        raise
    except Exception as err:
        timer.cancel()
        raise SeqcastError(
            f"process {cluster.process_id} could not join the coordinator at "
            f"{cluster.coordinator}: {_reason(err)}; check the address and that every process "
            f"was started with the same number of processes"
        ) from err
    timer.cancel()


def leave() -> None:
    """Leave JAX's runtime if this process joined it; safe to call twice.

    The others must leave too (JAX waits for them, up to the heartbeat). After a
    failure :func:`guarded` reported, nothing is done here: JAX's shutdown would
    wait for the dead process and then abort; the process ends at exit instead.
    """
    if not _state.joined or _state.failed:
        return
    import jax

    jax.distributed.shutdown()
    _state.joined = False


@contextlib.contextmanager
def guarded(what: str = "training") -> Iterator[None]:
    """Turn the runtime's failures inside the block into one :class:`SeqcastError`.

    A collective whose peer died raises a gloo error in every survivor at
    once; this names it as what it is. Other errors pass unchanged, and
    nothing changes for a single process.
    """
    try:
        yield
    except Exception as err:
        if not _state.joined or isinstance(err, SeqcastError):
            raise
        if not _RUNTIME_FAILURE.search(str(err)):
            raise
        _state.failed = True
        cluster = _state.cluster
        assert cluster is not None
        raise SeqcastError(
            f"{what} stopped on process {cluster.process_id} of {cluster.num_processes} because "
            f"another process died or cannot be reached ({_reason(err)}); all processes stop, "
            f"so find the first failure in the other processes' output and rerun"
        ) from err


def joined() -> bool:
    """Whether this process has joined other processes through :func:`join`."""
    return _state.joined


class _State:
    joined = False
    failed = False
    cluster: Cluster | None = None


_state = _State()


def _at_exit() -> None:
    """After a runtime failure, end without JAX's shutdown barrier (it would wait, then abort)."""
    if _state.joined and _state.failed:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(EXIT_STATUS)


def _end(sentence: str) -> None:
    """Print the sentence as the command line prints a SeqcastError, and end the process now."""
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        print(f"seqcast: error: {sentence}", file=sys.stderr, flush=True)
    os._exit(EXIT_STATUS)


def _wait_for_listener(host: str, port: int, cluster: Cluster, deadline: float) -> None:
    """Wait until something listens at the coordinator's address; a SeqcastError at the deadline.

    Process 0 may start a little after the others, so refusals are retried.
    """
    last: OSError | None = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            with socket.create_connection((host.strip("[]"), port), timeout=min(left, 2.0)):
                return
        except OSError as err:
            last = err
        time.sleep(min(0.2, max(deadline - time.monotonic(), 0.0)))
    why = f": {_reason(last)}" if last is not None else ""
    raise SeqcastError(
        f"process {cluster.process_id} cannot reach the coordinator at {cluster.coordinator}"
        f"{why}; start process 0 with the same address, check the host and port, "
        f"or give a longer timeout"
    )


def _check_counts(cluster: Cluster, deadline: float) -> None:
    """Compare every process's number of processes through the coordination service.

    JAX itself lets a process that was told more processes than process 0 join.
    """
    from jax._src import distributed as jax_distributed

    client = jax_distributed.global_state.client
    me, n = cluster.process_id, cluster.num_processes
    client.key_value_set(f"seqcast/num_processes/{me}", str(n))
    others = [0] if me != 0 else range(1, n)
    for other in others:
        left_ms = max(int((deadline - time.monotonic()) * 1000), 1000)
        told = int(client.blocking_key_value_get(f"seqcast/num_processes/{other}", left_ms))
        if told != n:
            raise SeqcastError(
                f"process {me} was started for {n} processes but process {other} for {told}; "
                f"start every process with the same number of processes"
            )


def _reason(err: BaseException | None) -> str:
    """The first line of an error's message, shortened, without trailing punctuation."""
    text = str(err).strip().splitlines()[0] if err is not None and str(err).strip() else ""
    text = text or type(err).__name__
    return (text[:160] + "...") if len(text) > 160 else text.rstrip(".")
