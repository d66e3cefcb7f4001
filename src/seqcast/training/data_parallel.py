"""Data parallel training: one global batch split over the devices of a mesh.

The trainer's programs are pure functions of (state, data), so XLA can
partition them itself: with the parameters and optimizer state replicated
and each batch's samples sharded over a ``data`` axis, the gradient of the
batch's loss is averaged across devices by the all-reduce XLA inserts for
the sum over the batch. Nothing here writes a collective for the gradients.

What XLA cannot do well by itself is the gather of a batch from data that
no device holds whole. Each device keeps one *block* of the samples (a run
of whole or partly overlapping series, or of rows), never the rest, so a
panel costs its own size once over all devices, not once per device; the
batch is gathered from the blocks by :class:`~seqcast.training.sharded.ShardedWindows`,
over the mesh that :mod:`seqcast.training.mesh` chooses. This module cuts
the samples into blocks and puts each on its device.

Samples are numbered as on one device, so the batches, and with them the
per-epoch losses, are those of a one-device fit, up to the order in which
floating-point sums are added.

Across processes (``jax.distributed``), each process puts the blocks of its
own devices: either every process holds all samples and takes its blocks
(``partitioned=False``), or each holds only its partition of the series and
the samples are numbered process by process (``partitioned=True``).

>>> _even(10, 4).tolist()  # samples per block: as even as they can be
[2, 3, 2, 3]
"""

from __future__ import annotations

from typing import Any

import jax
import keras
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from seqcast.data.windows import WindowedSeries, aligned_empty
from seqcast.errors import SeqcastError
from seqcast.training.mesh import AXIS, mesh_size, replicate
from seqcast.training.mesh import data_mesh as data_mesh  # where callers found it first
from seqcast.training.mesh import mesh_for as mesh_for  # where callers found it first
from seqcast.training.sharded import ShardedWindows

# Padding of the per-block series starts: never at or below a real sample's position.
_NO_SERIES = np.iinfo(np.int32).max


def place_samples(x: Any, y: Any, mesh: Mesh, *, partitioned: bool = False):
    """``x`` and ``y`` (arrays or lazy windows) as :class:`ShardedWindows` over ``mesh``.

    Each device of this process gets one block of consecutive samples, cut so
    the blocks hold about as many samples each. Inputs and targets cut from
    the same series share its blocks. With ``partitioned``, ``x`` and ``y``
    are this process's samples only, numbered after those of the processes
    before it.
    """
    x, y = _as_windows(x), _as_windows(y)
    shared = x.values is y.values
    counts = _block_counts(x.count, mesh, partitioned)
    cuts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    mine = _own_blocks(mesh)
    first_sample = cuts[mine[0]] if partitioned else 0
    layouts = [_with_span(x, y)] if shared else [_with_span(x), _with_span(y)]
    placed = []
    for windows, span in layouts:
        pieces = [
            _cut_block(windows, cuts[k] - first_sample, cuts[k + 1] - first_sample, span)
            for k in mine
        ]
        placed.append(_blocks_on_mesh(pieces, mesh, mine))
    x_blocks = placed[0]
    y_blocks = placed[0] if shared else placed[1]
    cuts = replicate(cuts, mesh)
    return (
        ShardedWindows(*x_blocks, cuts, x.offsets, counts.sum(), x.column, mesh),
        ShardedWindows(*y_blocks, cuts, y.offsets, counts.sum(), y.column, mesh),
    )


def place_evaluation(x: Any, y: Any, mesh: Mesh, chunk: int, *, partitioned: bool = False):
    """Validation data as the evaluation program takes it, its samples split over the devices.

    Returns ``(x, y, mask)`` of shape ``(chunks, devices * per_device, ...)``,
    sharded on the second axis: every chunk is one batch computed by all
    devices at once, padding masked out.
    """
    x, y = np.asarray(x), np.asarray(y)
    n_devices = mesh_size(mesh)
    per_device = max(1, -(-chunk // n_devices))
    counts = _block_counts(len(x), mesh, partitioned, allow_empty=True)
    mine = _own_blocks(mesh)
    starts = np.concatenate([[0], np.cumsum(counts)])
    first_sample = starts[mine[0]] if partitioned else 0
    n_chunks = max(1, int(-(-counts.max() // per_device)))
    arrays = []
    for values in (x, y, None):
        pieces = []
        for k in mine:
            lo, hi = starts[k] - first_sample, starts[k + 1] - first_sample
            shape = (n_chunks * per_device, *(values.shape[1:] if values is not None else ()))
            piece = np.zeros(shape, dtype=keras.backend.floatx())
            piece[: hi - lo] = values[lo:hi] if values is not None else 1.0
            pieces.append(piece.reshape(n_chunks, per_device, *shape[1:]))
        arrays.append(_on_own_devices(pieces, mesh, mine, axis=1))
    return tuple(arrays)


def _as_windows(data: Any) -> WindowedSeries:
    """An array of samples as lazy windows of one row each: one kind of data to cut."""
    if isinstance(data, WindowedSeries):
        return data
    array = np.asarray(data)
    return WindowedSeries(array, np.zeros((), dtype=np.int32), len(array))


def _with_span(*windows: WindowedSeries) -> tuple[WindowedSeries, int]:
    """The windows whose layout cuts the blocks, and how many values a sample reaches over."""
    span = max(int(w.offsets.max(initial=0)) + 1 for w in windows)
    return windows[0], span


def _own_blocks(mesh: Mesh) -> list[int]:
    """The positions in the mesh of this process's devices, which must follow each other."""
    here = jax.process_index()
    mine = [k for k, device in enumerate(mesh.devices.flat) if device.process_index == here]
    if mine != list(range(mine[0], mine[0] + len(mine))):
        raise SeqcastError("the mesh does not list each process's devices together; rebuild it")
    return mine


def _block_counts(n: int, mesh: Mesh, partitioned: bool, allow_empty: bool = False) -> np.ndarray:
    """How many samples each device's block holds, over the whole mesh."""
    n_devices = mesh_size(mesh)
    if partitioned and jax.process_count() > 1:
        from jax.experimental import multihost_utils

        per_process = np.asarray(multihost_utils.process_allgather(np.int64(n))).reshape(-1)
        local = len(_own_blocks(mesh))
        counts = np.concatenate([_even(int(m), local) for m in per_process])
    else:
        counts = _even(n, n_devices)
    if not allow_empty and (counts == 0).any():
        raise SeqcastError(
            f"{int(counts.sum())} training samples cannot fill {n_devices} devices; "
            "use fewer devices or more data"
        )
    return counts


def _even(n: int, parts: int) -> np.ndarray:
    """``n`` split into ``parts`` consecutive counts differing by at most one."""
    edges = (np.arange(parts + 1) * n) // parts
    return np.diff(edges)


def _cut_block(windows: WindowedSeries, lo: int, hi: int, span: int):
    """The values samples ``lo`` to ``hi`` read, and their series layout counted from there."""
    firsts, shifts = windows.segments or (np.zeros(1, np.int32), np.zeros(1, np.int32))
    firsts, shifts = np.asarray(firsts, np.int64), np.asarray(shifts, np.int64)
    s_lo = int(np.searchsorted(firsts, lo, side="right")) - 1
    s_hi = int(np.searchsorted(firsts, hi - 1, side="right")) - 1
    begin = lo + int(shifts[s_lo])
    end = hi - 1 + int(shifts[s_hi]) + span
    local_firsts = np.maximum(firsts[s_lo : s_hi + 1] - lo, 0)
    local_shifts = shifts[s_lo : s_hi + 1] + lo - begin
    return np.asarray(windows.values[begin:end]), local_firsts, local_shifts


def _blocks_on_mesh(pieces, mesh: Mesh, mine: list[int]):
    """Each device's block, padded to a common length, as global arrays sharded by device."""
    length = max(len(values) for values, _, _ in pieces)
    n_series = max(len(firsts) for _, firsts, _ in pieces)
    if jax.process_count() > 1:
        from jax.experimental import multihost_utils

        widest = multihost_utils.process_allgather(np.array([length, n_series], np.int64))
        length, n_series = (int(v) for v in np.asarray(widest).reshape(-1, 2).max(axis=0))
    out = []
    for part, pad in ((0, 0.0), (1, _NO_SERIES), (2, 0)):
        size = length if part == 0 else n_series
        dtype = None if part == 0 else np.int32
        # A generator: each padded block is made as it is placed, one host copy at a
        # time, so placing a panel costs one block more than the panel.
        blocks = (_padded(piece[part], size, pad, dtype) for piece in pieces)
        out.append(_on_own_devices(blocks, mesh, mine, axis=0))
    return tuple(out)


def _padded(array: np.ndarray, size: int, pad: float, dtype=None) -> np.ndarray:
    """``array`` padded to ``size`` rows with ``pad``, aligned so a CPU device uses it in place."""
    copy = aligned_empty((size, *array.shape[1:]), dtype or array.dtype)
    copy[: len(array)] = array
    copy[len(array) :] = pad
    return copy


def _on_own_devices(pieces, mesh: Mesh, mine: list[int], axis: int):
    """One global array from this process's pieces, piece ``i`` on device ``mine[i]``.

    The pieces are laid side by side along ``axis``, the one the mesh splits;
    each is put on its device as it comes, so a generator holds one at a time.
    """
    devices = list(mesh.devices.flat)
    on_devices = [jax.device_put(piece, devices[k]) for piece, k in zip(pieces, mine)]
    shape = list(on_devices[0].shape)
    shape[axis] *= len(devices)
    spec = PartitionSpec(*([None] * axis), AXIS)
    return jax.make_array_from_single_device_arrays(
        tuple(shape), NamedSharding(mesh, spec), on_devices
    )
