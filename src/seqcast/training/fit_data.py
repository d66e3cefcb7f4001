"""What a fit trains on, checked once and placed on the devices.

:func:`seqcast.training.fit` and :func:`seqcast.training.fit_members` take
the same arguments and refuse the same mistakes in the same words, so both
go through here: :func:`check_fit` readies the model and checks the data
and the settings, :func:`split_batches` chooses the batch size and the
device mesh, and :func:`place_fit` puts the data where the programs read it
(one device, or each device's block of the samples).

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((5, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
>>> model.compile(loss="mse", optimizer="adam")
>>> data = check_fit(model, np.zeros((10, 5, 1)), np.zeros(10), epochs=2, batch_size=32)
>>> data.y.shape, data.valid, split_batches(model, data, None)
((10, 1), None, (10, None))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
from jax.sharding import Mesh

from seqcast.checks import positive_int
from seqcast.data.windows import WindowedSeries
from seqcast.errors import SeqcastError
from seqcast.training.data_parallel import place_evaluation, place_samples
from seqcast.training.device_data import EVAL_BATCH_SIZE, evaluation_chunks, to_device
from seqcast.training.inputs import as_float_array, check_shapes
from seqcast.training.losses import compiled_metrics
from seqcast.training.mesh import mesh_for

Samples = np.ndarray | WindowedSeries


@dataclass(frozen=True)
class FitData:
    """A fit's data and settings, checked: what every way of training starts from.

    ``valid`` is ``(x_valid, y_valid)`` checked as the training data is, or
    None; ``batch_size`` is as asked (it may exceed the samples; see
    :func:`split_batches`); ``metrics`` are those the fit computes.
    """

    x: Samples
    y: Samples
    valid: tuple[Samples, Samples] | None
    epochs: int
    batch_size: int
    metrics: list


def prepare_model(model: Any, loss: Any, optimizer: Any, metrics: Sequence[Any] | None) -> list:
    """Compile ``model`` if asked, check it can train, and return the metrics to compute."""
    if not isinstance(model, keras.Model):
        raise SeqcastError(f"expected a keras.Model, got {type(model).__name__}")
    if loss is not None or optimizer is not None:
        model.compile(
            loss=loss if loss is not None else getattr(model, "loss", None) or "mse",
            optimizer=optimizer if optimizer is not None else "adam",
        )
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise SeqcastError(
            "the model has no loss or optimizer: call model.compile(loss=..., optimizer=...) "
            "or pass loss= and optimizer= to fit"
        )
    if metrics is None:
        metrics = compiled_metrics(model)
    if not model.built:
        raise SeqcastError("the model is not built; give it a keras.Input(shape=...) first")
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return list(metrics)


def check_fit(
    model: Any,
    x: Any,
    y: Any,
    validation_data: tuple[Any, Any] | None = None,
    *,
    epochs: Any,
    batch_size: Any,
    loss: Any = None,
    optimizer: Any = None,
    metrics: Sequence[Any] | None = None,
) -> FitData:
    """The model readied (see :func:`prepare_model`), the data and the settings checked.

    Each mistake is refused in one sentence naming the argument: a count
    that is not a positive integer, data that is not finite numbers, shapes
    the model does not take, validation data that is not a pair.
    """
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    metrics = prepare_model(model, loss, optimizer, metrics)
    x = as_float_array("x", x)
    y = check_shapes(model, x, as_float_array("y", y), "training data")
    valid = None
    if validation_data is not None:
        if len(validation_data) != 2:
            raise SeqcastError("validation_data must be a pair (x_valid, y_valid)")
        x_valid = as_float_array("validation x", validation_data[0])
        y_valid = check_shapes(
            model, x_valid, as_float_array("validation y", validation_data[1]), "validation data"
        )
        valid = (x_valid, y_valid)
    return FitData(x, y, valid, epochs, batch_size, metrics)


def split_batches(
    model: keras.Model, data: FitData, devices: int | Sequence[Any] | None
) -> tuple[int, Mesh | None]:
    """The batch size (at most the number of samples) and the mesh that shares each batch.

    None for the mesh: one device, the plain path. See
    :func:`seqcast.training.mesh.mesh_for` for what a mesh refuses.
    """
    batch_size = int(min(data.batch_size, data.x.shape[0]))
    return batch_size, mesh_for(model, batch_size, data.x.shape[0], devices)


def place_fit(data: FitData, mesh: Mesh | None, *, partitioned: bool = False) -> tuple:
    """``(x, y, valid)`` where the programs read them; ``valid`` as the evaluation takes it.

    On one device the samples go as they are and the validation data in
    padded chunks; over a mesh each device gets its block of both. With
    ``partitioned``, the data is this process's part of the samples.
    """
    if mesh is None:
        x, y = to_device(data.x, data.y)
        valid = evaluation_chunks(*data.valid) if data.valid is not None else None
        return x, y, valid
    x, y = place_samples(data.x, data.y, mesh, partitioned=partitioned)
    valid = None
    if data.valid is not None:
        valid = place_evaluation(*data.valid, mesh, EVAL_BATCH_SIZE, partitioned=partitioned)
    return x, y, valid
