"""Samples kept in blocks, one per device, and the gather of a batch from them.

No device holds the data whole: each keeps one *block* of the samples (a
run of whole or partly overlapping series, or of rows). A batch's sample ids
are the same on every device (one shuffle, one key); each device cuts the
samples of its own block, zeros for the others, and a reduce-scatter hands
every device the slice of the batch it computes on. That is the only
collective written by hand, and it moves inputs, not gradients: batch ×
window × features numbers per step. :mod:`seqcast.training.data_parallel`
cuts and places the blocks.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec

from seqcast.data.windows import WindowedSeries
from seqcast.training.mesh import AXIS, mesh_size


class ShardedWindows:
    """Samples whose data lies in blocks, one per device; indexing gathers a batch.

    ``x[index]`` (inside a jitted program, ``index`` the same batch of sample
    ids on every device) returns the batch sharded over the mesh's data
    axis: device ``k`` gets samples ``index[k * b:(k + 1) * b]`` with
    ``b = len(index) / devices``. Used by the trainer exactly as an array
    or :class:`~seqcast.data.windows.WindowedSeries` is.

    ``blocks`` is ``(devices * length, *features)``, device ``k`` holding rows
    ``[k * length, (k + 1) * length)``; ``firsts``/``shifts`` the block's own
    series layout (as ``WindowedSeries.segments``, counted from the block's first
    sample and value); ``cuts`` the first sample id of each block, and the count.
    """

    def __init__(self, blocks, firsts, shifts, cuts, offsets, count, column, mesh):
        _register_with_jax()
        self.blocks, self.firsts, self.shifts, self.cuts = blocks, firsts, shifts, cuts
        self.offsets = np.asarray(offsets, dtype=np.int32)
        self.count, self.column, self.mesh = int(count), column, mesh

    @property
    def shape(self) -> tuple[int, ...]:
        features = self.blocks.shape[1:] if self.column is None else ()
        return (self.count, *self.offsets.shape, *features)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def dtype(self):
        return self.blocks.dtype

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        spec = PartitionSpec(AXIS)
        gather = jax.shard_map(
            self._gather_own,
            mesh=self.mesh,
            in_specs=(spec, spec, spec, PartitionSpec(), PartitionSpec()),
            out_specs=spec,
        )
        return gather(self.blocks, self.firsts, self.shifts, self.cuts, jnp.asarray(index))

    def _gather_own(self, block, firsts, shifts, cuts, index):
        """On one device: its block's samples of the batch, zeros elsewhere, then each its share."""
        me = jax.lax.axis_index(AXIS)
        first, end = cuts[me], cuts[me + 1]
        own = (index >= first) & (index < end)
        local = jnp.where(own, index - first, 0)
        # The block is a panel of its own: its windows are cut as any lazy windows are.
        windows = WindowedSeries(block, self.offsets, self.count, (firsts, shifts), self.column)
        values = windows[local]
        own = own.reshape(own.shape + (1,) * (values.ndim - 1))
        values = jnp.where(own, values, jnp.zeros((), values.dtype))
        # Exact: every sample is taken by one device and added to zeros by the others.
        return jax.lax.psum_scatter(values, AXIS, scatter_dimension=0, tiled=True)

    def __repr__(self) -> str:
        return f"ShardedWindows(shape={self.shape}, {mesh_size(self.mesh)} devices)"


# --------------------------------------------------------------------------- pytree

_registered = False


def _register_with_jax() -> None:
    """Let sharded samples travel through ``jax.jit``: the arrays leaves, the layout static."""
    global _registered
    if _registered:
        return
    jax.tree_util.register_pytree_node(
        ShardedWindows,
        lambda w: (
            (w.blocks, w.firsts, w.shifts, w.cuts),
            (w.offsets.shape, w.offsets.tobytes(), w.count, w.column, w.mesh),
        ),
        lambda aux, leaves: ShardedWindows(
            *leaves,
            np.frombuffer(aux[1], dtype=np.int32).reshape(aux[0]),
            aux[2],
            aux[3],
            aux[4],
        ),
    )
    _registered = True
