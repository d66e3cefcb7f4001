"""``fit``, ``evaluate`` and ``predict``: the Python side around the compiled programs.

``fit`` checks its arguments and places the data (:mod:`seqcast.training.fit_data`,
shared with the whole fit), compiles the epoch ahead of time (so compilation is
timed on its own), then loops over the epochs: each epoch is one call into
:mod:`seqcast.training.epochs`, after which the Keras variables are written
back so per-epoch callbacks see, change or save the current weights.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np

from seqcast import backend_check
from seqcast.errors import SeqcastError
from seqcast.training.compiled import CompiledModel, compiled_for, jitted_for
from seqcast.training.device_data import EVAL_BATCH_SIZE, chunked, evaluation_chunks
from seqcast.training.epochs import epoch_runner
from seqcast.training.fallback import evaluate_with_keras, fit_with_keras, predict_with_keras
from seqcast.training.fit_data import check_fit, place_fit, prepare_model, split_batches
from seqcast.training.inputs import as_float_array, check_shapes
from seqcast.training.mesh import replicate, to_host
from seqcast.training.state import assign_training_state, model_state, training_state


def fit(
    model: keras.Model,
    x: Any,
    y: Any,
    *,
    epochs: int = 1,
    batch_size: int = 32,
    validation_data: tuple[Any, Any] | None = None,
    callbacks: Sequence[keras.callbacks.Callback] | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    loss: Any = None,
    optimizer: Any = None,
    metrics: Sequence[Any] | None = None,
    verbose: int = 1,
    description: str | None = None,
    devices: int | Sequence[Any] | None = None,
    partitioned: bool = False,
) -> keras.callbacks.History:
    """Train ``model`` on ``(x, y)`` like ``model.fit``, one compiled call per epoch.

    Args:
        model: a built Keras model, compiled or not (then give ``loss`` and
            ``optimizer``, which compile it).
        x, y: NumPy-compatible arrays, samples first.
        epochs: number of passes over the data (at least 1).
        batch_size: samples per gradient step; the last partial batch is kept.
        validation_data: ``(x_valid, y_valid)`` evaluated after every epoch.
        callbacks: Keras callbacks; per-epoch hooks are called.
        shuffle: reshuffle the samples every epoch (on device).
        seed: seed of the shuffling; ``None`` draws one from NumPy's global
            generator (which ``keras.utils.set_random_seed`` sets).
        loss, optimizer, metrics: as in ``model.compile``.
        verbose: 1 shows a progress bar, 0 is silent.
        description: label of the progress bar.
        devices: how many devices share each batch (data parallel over a
            mesh, see :mod:`seqcast.training.data_parallel`); None: all of this
            process's. Across processes, that many on each.
        partitioned: across processes, ``x`` and ``y`` (and the validation
            data) are this process's part of the samples, not all of them.

    Returns:
        A ``keras.callbacks.History`` with the per-epoch logs, plus
        ``compile_seconds`` and ``train_seconds`` attributes.
    """
    data = check_fit(
        model,
        x,
        y,
        validation_data,
        epochs=epochs,
        batch_size=batch_size,
        loss=loss,
        optimizer=optimizer,
        metrics=metrics,
    )
    if not backend_check.is_jax():
        return fit_with_keras(
            model,
            data.x,
            data.y,
            data.epochs,
            data.batch_size,
            validation_data,
            callbacks,
            shuffle,
            verbose,
        )
    compiled = compiled_for(model, model.loss, data.metrics)
    batch_size, mesh = split_batches(model, data, devices)
    x_dev, y_dev, valid_dev = place_fit(data, mesh, partitioned=partitioned)
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))
    base_key = jax.random.PRNGKey(seed)

    def on_devices(tree):
        return tree if mesh is None else replicate(tree, mesh)

    # Compile ahead of time so compilation is timed on its own.
    started = time.perf_counter()
    state = on_devices(training_state(model))
    epoch_fn = epoch_runner(
        compiled, x_dev, y_dev, batch_size, shuffle, state, on_devices(base_key), mesh
    )
    valid_fn = _validation(compiled, mesh, state, valid_dev)
    compile_seconds = time.perf_counter() - started

    def one_epoch(epoch: int) -> tuple[dict[str, float], float]:
        """The epoch's logs and seconds; the weights written back for the callbacks."""
        state = on_devices(training_state(model))  # callbacks may have changed weights or the lr
        started = time.perf_counter()
        key = on_devices(jax.random.fold_in(base_key, epoch))
        state, train_means = epoch_fn(state, key)
        logs = dict(zip(compiled.log_names, to_host(train_means).tolist()))
        if valid_fn is not None:
            logs.update(zip(["val_" + n for n in compiled.log_names], valid_fn(state).tolist()))
        seconds = time.perf_counter() - started
        assign_training_state(model, state if mesh is None else to_host(state))
        return logs, seconds

    history = keras.callbacks.History()
    callback_list = keras.callbacks.CallbackList(
        [*(callbacks or []), history],
        model=model,
        epochs=data.epochs,
        steps=-(-data.x.shape[0] // batch_size),
        verbose=0,
    )
    model.stop_training = False
    progress = progress_bar(data.epochs, description, verbose)
    history.train_seconds = _run_epochs(model, one_epoch, data.epochs, callback_list, progress)
    history.compile_seconds = compile_seconds
    return history


def _run_epochs(model: keras.Model, one_epoch, epochs: int, callback_list, progress) -> float:
    """``one_epoch`` run per epoch between Keras's hooks, until the last or a stop; seconds."""
    train_seconds = 0.0
    callback_list.on_train_begin()
    try:
        for epoch in range(epochs):
            callback_list.on_epoch_begin(epoch)
            logs, seconds = one_epoch(epoch)
            train_seconds += seconds
            if not np.isfinite(logs["loss"]):
                warnings.warn(
                    f"the training loss became {logs['loss']} at epoch {epoch + 1}; lower the "
                    "learning rate or clip gradients (clipnorm=1.0)",
                    stacklevel=3,
                )
            callback_list.on_epoch_end(epoch, logs)
            progress.set_postfix({k: f"{v:.4g}" for k, v in logs.items()}, refresh=False)
            progress.update(1)  # redraws with this epoch's figures
            if model.stop_training or not np.isfinite(logs["loss"]):
                break
    finally:
        progress.close()
    callback_list.on_train_end()
    return train_seconds


def _validation(compiled: CompiledModel, mesh, state, valid) -> Callable | None:
    """The compiled evaluation of the validation data: ``state -> means`` on the host."""
    if valid is None:
        return None
    evaluate = compiled.evaluate if mesh is None else compiled.on_mesh(mesh)[1]
    program = evaluate.lower(state[0], state[1], *valid).compile()
    return lambda state: to_host(program(state[0], state[1], *valid))


def evaluate(
    model: keras.Model, x: Any, y: Any, *, metrics: Sequence[Any] | None = None
) -> dict[str, float]:
    """The loss (and metrics) of ``model`` on ``(x, y)``, computed in one compiled call.

    Returns ``{"loss": ..., metric name: ...}`` averaged over all samples.
    """
    metrics = prepare_model(model, None, None, metrics)
    x = as_float_array("x", x)
    y = check_shapes(model, x, as_float_array("y", y), "evaluation data")
    if not backend_check.is_jax():
        return evaluate_with_keras(model, x, y)
    compiled = compiled_for(model, model.loss, metrics)
    means = compiled.evaluate(*model_state(model), *evaluation_chunks(x, y))
    return dict(zip(["loss", *compiled.metric_names], np.asarray(means).tolist()))


def predict(model: keras.Model, x: Any) -> np.ndarray:
    """``model``'s outputs on ``x`` (inference mode), computed in one compiled call."""
    if not isinstance(model, keras.Model):
        raise SeqcastError(f"expected a keras.Model, got {type(model).__name__}")
    x = as_float_array("x", x)
    check_shapes(model, x, None, "prediction input")
    if not backend_check.is_jax():
        return predict_with_keras(model, x)
    x_chunks, _ = chunked(x, EVAL_BATCH_SIZE)
    run = jitted_for(model, "predict", _chunked_predictions)
    out = np.asarray(run(*model_state(model), jnp.asarray(x_chunks)))
    return out.reshape(-1, *out.shape[2:])[: x.shape[0]]


def _chunked_predictions(model: keras.Model):
    def run(trainable, non_trainable, x_chunks):
        def body(_, xb):
            y_pred, _ = model.stateless_call(trainable, non_trainable, xb, training=False)
            return None, y_pred

        return jax.lax.scan(body, None, x_chunks)[1]

    return run


def progress_bar(total: int, description: str | None, verbose: int, fractional: bool = False):
    """One line per fit, one tick per epoch, the latest logs as its postfix.

    ``fractional``: the bar moves by fractions of an epoch (the whole fit's), shown as 3.27/10.
    """
    from tqdm.auto import tqdm  # loaded only when a fit runs

    counted = "{n:.2f}/{total_fmt}" if fractional else "{n_fmt}/{total_fmt}"
    return tqdm(
        total=total,
        desc=description or "training",
        unit="epoch",
        disable=not verbose,
        leave=True,
        dynamic_ncols=True,
        bar_format="{l_bar}{bar}| " + counted + " [{elapsed}<{remaining}, {rate_fmt}{postfix}]",
    )
