"""Joining and leaving JAX's own multi-process runtime, with every failure one sentence.

Many hosts (or many processes on one host) train one model through
``jax.distributed.initialize``: process 0 runs the coordination service, every
process connects to it, and XLA's collectives (gloo on CPU) carry the
gradients. This module decides where a process stands (:func:`cluster_from`),
joins the runtime before any other JAX use (:func:`join`), leaves it
(:func:`leave`), and turns the runtime's failures into one sentence
(:func:`guarded`).

What JAX 0.10.2 does on failure, measured on CPU with gloo, and what this
module does about it:

- A coordinator that nobody answers, or a cluster that never forms (one
  process was told more processes than were started), makes JAX's ``connect``
  end the process with ``LOG(FATAL)`` (SIGABRT) after about twice its
  initialisation timeout, with no Python exception. :func:`join` therefore
  probes the coordinator's port itself first (a :class:`SeqcastError` when
  nothing listens), and a timer ends the process with the sentence and exit
  status 2 (the command line's status for a :class:`SeqcastError`) once
  ``timeout`` has passed, before JAX aborts it.
- A process told *fewer* processes than process 0 joins silently in JAX; each
  process therefore publishes its count in the coordination service's
  key-value store and :func:`join` compares them.
- A process that dies while the others are inside a collective gives them a
  Python error from gloo at once ("Connection reset by peer");
  :func:`guarded` turns it into a :class:`SeqcastError`. Left alone, the
  exit would then wait in JAX's shutdown barrier until the heartbeat timeout
  and abort, so after such a failure this process exits at interpreter exit
  with status 2 without that barrier.
- A process that dies or hangs while the others compute locally, or the death
  of process 0 (the coordination service), ends the others through JAX itself
  within ``heartbeat`` seconds (process 0's death: at once), with SIGABRT and
  JAX's line "Terminating process because the JAX distributed service
  detected fatal errors"; JAX offers no hook that Python could catch
  (``missed_heartbeat_callback`` fails with ``std::bad_cast`` in jaxlib
  0.10.2).

Files are written with :func:`seqcast.files.atomic_path`, so a process ended
by any of these leaves the earlier file, never a partial one.
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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from seqcast.errors import SeqcastError

#: The exit status of a process this module ends: the command line's for a SeqcastError.
EXIT_STATUS = 2

#: Our own environment variables; flags win over them, they win over Slurm's.
ENV_COORDINATOR = "SEQCAST_COORDINATOR"
ENV_NUM_PROCESSES = "SEQCAST_NUM_PROCESSES"
ENV_PROCESS_ID = "SEQCAST_PROCESS_ID"

# Slurm's variables, as JAX's own Slurm detection reads them.
_SLURM_NEEDED = ("SLURM_JOB_ID", "SLURM_STEP_NODELIST", "SLURM_NTASKS", "SLURM_PROCID")

_ADDRESS = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[^:\[\]\s]+):(?P<port>\d+)$")

# Words in the runtime's error messages that say a peer or the service is gone.
_RUNTIME_FAILURE = re.compile(
    r"gloo|coordination service|heartbeat|connection (reset|closed|refused)|closed by peer"
    r"|UNAVAILABLE|DEADLINE_EXCEEDED|barrier",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cluster:
    """Where this process stands: the coordinator's address, how many processes, which one.

    >>> Cluster(None, 1, 0).is_main
    True
    >>> Cluster("node1:1234", 4, 3).is_main
    False
    """

    coordinator: str | None
    num_processes: int
    process_id: int

    @property
    def is_main(self) -> bool:
        """Whether this is process 0, the one that writes files."""
        return self.process_id == 0

    @property
    def is_single(self) -> bool:
        """Whether this is the only process (no runtime to join)."""
        return self.num_processes == 1


def cluster_from(
    coordinator: str | None = None,
    num_processes: int | None = None,
    process_id: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> Cluster:
    """Where this process stands, from the flags, else the environment; checked, no JAX calls.

    Each of the three comes from its argument when given, else from
    ``SEQCAST_COORDINATOR`` / ``SEQCAST_NUM_PROCESSES`` / ``SEQCAST_PROCESS_ID``,
    else, inside a Slurm job step, from ``SLURM_NTASKS`` / ``SLURM_PROCID`` with
    the coordinator on the step's first node (the port ``JAX_COORDINATOR_PORT``,
    else one derived from the job id, as JAX derives it). With none of these it
    is one process alone.

    >>> cluster_from(environ={})
    Cluster(coordinator=None, num_processes=1, process_id=0)
    >>> cluster_from("127.0.0.1:5000", 2, 1, environ={})
    Cluster(coordinator='127.0.0.1:5000', num_processes=2, process_id=1)
    >>> cluster_from(environ={"SLURM_JOB_ID": "7", "SLURM_STEP_NODELIST": "gpu[03-04]",
    ...                       "SLURM_NTASKS": "2", "SLURM_PROCID": "1"})
    Cluster(coordinator='gpu03:61447', num_processes=2, process_id=1)
    >>> cluster_from("127.0.0.1:5000", 2, 2, environ={})
    Traceback (most recent call last):
    ...
    seqcast.errors.SeqcastError: the process id is 2 but there are 2 processes; ...
    """
    env = os.environ if environ is None else environ
    slurm = all(name in env for name in _SLURM_NEEDED)
    if num_processes is None:
        num_processes = _whole(env, ENV_NUM_PROCESSES)
        if num_processes is None and slurm:
            num_processes = _whole(env, "SLURM_NTASKS")
    if process_id is None:
        process_id = _whole(env, ENV_PROCESS_ID)
        if process_id is None and slurm:
            process_id = _whole(env, "SLURM_PROCID")
    if coordinator is None:
        coordinator = env.get(ENV_COORDINATOR) or (_slurm_coordinator(env) if slurm else None)

    n = _count(num_processes, "the number of processes")
    if n is None:
        n = 1
    pid = _count(process_id, "the process id", minimum=0)
    if pid is None:
        if n > 1:
            raise SeqcastError(
                f"there are {n} processes but this one has no process id; give each process "
                f"a distinct id from 0 to {n - 1} (--process-id or {ENV_PROCESS_ID})"
            )
        pid = 0
    if pid >= n:
        raise SeqcastError(
            f"the process id is {pid} but there are {n} processes; give each process "
            f"a distinct id from 0 to {n - 1}"
        )
    if n == 1:
        return Cluster(None, 1, 0)
    if not coordinator:
        raise SeqcastError(
            f"there are {n} processes but no coordinator address; give every process the "
            f"same HOST:PORT of process 0 (--coordinator or {ENV_COORDINATOR})"
        )
    _host_port(coordinator)
    return Cluster(coordinator, n, pid)


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


def _whole(env: Mapping[str, str], name: str) -> int | str | None:
    """The variable ``name``, as a whole number when it is one (else left for _count to refuse)."""
    value = env.get(name, "").strip()
    if not value:
        return None
    return int(value) if re.fullmatch(r"[+-]?\d+", value) else f"{value!r} (from {name})"


def _count(value: object, name: str, *, minimum: int = 1) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        shown = value if isinstance(value, str) else repr(value)
        raise SeqcastError(
            f"{name} must be a whole number of at least {minimum}, not {shown}; fix the flag "
            f"or the environment variable"
        )
    return value


def _host_port(address: str) -> tuple[str, int]:
    """Split ``HOST:PORT``; a SeqcastError for anything else."""
    found = _ADDRESS.match(address.strip())
    port = int(found["port"]) if found else 0
    if found is None or not 0 < port < 65536:
        raise SeqcastError(
            f"the coordinator address {address!r} is not HOST:PORT with a port from 1 to 65535; "
            f"give process 0's host and a free port, e.g. 10.0.0.1:1234"
        )
    return found["host"], port


def _slurm_coordinator(env: Mapping[str, str]) -> str:
    """The first node of the Slurm step, on the port JAX's Slurm detection would pick."""
    port = env.get("JAX_COORDINATOR_PORT")
    if not port:
        job = _whole(env, "SLURM_JOB_ID")
        if not isinstance(job, int):
            raise SeqcastError(
                f"SLURM_JOB_ID is {env['SLURM_JOB_ID']!r}, not a number; give the coordinator "
                f"address yourself (--coordinator or {ENV_COORDINATOR})"
            )
        # JAX's rule: a port in the top 4096 of the range, from the job id.
        port = str(65536 - 4096 + job % 4096)
    nodes = env["SLURM_STEP_NODELIST"].strip()
    # 'node1', 'node1,node2', 'node[03-07,09],other': the first name, ranges expanded.
    found = re.match(r"^([^,\[]+)(?:\[([^\]\-,]+))?", nodes)
    if found is None:
        raise SeqcastError(
            f"SLURM_STEP_NODELIST is {nodes!r}, which names no node; give the coordinator "
            f"address yourself (--coordinator or {ENV_COORDINATOR})"
        )
    return f"{found[1]}{found[2] or ''}:{port}"


def _reason(err: BaseException | None) -> str:
    """The first line of an error's message, shortened, without trailing punctuation."""
    text = str(err).strip().splitlines()[0] if err is not None and str(err).strip() else ""
    text = text or type(err).__name__
    return (text[:160] + "...") if len(text) > 160 else text.rstrip(".")
