"""seqcast.distributed.cluster: where a process stands, from flags, our environment or Slurm's."""

from __future__ import annotations

import re

import pytest

from seqcast.distributed import Cluster, cluster_from
from seqcast.errors import SeqcastError

# --- where a process stands -------------------------------------------------------------


def test_a_plain_process_is_alone():
    assert cluster_from(environ={}) == Cluster(None, 1, 0)
    assert cluster_from(environ={}).is_main


def test_flags_win_over_the_environment():
    env = {"SEQCAST_COORDINATOR": "a:1", "SEQCAST_NUM_PROCESSES": "4", "SEQCAST_PROCESS_ID": "3"}
    assert cluster_from("b:2", 2, 1, environ=env) == Cluster("b:2", 2, 1)
    assert cluster_from(environ=env) == Cluster("a:1", 4, 3)
    assert not cluster_from(environ=env).is_main


def test_our_environment_wins_over_slurm():
    slurm = {
        "SLURM_JOB_ID": "4100",
        "SLURM_STEP_NODELIST": "node[007-009,012],login",
        "SLURM_NTASKS": "4",
        "SLURM_PROCID": "2",
        "SLURM_LOCALID": "0",
    }
    # the first node of the step, the port from the job id as JAX picks it
    assert cluster_from(environ=slurm) == Cluster(f"node007:{65536 - 4096 + 4100 % 4096}", 4, 2)
    assert cluster_from(environ={**slurm, "JAX_COORDINATOR_PORT": "999"}).coordinator == (
        "node007:999"
    )
    assert cluster_from(environ={**slurm, "SLURM_STEP_NODELIST": "gpu1,gpu2"}).coordinator == (
        f"gpu1:{65536 - 4096 + 4}"
    )
    mine = {**slurm, "SEQCAST_PROCESS_ID": "1", "SEQCAST_COORDINATOR": "head:5"}
    assert cluster_from(environ=mine) == Cluster("head:5", 4, 1)


def test_a_partial_slurm_environment_is_not_a_cluster():
    assert cluster_from(environ={"SLURM_JOB_ID": "3", "SLURM_NTASKS": "8"}) == Cluster(None, 1, 0)


@pytest.mark.parametrize(
    ("arguments", "env", "says"),
    [
        (("h:1", 2, 2), {}, "the process id is 2 but there are 2 processes"),
        (("h:1", 0, 0), {}, "the number of processes must be a whole number of at least 1, not 0"),
        (("h:1", 2, -1), {}, "the process id must be a whole number of at least 0, not -1"),
        (("h:1", 2, None), {}, "no process id"),
        ((None, 2, 1), {}, "no coordinator address"),
        (("h", 2, 1), {}, "'h' is not HOST:PORT"),
        (("h:port", 2, 1), {}, "'h:port' is not HOST:PORT"),
        (("h:70000", 2, 1), {}, "port from 1 to 65535"),
        ((None, None, None), {"SEQCAST_NUM_PROCESSES": "two"}, "not 'two' (from SEQCAST_"),
        ((None, None, None), {"SEQCAST_NUM_PROCESSES": "0"}, "at least 1, not 0"),
    ],
)
def test_bad_values_are_one_sentence(arguments, env, says):
    with pytest.raises(SeqcastError, match=re.escape(says)) as caught:
        cluster_from(*arguments, environ=env)
    assert "\n" not in str(caught.value)


def test_ipv6_coordinator():
    assert cluster_from("[::1]:1234", 2, 0, environ={}).coordinator == "[::1]:1234"
