"""The compiled programs of a model: its train step, epoch, evaluation, and their caches.

Every function that XLA compiles for training lives here, written as a pure
function of the model's state, built from Keras's own stateless API
(``model.stateless_call`` and ``optimizer.stateless_apply``), so the model,
the optimizer and the loss mean exactly what they mean in Keras. What runs
them (the epoch loop, callbacks, progress) is in :mod:`seqcast.training.loop`
and :mod:`seqcast.training.epochs`; the whole fit's device loop, built from
them, in :mod:`seqcast.training.whole_fit_program`.

The compiled functions are cached per architecture (``architecture_key``):
refitting, predicting again, or training another model built alike (an
ensemble's members, a search's trials) reuses the compiled code.

>>> import keras
>>> def build(units):
...     return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])
>>> architecture_key(build(1)) == architecture_key(build(1)) != architecture_key(build(2))
True
"""

from __future__ import annotations

import json
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import keras

from seqcast.training.device_data import to_device  # noqa: F401 (its old import path)
from seqcast.training.losses import PerSampleFn, resolve_loss, resolve_metric
from seqcast.training.shuffle import LARGE_EPOCH, permuted
from seqcast.training.state import training_state  # noqa: F401 (its old import path)

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


class CompiledModel:
    """The jitted epoch, evaluation and prediction functions of one model.

    Built once per (model, loss, metrics, optimizer); JAX caches the compiled
    code per input shape, so refitting or predicting again is free.
    """

    def __init__(
        self, model: keras.Model, loss: PerSampleFn, metrics: list[tuple[str, PerSampleFn]]
    ):
        # The template model: any model of its architecture trains through it.
        self.model = model
        self.optimizer = model.optimizer
        self.loss = loss
        self.metric_names = [name for name, _ in metrics]
        self.log_names = ["loss", *self.metric_names]
        self.metric_fns = [fn for _, fn in metrics]
        # BatchNormalization normalizes with statistics of the whole batch, so padding
        # a batch would change it; such models train their last batch on its own.
        self.mixes_samples = any(
            isinstance(layer, keras.layers.BatchNormalization) for layer in model._flatten_layers()
        )
        # XLA's CPU backend generates convolutions inside a loop body about 3x slower
        # than at top level (measured on WaveNet, see benchmarks/README.md), so on
        # CPU a model with convolutions runs one compiled step per batch, dispatched
        # from Python as Keras does, instead of one scan over the epoch.
        self.steps_from_python = jax.default_backend() == "cpu" and any(
            isinstance(layer, _CONVOLUTIONS) for layer in model._flatten_layers()
        )
        self.epoch = jax.jit(self._epoch_impl, static_argnames=("batch_size", "shuffle"))
        self.plan = jax.jit(self._plan_impl, static_argnames=("n", "batch_size", "shuffle"))
        self.indexed_step = jax.jit(self._indexed_step_impl)
        self.tail_step = jax.jit(self._train_step)
        self.evaluate = jax.jit(self._evaluate_impl)
        # Programs that modules above build from these functions (the whole fit's
        # loop), kept here so that they live and are shared as long as this is.
        self.derived: dict[Hashable, Any] = {}
        self._on_mesh: dict[Any, tuple[Any, Any]] = {}

    def on_mesh(self, mesh) -> tuple[Any, Any]:
        """The epoch and the evaluation jitted for a device mesh: their results replicated.

        Data parallel training (``seqcast.training.data_parallel``) passes
        sharded samples; the weights and logs that come back are held whole by
        every device, so every process can read them.
        """
        if mesh not in self._on_mesh:
            replicated = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
            self._on_mesh[mesh] = (
                jax.jit(
                    self._epoch_impl,
                    static_argnames=("batch_size", "shuffle"),
                    out_shardings=replicated,
                ),
                jax.jit(self._evaluate_impl, out_shardings=replicated),
            )
        return self._on_mesh[mesh]

    # -- one training step on one batch (used by the scan and by the tail batch)
    def _train_step(self, state, xb, yb, wb):
        """One optimizer step on a batch whose samples weigh ``wb`` (1 real, 0 padding)."""
        trainable, non_trainable, optimizer_vars = state
        model, optimizer = self.model, self.optimizer
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
        if n > LARGE_EPOCH and not self.mixes_samples:
            return self._large_epoch(state, x, y, key, batch_size=batch_size, shuffle=shuffle)
        batches, weights, tail = self._plan_impl(key, n=n, batch_size=batch_size, shuffle=shuffle)

        def body(state, batch):
            idx, wb = batch
            return self._train_step(state, x[idx], y[idx], wb)

        state, batch_sums = jax.lax.scan(body, state, (batches, weights))
        state, sums = self._tail_step(state, x, y, tail, batch_sums.sum(axis=0))
        return state, sums / n

    def _tail_step(self, state, x, y, tail, sums):
        """The plan's tail batch trained on its own (BatchNormalization models), ``sums`` grown."""
        if not tail.shape[0]:
            return state, sums
        state, tail_sums = self._train_step(
            state, x[tail], y[tail], jnp.ones(tail.shape[0], x.dtype)
        )
        return state, sums + tail_sums

    def steps_per_epoch(self, n: int, batch_size: int) -> int:
        """The steps of an epoch of ``n`` samples, a separately trained tail batch apart."""
        return n // batch_size if self.mixes_samples else -(-n // batch_size)

    def _epoch_order(self, key, n: int, *, batch_size: int, shuffle: bool):
        """What batch ``i`` of an epoch is drawn from (see :meth:`_batch`): the plan, or None.

        None for a large epoch, whose batches are shuffled where they are used.
        """
        if n > LARGE_EPOCH and not self.mixes_samples:
            return None
        return self._plan_impl(key, n=n, batch_size=batch_size, shuffle=shuffle)

    def _batch(self, key, order, i, n: int, *, batch_size: int, shuffle: bool):
        """Batch ``i`` of the epoch of ``order`` (:meth:`_epoch_order`): sample indices, weights."""
        if order is not None:
            batches, weights, _ = order
            return batches[i], weights[i]
        positions = i * batch_size + jnp.arange(batch_size)
        real = positions < n
        positions = jnp.where(real, positions, 0)
        idx = permuted(key, positions, n) if shuffle else positions
        return idx, real.astype(keras.backend.floatx())

    def _large_epoch(self, state, x, y, key, *, batch_size: int, shuffle: bool):
        """An epoch of many windows, each batch's positions shuffled where they are used.

        The order is a random bijection computed per batch (``seqcast.training.shuffle``),
        so nothing the size of the epoch is held: no permutation, no batch table.
        The last batch is padded with weight-0 samples, as in the plan.
        """
        n = x.shape[0]

        def body(state, batch):
            idx, wb = self._batch(key, None, batch, n, batch_size=batch_size, shuffle=shuffle)
            return self._train_step(state, x[idx], y[idx], wb)

        state, batch_sums = jax.lax.scan(body, state, jnp.arange(-(-n // batch_size)))
        return state, batch_sums.sum(axis=0) / n

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


# --------------------------------------------------------------------------- caches

# Programs shared by every model of one architecture (see ``architecture_key``),
# the oldest dropped past this many; each entry keeps its first model alive as
# the template whose stateless call the program traces.
_SHARED_LIMIT = 16
_SHARED: OrderedDict[Hashable, Any] = OrderedDict()

# Programs of models whose architecture cannot be told from their config (layers
# from outside Keras and seqcast), one cache per model object, dropped with it.
_PER_MODEL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def architecture_key(model: keras.Model) -> str | None:
    """A key equal for models that compute the same function of their weights, else None.

    The model's config without its layers' names (``gru_7`` in one build of
    an architecture is ``gru_9`` in the next), the names a functional model's
    connections refer to replaced by the layers' positions, plus the shapes
    and dtypes of its variables. None when a layer comes from outside Keras
    and seqcast: its config may not hold all it computes with.
    """
    layers = list(model._flatten_layers(include_self=True))
    if any(not type(layer).__module__.startswith(("keras.", "seqcast.")) for layer in layers):
        return None
    text = json.dumps(_without_names(model.get_config(), {}), sort_keys=True, default=repr)
    variables = [(tuple(v.shape), str(v.dtype)) for v in model.variables]
    return f"{type(model).__name__}|{text}|{variables}"


def _without_names(config: Any, positions: dict[str, str]) -> Any:
    """``config`` with every ``name`` dropped and references to layers made positions.

    A reference is ``[layer name, node index, tensor index]``, as Keras
    writes a functional model's connections (``keras_history``,
    ``input_layers``); ``positions`` maps the names in scope to ``"#i"``.
    """
    if isinstance(config, dict):
        if isinstance(config.get("layers"), list):
            positions = {
                **positions,
                **{
                    layer.get("name") or layer.get("config", {}).get("name"): f"#{i}"
                    for i, layer in enumerate(config["layers"])
                    if isinstance(layer, dict)
                },
            }
        return {
            key: _without_names(value, positions) for key, value in config.items() if key != "name"
        }
    if isinstance(config, (list, tuple)):
        if (
            len(config) == 3
            and isinstance(config[0], str)
            and all(isinstance(i, int) for i in config[1:])
        ):
            return [positions.get(config[0], config[0]), *config[1:]]
        return [_without_names(item, positions) for item in config]
    return config


def _cached(model: keras.Model, key: Hashable, make: Callable[[keras.Model], Any]) -> Any:
    """``make(template)`` once per (architecture, key), or per (model, key) when unknown."""
    architecture = architecture_key(model)
    if architecture is None:
        entries = _PER_MODEL.setdefault(model, {})
        if key not in entries:
            entries[key] = make(weakref.proxy(model))  # a proxy: the entry must not keep it
        return entries[key]
    shared_key = (architecture, key)
    if shared_key in _SHARED:
        _SHARED.move_to_end(shared_key)
        return _SHARED[shared_key]
    _SHARED[shared_key] = made = make(model)
    while len(_SHARED) > _SHARED_LIMIT:
        _SHARED.popitem(last=False)
    return made


def _optimizer_key(optimizer: keras.optimizers.Optimizer) -> str:
    """The optimizer's class and settings, less a constant learning rate.

    A constant rate is a variable of the optimizer's state, passed to the
    program like the weights, so rates differing only in value share a program.
    """
    config = dict(optimizer.get_config())
    if isinstance(config.get("learning_rate"), float):
        config.pop("learning_rate")
    config.pop("name", None)
    return type(optimizer).__name__ + json.dumps(config, sort_keys=True, default=repr)


def compiled_for(model: keras.Model, loss: Any, metrics: Sequence[Any]) -> CompiledModel:
    """The :class:`CompiledModel` for this architecture, optimizer, loss and metrics.

    Shared by every model of the same architecture (a refit, an ensemble, a
    search's trials): their programs are compiled once.
    """
    key = (
        "compiled",
        _optimizer_key(model.optimizer),
        repr(loss),
        tuple(repr(m) for m in metrics),
    )
    return _cached(
        model,
        key,
        lambda template: CompiledModel(
            template, resolve_loss(loss), [resolve_metric(m) for m in metrics]
        ),
    )


def jitted_for(
    model: keras.Model, key: Hashable, build: Callable[[keras.Model], Callable]
) -> Callable:
    """``jax.jit(build(model))``, made once per (architecture, key).

    JAX caches compiled code per function object, so a function jitted anew on
    every call (a closure over the model) would be compiled anew every time;
    kept per architecture, one compile serves every model built alike.
    ``build`` gets the architecture's template model, whose stateless calls
    compute what ``model``'s would, given ``model``'s weights.
    """
    return _cached(model, ("jitted", key), lambda template: jax.jit(build(template)))
