"""Where a process stands: the coordinator's address, how many processes, which one.

:func:`cluster_from` reads it from the flags, else seqcast's own environment
variables (``SEQCAST_COORDINATOR``, ``SEQCAST_NUM_PROCESSES``,
``SEQCAST_PROCESS_ID``), else a Slurm job step's, and checks it; nothing here
calls JAX. Joining the runtime is :mod:`seqcast.distributed.runtime`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from seqcast.errors import SeqcastError

#: Our own environment variables; flags win over them, they win over Slurm's.
ENV_COORDINATOR = "SEQCAST_COORDINATOR"
ENV_NUM_PROCESSES = "SEQCAST_NUM_PROCESSES"
ENV_PROCESS_ID = "SEQCAST_PROCESS_ID"

# Slurm's variables, as JAX's own Slurm detection reads them.
_SLURM_NEEDED = ("SLURM_JOB_ID", "SLURM_STEP_NODELIST", "SLURM_NTASKS", "SLURM_PROCID")

_ADDRESS = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[^:\[\]\s]+):(?P<port>\d+)$")


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
