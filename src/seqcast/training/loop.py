"""The compiled trainer: a whole epoch is one XLA call.

Keras's ``model.fit`` dispatches one jitted step per batch from Python. Here
the batches of an epoch are shuffled on device and ``lax.scan``-ned inside one
jitted function, built from Keras's own stateless API
(``model.stateless_call`` and ``optimizer.stateless_apply``), so the model,
the optimizer and the loss mean exactly what they mean in Keras, only faster.

One exception, measured: XLA's CPU backend generates convolutions inside a
loop body about 3x slower than at top level, so on CPU a model with
convolution layers runs the same compiled step once per batch instead (the
batch is still chosen on device; one dispatch per step, like Keras).

Semantics kept identical to ``model.fit`` (the tests check the per-epoch
losses against it):

* the last partial batch is trained on as a smaller batch, not dropped;
* the epoch ``loss`` is the batch losses averaged with batch sizes as weights,
  regularization losses included;
* non-trainable state (BatchNormalization statistics, dropout seed state) is
  threaded through every step;
* per-epoch Keras callbacks work (EarlyStopping with restore_best_weights,
  LearningRateScheduler, ModelCheckpoint, History...): the Keras variables are
  synchronised at each epoch boundary. Per-batch hooks are not called, since
  the batches never come back to Python.

Example:

>>> import keras, numpy as np
>>> from seqcast.training import fit
>>> model = keras.Sequential([keras.Input((5, 1)), keras.layers.SimpleRNN(4),
...                           keras.layers.Dense(1)])
>>> model.compile(loss="mse", optimizer="adam")
>>> x = np.random.RandomState(0).rand(100, 5, 1).astype("float32")
>>> history = fit(model, x, x[:, -1], epochs=2, verbose=0, seed=0)
>>> sorted(history.history)
['loss']
"""

from __future__ import annotations

import time
import warnings
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np

from seqcast import backend_check
from seqcast.errors import SeqcastError

backend_check.ensure_jax_backend()

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402

from seqcast import metrics as seqcast_metrics  # noqa: E402
from seqcast.data.windows import WindowedSeries  # noqa: E402

# Lazy windows travel through jit as their series (a leaf) plus static offsets.
jax.tree_util.register_pytree_node(
    WindowedSeries,
    lambda w: ((w.values,), (w.offsets.shape, w.offsets.tobytes(), w.count)),
    lambda aux, leaves: WindowedSeries(
        leaves[0], np.frombuffer(aux[1], dtype=np.int32).reshape(aux[0]), aux[2]
    ),
)

PerSampleFn = Callable[[Any, Any], Any]

# Evaluation and prediction run in chunks of this many samples (padded and
# masked), so a 2000-series validation set is a handful of steps, not 63.
EVAL_BATCH_SIZE = 1024

_CONVOLUTIONS = tuple(
    getattr(keras.layers, name)
    for name in (
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "Conv1DTranspose",
        "Conv2DTranspose",
        "Conv3DTranspose",
        "SeparableConv1D",
        "SeparableConv2D",
        "DepthwiseConv1D",
        "DepthwiseConv2D",
    )
    if hasattr(keras.layers, name)
)


# --------------------------------------------------------------------------- losses


def _per_sample(fn: Callable[[Any, Any], Any]) -> PerSampleFn:
    """Wrap a Keras loss or metric so it returns one value per sample.

    Keras reduces a loss with ``sum_over_batch_size``: the mean of every element
    the loss function returns. Each sample contributes the same number of
    elements, so the mean over samples of the per-sample mean is the same
    number, and per-sample values let a padded batch be masked exactly.
    """

    def per_sample(y_true, y_pred):
        y_true = jnp.asarray(y_true, dtype=y_pred.dtype)
        values = fn(y_true, y_pred)
        return jnp.reshape(values, (values.shape[0], -1)).mean(axis=1)

    return per_sample


def resolve_loss(loss: Any) -> PerSampleFn:
    """A Keras loss (name, function or ``keras.losses.Loss``) as a per-sample function."""
    if isinstance(loss, keras.losses.Loss):
        return _per_sample(loss.call)
    try:
        fn = keras.losses.get(loss)
    except (ValueError, TypeError) as err:
        raise SeqcastError(
            f"unknown loss {loss!r}; use a Keras loss name such as 'mse', 'mae' or "
            "'huber', or a keras.losses.Loss"
        ) from err
    # Targets were brought to the output's rank when the data was checked, so the
    # plain function sees what Keras's wrapper would hand it.
    return _per_sample(fn.call if isinstance(fn, keras.losses.Loss) else fn)


def resolve_metric(metric: Any) -> tuple[str, PerSampleFn]:
    """A metric given by name or as a function ``(y_true, y_pred) -> values``."""
    if isinstance(metric, str):
        if metric in seqcast_metrics.PER_SAMPLE:
            return metric, _per_sample(seqcast_metrics.PER_SAMPLE[metric])
        name = {"mean_squared_error": "mse", "mean_absolute_error": "mae"}.get(metric, metric)
        return name, resolve_loss(metric)
    if callable(metric):
        return getattr(metric, "__name__", "metric"), _per_sample(metric)
    raise SeqcastError(f"cannot use {metric!r} as a metric; give a name or a function")


# --------------------------------------------------------------------------- input checks


def _as_float_array(name: str, values: Any) -> np.ndarray:
    if isinstance(values, WindowedSeries):
        # Check the series once, not every window of it; keep the windows lazy.
        return values.with_values(_as_float_array(name, values.values))
    try:
        array = np.asarray(values)
    except Exception as err:  # ragged lists and the like
        raise SeqcastError(
            f"{name} cannot be read as an array ({err}); pass a NumPy array"
        ) from err
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise SeqcastError(
            f"{name} has dtype {array.dtype}, not numbers; convert it to float "
            "(for a DataFrame, select the numeric columns)"
        )
    array = array.astype(keras.backend.floatx(), copy=False)
    bad = ~np.isfinite(array)
    if bad.any():
        sample = int(np.argwhere(bad)[0][0])
        raise SeqcastError(
            f"{name} contains {int(bad.sum())} NaN or infinite values (the first in sample "
            f"{sample}); fill or drop them before training"
        )
    return array


def _uses_class_indices(model: keras.Model) -> bool:
    """Sparse categorical losses take class indices, not one target per output."""
    loss = getattr(model, "loss", None)
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", type(loss).__name__)
    return "sparse" in name.lower()


def _check_shapes(
    model: keras.Model, x: np.ndarray, y: np.ndarray | None, what: str
) -> np.ndarray | None:
    """Catch shape mistakes here, with the shapes named, not deep inside XLA."""
    if x.ndim == 0 or x.shape[0] == 0:
        raise SeqcastError(f"{what}: x is empty (shape {x.shape}); pass at least one sample")
    expected = _model_input_shape(model)
    if expected is not None:
        if x.ndim != len(expected):
            raise SeqcastError(
                f"{what}: x has shape {x.shape} but the model takes inputs of shape "
                f"{_fmt(expected)}; for a univariate series add a last axis of size 1 "
                "(x[..., None])"
            )
        for got, want in zip(x.shape[1:], expected[1:]):
            if want is not None and got != want:
                raise SeqcastError(
                    f"{what}: x has shape {x.shape} but the model takes inputs of shape "
                    f"{_fmt(expected)}; window the data to match or rebuild the model"
                )
    if y is None:
        return None
    if y.shape[0] != x.shape[0]:
        raise SeqcastError(
            f"{what}: x has {x.shape[0]} samples but y has {y.shape[0]}; they must match"
        )
    output = _model_output_shape(model, x)
    if isinstance(y, WindowedSeries) and (
        _uses_class_indices(model) or (output is not None and y.shape[1:] != tuple(output[1:]))
    ):
        y = np.asarray(y)  # rare layouts: checked and reshaped as a plain array
    if output is not None and _uses_class_indices(model):
        n_classes = output[-1]
        if y.size != y.shape[0] or (y.size and (y.min() < 0 or y.max() >= n_classes)):
            raise SeqcastError(
                f"{what}: a sparse categorical loss takes one class index in [0, {n_classes}) "
                f"per sample, got y of shape {y.shape} with values {y.min():g} to {y.max():g}"
            )
        return y.reshape(-1)
    if output is not None:
        if y.ndim == len(output) - 1 and output[-1] == 1:
            y = y[..., None]  # (n,) targets for a (n, 1) output, as Keras allows
        if y.shape[1:] != tuple(output[1:]):
            raise SeqcastError(
                f"{what}: y has shape {y.shape} but the model outputs {_fmt(output)}; "
                "targets must match the model's output shape"
            )
    return y


def _model_input_shape(model: keras.Model) -> tuple | None:
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs or len(inputs) != 1:
        return None
    return tuple(inputs[0].shape)


def _model_output_shape(model: keras.Model, x: np.ndarray) -> tuple | None:
    try:
        spec = model.compute_output_spec(keras.KerasTensor((None, *x.shape[1:]), dtype=x.dtype))
    except Exception:
        return None
    return tuple(spec.shape) if hasattr(spec, "shape") else None


def _fmt(shape: Sequence) -> str:
    return (
        "("
        + ", ".join("batch" if d is None and i == 0 else str(d) for i, d in enumerate(shape))
        + ")"
    )


# --------------------------------------------------------------------------- compiled steps


class _CompiledModel:
    """The jitted epoch, evaluation and prediction functions of one model.

    Built once per (model, loss, metrics, optimizer); JAX caches the compiled
    code per input shape, so refitting or predicting again is free.
    """

    def __init__(
        self, model: keras.Model, loss: PerSampleFn, metrics: list[tuple[str, PerSampleFn]]
    ):
        # Weakly: this object is cached under the model as a weak key (``_COMPILED``).
        self.model = weakref.proxy(model)
        self.loss = loss
        self.metric_names = [name for name, _ in metrics]
        self.metric_fns = [fn for _, fn in metrics]
        # BatchNormalization normalizes with statistics of the whole batch, so padding
        # a batch would change it; such models train their last batch on its own.
        self.mixes_samples = any(
            isinstance(layer, keras.layers.BatchNormalization) for layer in model._flatten_layers()
        )
        # XLA's CPU backend generates convolutions inside a loop body about 3x slower
        # than at top level (WaveNet: 2.7 s against 0.8 s an epoch, measured), so on
        # CPU a model with convolutions runs one compiled step per batch, dispatched
        # from Python as Keras does, instead of one scan over the epoch.
        self.steps_from_python = jax.default_backend() == "cpu" and any(
            isinstance(layer, _CONVOLUTIONS) for layer in model._flatten_layers()
        )
        self._epoch = jax.jit(self._epoch_impl, static_argnames=("batch_size", "shuffle"))
        self._plan = jax.jit(self._plan_impl, static_argnames=("n", "batch_size", "shuffle"))
        self._indexed_step = jax.jit(self._indexed_step_impl)
        self._tail_step = jax.jit(self._train_step)
        self._evaluate = jax.jit(self._evaluate_impl)

    # -- one training step on one batch (used by the scan and by the tail batch)
    def _train_step(self, state, xb, yb, wb):
        """One optimizer step on a batch whose samples weigh ``wb`` (1 real, 0 padding)."""
        trainable, non_trainable, optimizer_vars = state
        model, optimizer = self.model, self.model.optimizer
        n_real = wb.sum()

        def loss_and_updates(trainable, non_trainable):
            y_pred, non_trainable, extra = model.stateless_call(
                trainable, non_trainable, xb, training=True, return_losses=True
            )
            loss = (self.loss(yb, y_pred) * wb).sum() / n_real
            if extra:  # regularization and add_loss terms, as Keras adds them
                loss = loss + sum(extra)
            return loss, (y_pred, non_trainable)

        (loss, (y_pred, non_trainable)), grads = jax.value_and_grad(loss_and_updates, has_aux=True)(
            trainable, non_trainable
        )
        trainable, optimizer_vars = optimizer.stateless_apply(optimizer_vars, grads, trainable)
        sums = jnp.stack([loss * n_real] + [(fn(yb, y_pred) * wb).sum() for fn in self.metric_fns])
        return (trainable, non_trainable, optimizer_vars), sums

    def _plan_impl(self, key, *, n: int, batch_size: int, shuffle: bool):
        """The epoch's batches as sample indices, with 0/1 weights, plus the tail batch.

        The last partial batch is padded to full size with weight-0 samples (its
        loss and gradient are those of the smaller batch, and the step compiles
        once), unless a layer mixes the samples of a batch (BatchNormalization's
        statistics): then it is returned apart, to be trained as its own batch.
        """
        n_full, tail = divmod(n, batch_size)
        order = jax.random.permutation(key, n) if shuffle else jnp.arange(n)
        if tail and not self.mixes_samples:
            n_full, tail = n_full + 1, 0
            order = jnp.pad(order, (0, n_full * batch_size - n))
        weights = (jnp.arange(n_full * batch_size) < n).astype(keras.backend.floatx())
        batches = order[: n_full * batch_size].reshape(n_full, batch_size)
        return batches, weights.reshape(n_full, batch_size), order[n_full * batch_size :]

    def _epoch_impl(self, state, x, y, key, *, batch_size: int, shuffle: bool):
        """A whole epoch in one call: the batches are scanned on device."""
        n = x.shape[0]
        batches, weights, tail = self._plan_impl(key, n=n, batch_size=batch_size, shuffle=shuffle)

        def body(state, batch):
            idx, wb = batch
            return self._train_step(state, x[idx], y[idx], wb)

        state, batch_sums = jax.lax.scan(body, state, (batches, weights))
        sums = batch_sums.sum(axis=0)
        if tail.shape[0]:
            state, tail_sums = self._train_step(
                state, x[tail], y[tail], jnp.ones(tail.shape[0], x.dtype)
            )
            sums = sums + tail_sums
        return state, sums / n

    def _indexed_step_impl(self, state, x, y, batches, weights, i):
        """Batch ``i`` of an epoch's plan, chosen on device: one dispatch per step."""
        return self._train_step(state, x[batches[i]], y[batches[i]], weights[i])

    def _evaluate_impl(self, trainable, non_trainable, x, y, weights):
        """x, y, weights padded to (chunks, EVAL_BATCH_SIZE, ...); weights mask padding."""

        def body(total, chunk):
            xb, yb, wb = chunk
            y_pred, _, extra = self.model.stateless_call(
                trainable, non_trainable, xb, training=False, return_losses=True
            )
            per_sample = [self.loss(yb, y_pred)] + [fn(yb, y_pred) for fn in self.metric_fns]
            extra_loss = jnp.asarray(sum(extra) if extra else 0.0, dtype=total.dtype)
            return total + jnp.stack([(v * wb).sum() for v in per_sample]), extra_loss

        total, extra = jax.lax.scan(body, jnp.zeros(1 + len(self.metric_fns)), (x, y, weights))
        means = total / weights.sum()
        return means.at[0].add(jnp.mean(extra))


_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _compiled_for(model: keras.Model, loss: Any, metrics: Sequence[Any]) -> _CompiledModel:
    key = (id(model.optimizer), repr(loss), tuple(repr(m) for m in metrics))
    cached = _COMPILED.get(model)
    if cached is not None and cached[0] == key:
        return cached[1]
    compiled = _CompiledModel(model, resolve_loss(loss), [resolve_metric(m) for m in metrics])
    _COMPILED[model] = (key, compiled)
    return compiled


_JITTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def jitted_for(
    model: keras.Model, key: Hashable, build: Callable[[keras.Model], Callable]
) -> Callable:
    """``jax.jit(build(model))``, made once per (model, key) and kept while the model lives.

    JAX caches compiled code per function object, so a function jitted anew on
    every call (a closure over the model) would be compiled anew every time.
    ``build`` gets a weak proxy of the model: a cached function holding the
    model itself would keep it, and its cache entry, alive for good.
    """
    functions = _JITTED.setdefault(model, {})
    if key not in functions:
        functions[key] = jax.jit(build(weakref.proxy(model)))
    return functions[key]


def model_values(model: keras.Model) -> tuple[list, list]:
    """The current arrays of the model's trainable and non-trainable variables."""
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
    )


def _variables_state(model: keras.Model):
    return (*model_values(model), [v.value for v in model.optimizer.variables])


def _assign_state(model: keras.Model, state) -> None:
    trainable, non_trainable, optimizer_vars = state
    for variable, value in zip(model.trainable_variables, trainable):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, non_trainable):
        variable.assign(value)
    for variable, value in zip(model.optimizer.variables, optimizer_vars):
        variable.assign(value)


def _to_device(array: np.ndarray | WindowedSeries):
    """On the device: an array as it is; lazy windows as their series alone."""
    if isinstance(array, WindowedSeries):
        return array.with_values(jnp.asarray(array.values))
    return jnp.asarray(array)


def _evaluation_chunks(x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
    """x and y in padded chunks of EVAL_BATCH_SIZE, with the mask of real samples."""
    x_chunks, mask = _chunked(x, EVAL_BATCH_SIZE)
    y_chunks, _ = _chunked(y, EVAL_BATCH_SIZE)
    return jnp.asarray(x_chunks), jnp.asarray(y_chunks), jnp.asarray(mask)


def _chunked(array: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pad to a multiple of ``size`` and fold into (chunks, size, ...) plus a 0/1 mask."""
    n = array.shape[0]
    chunk = min(size, n)
    n_chunks = -(-n // chunk)
    padded = np.zeros((n_chunks * chunk, *array.shape[1:]), dtype=array.dtype)
    padded[:n] = array
    mask = np.zeros(n_chunks * chunk, dtype=keras.backend.floatx())
    mask[:n] = 1.0
    return padded.reshape(n_chunks, chunk, *array.shape[1:]), mask.reshape(n_chunks, chunk)


# --------------------------------------------------------------------------- public API


def _prepare(model, loss, optimizer, metrics):
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
        metrics = _compiled_metrics(model)
    if not model.built:
        raise SeqcastError("the model is not built; give it a keras.Input(shape=...) first")
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return list(metrics)


def _compiled_metrics(model: keras.Model) -> list:
    config = getattr(model, "_compile_config", None)
    metrics = (config.config.get("metrics") if config is not None else None) or []
    return [m for m in metrics if isinstance(m, str) or callable(m)]


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

    Returns:
        A ``keras.callbacks.History`` with the per-epoch logs, plus
        ``compile_seconds`` and ``train_seconds`` attributes.
    """
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise SeqcastError(f"epochs must be a whole number of at least 1, got {epochs!r}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise SeqcastError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    metrics = _prepare(model, loss, optimizer, metrics)
    x = _as_float_array("x", x)
    y = _check_shapes(model, x, _as_float_array("y", y), "training data")
    if validation_data is not None:
        if len(validation_data) != 2:
            raise SeqcastError("validation_data must be a pair (x_valid, y_valid)")
        x_valid = _as_float_array("validation x", validation_data[0])
        y_valid = _check_shapes(
            model, x_valid, _as_float_array("validation y", validation_data[1]), "validation data"
        )

    if not backend_check.is_jax():
        return _fit_with_keras(
            model, x, y, epochs, batch_size, validation_data, callbacks, shuffle, verbose
        )

    compiled = _compiled_for(model, model.loss, metrics)
    batch_size = int(min(batch_size, x.shape[0]))
    x_dev, y_dev = _to_device(x), _to_device(y)
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))
    base_key = jax.random.PRNGKey(seed)

    # Compile ahead of time so compilation is timed on its own.
    started = time.perf_counter()
    state = _variables_state(model)
    runner = _SteppedEpoch if compiled.steps_from_python else _ScannedEpoch
    epoch_fn = runner(compiled, x_dev, y_dev, batch_size, shuffle, state, base_key)
    valid_fn = None
    if validation_data is not None:
        valid_args = _evaluation_chunks(x_valid, y_valid)
        valid_fn = compiled._evaluate.lower(state[0], state[1], *valid_args).compile()
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
    progress = _progress_bar(epochs, description, verbose)
    train_seconds = 0.0
    callback_list.on_train_begin()
    try:
        for epoch in range(epochs):
            callback_list.on_epoch_begin(epoch)
            state = _variables_state(model)  # callbacks may have changed weights or the lr
            started = time.perf_counter()
            state, train_means = epoch_fn(state, jax.random.fold_in(base_key, epoch))
            logs = dict(zip(names, np.asarray(train_means).tolist()))
            if valid_fn is not None:
                valid_means = valid_fn(state[0], state[1], *valid_args)
                logs.update(zip(["val_" + n for n in names], np.asarray(valid_means).tolist()))
            train_seconds += time.perf_counter() - started
            _assign_state(model, state)
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


class _ScannedEpoch:
    """One epoch as one compiled call (compiled on construction)."""

    def __init__(self, compiled, x, y, batch_size, shuffle, state, key):
        self.x, self.y = x, y
        self._run = compiled._epoch.lower(
            state, x, y, key, batch_size=batch_size, shuffle=shuffle
        ).compile()

    def __call__(self, state, key):
        return self._run(state, self.x, self.y, key)


class _SteppedEpoch:
    """One compiled step per batch, dispatched from Python (compiled on construction).

    The batch order is planned on device and each step picks its batch there,
    so the per-step cost is one dispatch, as in Keras's own ``fit``.
    """

    def __init__(self, compiled, x, y, batch_size, shuffle, state, key):
        self.x, self.y, n = x, y, x.shape[0]
        self._plan = compiled._plan.lower(
            key, n=n, batch_size=batch_size, shuffle=shuffle
        ).compile()
        batches, weights, tail = self._plan(key)
        self._indices = [jnp.asarray(i, dtype=jnp.int32) for i in range(batches.shape[0])]
        self._step = compiled._indexed_step.lower(
            state, x, y, batches, weights, self._indices[0]
        ).compile()
        self._tail_step = None
        if tail.shape[0]:
            self._tail_weights = jnp.ones(tail.shape[0], x.dtype)
            self._tail_step = compiled._tail_step.lower(
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


def evaluate(
    model: keras.Model, x: Any, y: Any, *, metrics: Sequence[Any] | None = None
) -> dict[str, float]:
    """The loss (and metrics) of ``model`` on ``(x, y)``, computed in one compiled call.

    Returns ``{"loss": ..., metric name: ...}`` averaged over all samples.
    """
    metrics = _prepare(model, None, None, metrics)
    x = _as_float_array("x", x)
    y = _check_shapes(model, x, _as_float_array("y", y), "evaluation data")
    if not backend_check.is_jax():
        values = model.evaluate(x, y, verbose=0, return_dict=True)
        return {k: float(v) for k, v in values.items()}
    compiled = _compiled_for(model, model.loss, metrics)
    means = compiled._evaluate(*model_values(model), *_evaluation_chunks(x, y))
    return dict(zip(["loss", *compiled.metric_names], np.asarray(means).tolist()))


def predict(model: keras.Model, x: Any) -> np.ndarray:
    """``model``'s outputs on ``x`` (inference mode), computed in one compiled call."""
    if not isinstance(model, keras.Model):
        raise SeqcastError(f"expected a keras.Model, got {type(model).__name__}")
    x = _as_float_array("x", x)
    _check_shapes(model, x, None, "prediction input")
    if not backend_check.is_jax():
        return np.asarray(model.predict(x, verbose=0))
    x_chunks, _ = _chunked(x, EVAL_BATCH_SIZE)
    run = jitted_for(model, "predict", _chunked_predictions)
    out = np.asarray(run(*model_values(model), jnp.asarray(x_chunks)))
    return out.reshape(-1, *out.shape[2:])[: x.shape[0]]


def _chunked_predictions(model: keras.Model):
    def run(trainable, non_trainable, x_chunks):
        def body(_, xb):
            y_pred, _ = model.stateless_call(trainable, non_trainable, xb, training=False)
            return None, y_pred

        return jax.lax.scan(body, None, x_chunks)[1]

    return run


# --------------------------------------------------------------------------- helpers


def enable_compilation_cache(directory: str | None = None) -> str | None:
    """Keep compiled XLA programs on disk so a second run skips compilation.

    ``directory`` defaults to ``$SEQCAST_CACHE_DIR``, else ``$XDG_CACHE_HOME/seqcast/xla``
    (``~/.cache/seqcast/xla``). ``SEQCAST_CACHE_DIR=off`` turns the cache off.
    Returns the directory used, or ``None`` when off.
    """
    import os
    from pathlib import Path

    directory = directory or os.environ.get("SEQCAST_CACHE_DIR")
    if directory == "off":
        return None
    if directory is None:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        directory = str(Path(base) / "seqcast" / "xla")
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home is no reason to fail; compile every time
    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    return directory


def _progress_bar(total: int, description: str | None, verbose: int):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        desc=description or "training",
        unit="epoch",
        disable=not verbose,
        leave=True,
        dynamic_ncols=True,
    )


def _fit_with_keras(model, x, y, epochs, batch_size, validation_data, callbacks, shuffle, verbose):
    warnings.warn(
        f"Keras runs on the {keras.backend.backend()} backend, so seqcast trains with "
        "model.fit (several times slower). Import seqcast before keras, or set "
        "KERAS_BACKEND=jax, to use the compiled trainer.",
        stacklevel=3,
    )
    started = time.perf_counter()
    history = model.fit(
        x,
        y,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        callbacks=callbacks,
        shuffle=shuffle,
        verbose=verbose,
    )
    history.compile_seconds = 0.0
    history.train_seconds = time.perf_counter() - started
    return history
