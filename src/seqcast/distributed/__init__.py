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

The two parts: :mod:`~seqcast.distributed.cluster`, where a process stands
(:class:`Cluster`, :func:`cluster_from`), and :mod:`~seqcast.distributed.runtime`,
joining and leaving (:func:`join`, :func:`leave`, :func:`guarded`, :func:`joined`).
"""

from seqcast.distributed.cluster import (
    ENV_COORDINATOR,
    ENV_NUM_PROCESSES,
    ENV_PROCESS_ID,
    Cluster,
    cluster_from,
)
from seqcast.distributed.runtime import EXIT_STATUS, guarded, join, joined, leave

__all__ = [
    "ENV_COORDINATOR",
    "ENV_NUM_PROCESSES",
    "ENV_PROCESS_ID",
    "EXIT_STATUS",
    "Cluster",
    "cluster_from",
    "guarded",
    "join",
    "joined",
    "leave",
]
