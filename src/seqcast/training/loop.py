"""``fit``, ``evaluate`` and ``predict``: the Python side around the compiled programs.

``fit`` checks its arguments, compiles the epoch ahead of time (so compilation
is timed on its own), then loops over the epochs: each epoch is one call into
:mod:`seqcast.training.epochs`, after which the Keras variables are written
back so per-epoch callbacks see, change or save the current weights.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np

from seqcast import backend_check
from seqcast.checks import positive_int
from seqcast.errors import SeqcastError
from seqcast.training.compiled import (
    EVAL_BATCH_SIZE,
    assign_training_state,
    chunked,
    compiled_for,
    evaluation_chunks,
    jitted_for,
    model_state,
    to_device,
    training_state,
)
from seqcast.training.data_parallel import (
    mesh_for,
    place_evaluation,
    place_samples,
    replicate,
    to_host,
)
from seqcast.training.epochs import epoch_runner
from seqcast.training.fallback import evaluate_with_keras, fit_with_keras, predict_with_keras
from seqcast.training.inputs import as_float_array, check_shapes
from seqcast.training.losses import compiled_metrics


def prepare_model(model, loss, optimizer, metrics):
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
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    metrics = prepare_model(model, loss, optimizer, metrics)
    x = as_float_array("x", x)
    y = check_shapes(model, x, as_float_array("y", y), "training data")
    if validation_data is not None:
        if len(validation_data) != 2:
            raise SeqcastError("validation_data must be a pair (x_valid, y_valid)")
        x_valid = as_float_array("validation x", validation_data[0])
        y_valid = check_shapes(
            model, x_valid, as_float_array("validation y", validation_data[1]), "validation data"
        )

    if not backend_check.is_jax():
        return fit_with_keras(
            model, x, y, epochs, batch_size, validation_data, callbacks, shuffle, verbose
        )

    compiled = compiled_for(model, model.loss, metrics)
    batch_size = int(min(batch_size, x.shape[0]))
    mesh = mesh_for(model, batch_size, x.shape[0], devices)
    if mesh is None:
        x_dev, y_dev = to_device(x, y)
    else:
        x_dev, y_dev = place_samples(x, y, mesh, partitioned=partitioned)
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
    valid_fn = None
    if validation_data is not None:
        if mesh is None:
            valid_args = evaluation_chunks(x_valid, y_valid)
            evaluate_fn = compiled.evaluate
        else:
            valid_args = place_evaluation(
                x_valid, y_valid, mesh, EVAL_BATCH_SIZE, partitioned=partitioned
            )
            evaluate_fn = compiled.on_mesh(mesh)[1]
        valid_fn = evaluate_fn.lower(state[0], state[1], *valid_args).compile()
    compile_seconds = time.perf_counter() - started

    history = keras.callbacks.History()
    callback_list = keras.callbacks.CallbackList(
        [*(callbacks or []), history],
        model=model,
        epochs=epochs,
        steps=-(-x.shape[0] // batch_size),
        verbose=0,
    )
    names = ["loss", *compiled.metric_names]
    model.stop_training = False
    progress = progress_bar(epochs, description, verbose)
    train_seconds = 0.0
    callback_list.on_train_begin()
    try:
        for epoch in range(epochs):
            callback_list.on_epoch_begin(epoch)
            # callbacks may have changed weights or the lr
            state = on_devices(training_state(model))
            started = time.perf_counter()
            key = on_devices(jax.random.fold_in(base_key, epoch))
            state, train_means = epoch_fn(state, key)
            logs = dict(zip(names, to_host(train_means).tolist()))
            if valid_fn is not None:
                valid_means = valid_fn(state[0], state[1], *valid_args)
                logs.update(zip(["val_" + n for n in names], to_host(valid_means).tolist()))
            train_seconds += time.perf_counter() - started
            assign_training_state(model, state if mesh is None else to_host(state))
            if not np.isfinite(logs["loss"]):
                warnings.warn(
                    f"the training loss became {logs['loss']} at epoch {epoch + 1}; lower the "
                    "learning rate or clip gradients (clipnorm=1.0)",
                    stacklevel=2,
                )
            callback_list.on_epoch_end(epoch, logs)
            progress.set_postfix({k: f"{v:.4g}" for k, v in logs.items()}, refresh=False)
            progress.update(1)  # redraws with this epoch's figures
            if model.stop_training or not np.isfinite(logs["loss"]):
                break
    finally:
        progress.close()
    callback_list.on_train_end()
    history.compile_seconds = compile_seconds
    history.train_seconds = train_seconds
    return history


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


def progress_bar(total: int, description: str | None, verbose: int):
    """One line per fit, one tick per epoch, the latest logs as its postfix."""
    from tqdm.auto import tqdm  # loaded only when a fit runs

    return tqdm(
        total=total,
        desc=description or "training",
        unit="epoch",
        disable=not verbose,
        leave=True,
        dynamic_ncols=True,
    )
