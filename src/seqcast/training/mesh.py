"""The device mesh a fit trains over, and values held whole by every device of it.

Data parallel training (:mod:`seqcast.training.data_parallel`) splits each
batch over the devices of a one-axis mesh; the weights, the optimizer's
state and the shuffling key are replicated on every device. This module
chooses that mesh (refusing, in one sentence, what cannot be split the same
way) and moves replicated values there and back.

>>> import jax, numpy as np
>>> data_mesh(None) is None or len(jax.devices()) > 1   # one device: no mesh, nothing changes
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import keras
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from seqcast.errors import SeqcastError

#: The mesh axis the samples are split over.
AXIS = "data"


def data_mesh(devices: int | Sequence[Any] | None = None) -> Mesh | None:
    """The mesh to train over, or None for one device (the plain, unchanged path).

    ``devices`` is how many devices of this process to use (default: all of
    the default backend's), or the devices themselves. Across processes the
    mesh holds that many devices of every process, process by process.

    >>> data_mesh(1) is None
    True
    """
    local = jax.local_devices()
    if devices is None:
        chosen = local
    elif isinstance(devices, (int, np.integer)) and not isinstance(devices, bool):
        if devices < 1:
            raise SeqcastError(f"devices must be at least 1, got {devices}")
        if devices > len(local):
            kind = local[0].platform
            hint = (
                f"; on a CPU, XLA_FLAGS=--xla_force_host_platform_device_count={devices} "
                "set before starting Python splits it into that many devices"
                if kind == "cpu"
                else ""
            )
            raise SeqcastError(
                f"{devices} devices were asked for but this process has {len(local)} "
                f"{kind} device{'s' if len(local) > 1 else ''}; ask for at most {len(local)}{hint}"
            )
        chosen = local[:devices]
    else:
        chosen = list(devices)
    if jax.process_count() > 1:
        per_process = len(chosen)
        chosen = [
            device
            for process in range(jax.process_count())
            for device in [d for d in jax.devices() if d.process_index == process][:per_process]
        ]
    if len(chosen) == 1:
        return None
    return Mesh(np.array(chosen), (AXIS,))


def mesh_for(
    model: keras.Model, batch_size: int, n_samples: int, devices: int | Sequence[Any] | None
) -> Mesh | None:
    """The mesh a fit of ``model`` trains over, checked; None for one device.

    Devices asked for by number must all be usable, or the fit is refused in
    one sentence. The default (None) takes as many of this process's devices
    as can share the batch evenly, and one for a model that cannot be split
    (BatchNormalization), so a script written for one device runs unchanged.
    """
    if devices is None:
        n = len(jax.local_devices())
        if _mixes_samples(model):
            n = 1
        n = max(1, min(n, n_samples))
        while batch_size % n:
            n -= 1
        devices = n
    mesh = data_mesh(devices)
    check_data_parallel(model, batch_size, mesh)
    return mesh


def _mixes_samples(model: keras.Model) -> bool:
    """BatchNormalization's statistics are the whole batch's: no device alone has them."""
    layers = model._flatten_layers()
    return any(isinstance(layer, keras.layers.BatchNormalization) for layer in layers)


def mesh_size(mesh: Mesh | None) -> int:
    """How many devices share each batch."""
    return 1 if mesh is None else int(mesh.devices.size)


def check_data_parallel(model: keras.Model, batch_size: int, mesh: Mesh | None) -> None:
    """Refuse, in one sentence, what data parallel training cannot do the same way."""
    if mesh is None:
        return
    n = mesh_size(mesh)
    if batch_size % n:
        raise SeqcastError(
            f"batch_size {batch_size} does not split evenly over {n} devices; use a multiple "
            f"of {n} (e.g. {n * max(1, round(batch_size / n))}) or fewer devices"
        )
    if _mixes_samples(model):
        raise SeqcastError(
            "BatchNormalization normalises with the statistics of the whole batch, which no "
            "device sees when the batch is split; train this model on one device (devices=1)"
        )


# --------------------------------------------------------------------------- replicated values


def replicate(tree: Any, mesh: Mesh) -> Any:
    """Every leaf of ``tree`` as one array held whole by every device of the mesh.

    Each process gives its own copy, which must be the same everywhere (the
    weights of a model built from the same seed, a shuffling key).
    """
    sharding = NamedSharding(mesh, PartitionSpec())

    def put(leaf):
        value = np.asarray(leaf)
        return jax.make_array_from_callback(value.shape, sharding, lambda index: value[index])

    return jax.tree.map(put, tree)


def to_host(tree: Any) -> Any:
    """Replicated device arrays as NumPy arrays, readable on every process."""

    def fetch(leaf):
        if isinstance(leaf, jax.Array) and not leaf.is_fully_addressable:
            return np.asarray(leaf.addressable_shards[0].data)
        return np.asarray(leaf)

    return jax.tree.map(fetch, tree)
