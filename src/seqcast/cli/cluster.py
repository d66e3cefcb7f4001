"""``fit`` by many processes, on one host or many: the flags, and the run every process makes.

:func:`add_cluster_arguments` declares ``--coordinator``, ``--num-processes``,
``--process-id`` (JAX's distributed runtime), ``--partitioned`` and
``--join-timeout``; :func:`fit_on_processes` joins the others, lets process 0
alone speak and write, and leaves only once every process is done.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from seqcast.choices import AUTO_MODEL
from seqcast.cli.arguments import positive_count
from seqcast.errors import SeqcastError

if TYPE_CHECKING:
    from seqcast.distributed import Cluster

__all__ = ["add_cluster_arguments", "fit_on_processes"]


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    """--coordinator, --num-processes, --process-id: one fit run by many processes (hosts)."""
    group = parser.add_argument_group(
        "many processes",
        "train one model with several processes, on one host or many (JAX's distributed "
        "runtime): start the same command in each, with its own --process-id; each batch is "
        "split over every process's devices and process 0 writes the model. Inside a Slurm job "
        "step the three are read from Slurm; SEQCAST_COORDINATOR, SEQCAST_NUM_PROCESSES and "
        "SEQCAST_PROCESS_ID may give them too",
    )
    group.add_argument("--coordinator", metavar="HOST:PORT", help="where process 0 listens")
    group.add_argument(
        "--num-processes",
        type=positive_count,
        metavar="N",
        help="how many processes take part, the same in each",
    )
    group.add_argument("--process-id", type=int, metavar="I", help="this process: 0 to N-1")
    group.add_argument(
        "--partitioned",
        action="store_true",
        help="each process reads only its share of DATA's series (a folder of Parquet files "
        "partitioned by --id-column, a folder of files, or one Parquet file); without it "
        "every process reads all of DATA",
    )
    group.add_argument(
        "--join-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long the processes wait for each other to start (default: 60)",
    )


def fit_on_processes(
    args: argparse.Namespace,
    cluster: Cluster,
    fit_and_save: Callable[[argparse.Namespace, Cluster], int],
) -> int:
    """``fit_and_save(args, cluster)`` as one of ``cluster``'s processes; its exit status."""
    from seqcast import distributed

    if args.model == AUTO_MODEL:
        raise SeqcastError(
            "--model auto searches on one process (its time budget would differ between "
            "processes); search alone, then fit the chosen settings with --num-processes"
        )
    if not cluster.is_main:  # process 0 speaks and writes for all
        args.quiet = True
    distributed.join(cluster, timeout=args.join_timeout)
    quiet = contextlib.nullcontext() if cluster.is_main else contextlib.redirect_stdout(None)
    with quiet, distributed.guarded("training"):
        code = fit_and_save(args, cluster)
    distributed.leave()  # waits for every process, so none leaves while others still need it
    return code
