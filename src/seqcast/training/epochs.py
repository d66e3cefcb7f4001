"""One epoch of training, run one of two ways: a single compiled scan, or a step per batch.

Both are compiled when built, so that :func:`seqcast.training.fit` times
compilation apart from training, and both take and return the training state
(trainable, non-trainable and optimizer variables) and the epoch's mean loss
and metrics. :func:`epoch_runner` picks the way the model runs fastest.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from seqcast.training.compiled import CompiledModel


class ScannedEpoch:
    """One epoch as one compiled call (compiled on construction)."""

    def __init__(self, compiled, x, y, batch_size, shuffle, state, key, mesh=None):
        self.x, self.y = x, y
        epoch = compiled.epoch if mesh is None else compiled.on_mesh(mesh)[0]
        self._run = epoch.lower(state, x, y, key, batch_size=batch_size, shuffle=shuffle).compile()

    def __call__(self, state, key):
        return self._run(state, self.x, self.y, key)


class SteppedEpoch:
    """One compiled step per batch, dispatched from Python (compiled on construction).

    The batch order is planned on device and each step picks its batch there,
    so the per-step cost is one dispatch, as in Keras's own ``fit``.
    """

    def __init__(self, compiled, x, y, batch_size, shuffle, state, key):
        self.x, self.y, n = x, y, x.shape[0]
        self._plan = compiled.plan.lower(key, n=n, batch_size=batch_size, shuffle=shuffle).compile()
        batches, weights, tail = self._plan(key)
        self._indices = [jnp.asarray(i, dtype=jnp.int32) for i in range(batches.shape[0])]
        self._step = compiled.indexed_step.lower(
            state, x, y, batches, weights, self._indices[0]
        ).compile()
        self._tail_step = None
        if tail.shape[0]:
            self._tail_weights = jnp.ones(tail.shape[0], x.dtype)
            self._tail_step = compiled.tail_step.lower(
                state, x[tail], y[tail], self._tail_weights
            ).compile()

    def __call__(self, state, key):
        batches, weights, tail = self._plan(key)
        sums = []
        for i in self._indices:
            state, batch_sums = self._step(state, self.x, self.y, batches, weights, i)
            sums.append(batch_sums)
        if self._tail_step is not None:
            state, batch_sums = self._tail_step(
                state, self.x[tail], self.y[tail], self._tail_weights
            )
            sums.append(batch_sums)
        return state, jnp.stack(sums).sum(axis=0) / self.x.shape[0]


def epoch_runner(
    compiled: CompiledModel,
    x: Any,
    y: Any,
    batch_size: int,
    shuffle: bool,
    state: Any,
    key: jax.Array,
    mesh: Any = None,
) -> ScannedEpoch | SteppedEpoch:
    """The compiled epoch of this model: stepped where a scan is slower (CPU convolutions).

    Over a device mesh (data parallel) the epoch is always one scan.
    """
    if compiled.steps_from_python and mesh is None:
        return SteppedEpoch(compiled, x, y, batch_size, shuffle, state, key)
    return ScannedEpoch(compiled, x, y, batch_size, shuffle, state, key, mesh)
