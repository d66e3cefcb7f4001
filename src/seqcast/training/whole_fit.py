"""The whole fit in one compiled call: epochs, validation and early stopping on the device.

:func:`seqcast.training.fit` goes back to Python after every epoch, so that
Keras callbacks can see the weights. When all a fit needs between epochs is
a validation score and the early-stopping rule, that round trip is pure
cost: here a ``lax.while_loop`` runs the epochs on the device, its state
holding the weights, the optimizer's state, the best weights so far, the
best validation score and the patience counter. The loop returns to the host
only every ``epochs_per_call`` epochs (to tick a progress bar, or to let a
``report`` hook stop it, as a search's pruner does).

**Ensembles.** :func:`fit_members` trains K members of one architecture
together: the same program is ``vmap``-ped over a leading member axis, each
member with its own initial weights and batch order, and each stops early on
its own (a member whose patience ran out keeps its best weights while the
others go on).

**Shared programs.** The program is compiled once per architecture, input
shapes and training settings (``seqcast.training.compiled.compiled_for``), not
once per model object: a refit, an ensemble or a search over learning rates
compiles once.

Semantics are those of ``training.fit`` with Keras's ``EarlyStopping(monitor,
patience, restore_best_weights=True)``: the same per-epoch losses for the same
seed (the tests compare them), a score counts as better only when strictly
lower, and training stops once ``patience`` epochs in a row brought nothing
better, or when the loss is no longer finite.

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((5, 1)), keras.layers.SimpleRNN(4),
...                           keras.layers.Dense(1)])
>>> model.compile(loss="mse", optimizer="adam")
>>> x = np.random.RandomState(0).rand(64, 5, 1).astype("float32")
>>> result = fit_members(model, x, x[:, -1], validation_data=(x[:16], x[:16, -1]),
...                      epochs=5, patience=2, seed=0, verbose=0)
>>> len(result.histories), sorted(result.histories[0])
(1, ['loss', 'val_loss'])
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np

from seqcast.checks import positive_int
from seqcast.errors import SeqcastError
from seqcast.training.compiled import (
    EVAL_BATCH_SIZE,
    CompiledModel,
    compiled_for,
    evaluation_chunks,
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
from seqcast.training.inputs import as_float_array, check_shapes
from seqcast.training.loop import fit, prepare_model, progress_bar

#: Epochs run per call into the device when someone is watching (a progress
#: bar, a ``report`` hook); a silent fit runs all its epochs in one call.
EPOCHS_PER_CALL = 10

#: ``report(epoch, score) -> stop?``: called between calls with the monitored score.
Report = Callable[[int, float], bool]


@dataclass
class MemberFits:
    """What :func:`fit_members` returns: each member's weights and history.

    ``weights[m]`` is member ``m``'s ``(trainable, non_trainable)`` arrays
    (the best epoch's, when early stopping ran); ``histories[m]`` its
    per-epoch logs, as ``keras.callbacks.History.history`` holds them.
    """

    weights: list[tuple[list, list]]
    histories: list[dict[str, list[float]]]
    compile_seconds: float = 0.0
    train_seconds: float = 0.0
    stopped_by_report: bool = False
    on_device: bool = True  # False: the per-epoch Python loop ran (see fit_members)
    best_epochs: list[int | None] = field(default_factory=list)


def fit_members(
    model: keras.Model,
    x: Any,
    y: Any,
    *,
    members: Sequence[keras.Model] = (),
    validation_data: tuple[Any, Any] | None = None,
    epochs: int = 1,
    batch_size: int = 32,
    patience: int | None = None,
    monitor: str = "val_loss",
    shuffle: bool = True,
    seed: int = 0,
    metrics: Sequence[Any] | None = None,
    report: Report | None = None,
    verbose: int = 1,
    description: str | None = None,
    vmap_members: bool | None = None,
    devices: int | Sequence[Any] | None = None,
    partitioned: bool = False,
) -> MemberFits:
    """Train ``model`` (and ``members``, same architecture) with early stopping on the device.

    Args:
        model: a compiled, built Keras model: member 0. Its variables hold
            member 0's final weights afterwards (the best epoch's, when early
            stopping ran).
        x, y: training inputs and targets (arrays, or lazy windows).
        members: further models of the same architecture whose initial weights
            start members 1, 2, ...; each also shuffles with its own key.
        validation_data: ``(x_valid, y_valid)``, scored after every epoch.
        epochs: at most this many epochs.
        batch_size: samples per gradient step.
        patience: with validation data, stop a member after this many epochs
            without a lower ``monitor`` and keep its best weights; None runs
            every epoch and keeps the last weights.
        monitor: ``"val_loss"`` or ``"val_" + metric name``.
        shuffle: reshuffle every epoch, on the device.
        seed: member 0 shuffles with ``PRNGKey(seed)`` as ``training.fit``
            does, so one member reproduces ``fit`` with ``EarlyStopping``.
        metrics: as in ``model.compile``.
        report: ``report(epoch, score) -> bool``, called every
            ``EPOCHS_PER_CALL`` epochs with the latest monitored score
            (the median over members); True stops all members there.
        verbose: 1 shows a progress bar.
        description: the progress bar's label.
        vmap_members: train the members side by side in one vmapped program
            (True), or one after the other through the same program (False);
            None: side by side except on a CPU, where it is no cheaper.
        devices: how many devices share each batch (data parallel, see
            :mod:`seqcast.training.data_parallel`); None: all of this process's.
        partitioned: across processes, the training and validation data are
            this process's part of the samples; the others hold the rest.

    On the CPU, models with convolutions train faster one step per Python
    dispatch (see ``CompiledModel.steps_from_python``); there each member is
    trained in turn by :func:`seqcast.training.fit` with Keras's
    ``EarlyStopping``: the same result, on the host.
    """
    epochs = positive_int(epochs, "epochs")
    batch_size = positive_int(batch_size, "batch_size")
    metrics = prepare_model(model, None, None, metrics)
    x = as_float_array("x", x)
    y = check_shapes(model, x, as_float_array("y", y), "training data")
    valid = None
    if validation_data is not None:
        x_valid = as_float_array("validation x", validation_data[0])
        y_valid = check_shapes(
            model, x_valid, as_float_array("validation y", validation_data[1]), "validation data"
        )
        valid = (x_valid, y_valid)
    compiled = compiled_for(model, model.loss, metrics)
    names = compiled.log_names
    monitored = _monitor_index(monitor, names, valid is not None)
    patience = patience if valid is not None else None
    batch_size = int(min(batch_size, x.shape[0]))
    all_members = [model, *members]
    mesh = mesh_for(model, batch_size, x.shape[0], devices)

    if compiled.steps_from_python and mesh is None:
        settings = dict(epochs=epochs, batch_size=batch_size, patience=patience, shuffle=shuffle)
        return _fit_on_host(
            all_members, x, y, valid, seed, monitor, metrics, report, verbose, description, settings
        )

    # On an accelerator the members train side by side in one vmapped program, nearly
    # for free; on a CPU side by side costs about as much as one after the other, and
    # more when members stop at different epochs (a stopped member still computes
    # until the last stops), so there they run in turn through the same program
    # (compiled once): K members cost K times one member. See benchmarks/README.md.
    together = vmap_members if vmap_members is not None else jax.default_backend() != "cpu"
    groups = [all_members] if together else [[member] for member in all_members]
    if mesh is None:
        x_dev, y_dev = to_device(x, y)
        valid_dev = evaluation_chunks(*valid) if valid is not None else None
    else:
        x_dev, y_dev = place_samples(x, y, mesh, partitioned=partitioned)
        valid_dev = None
        if valid is not None:
            valid_dev = place_evaluation(*valid, mesh, EVAL_BATCH_SIZE, partitioned=partitioned)
    optimizer_vars = training_state(model)[2]  # fresh: every member starts from them
    parts = []
    for index, group in enumerate(groups):
        program = compiled.whole_fit(
            batch_size=batch_size,
            shuffle=shuffle,
            patience=patience,
            monitored=monitored,
            ensemble=len(group) > 1,
            mesh=mesh,
        )
        label = description or "training"
        if len(groups) > 1:
            label += f" {index + 1}/{len(groups)}"
        carry = _initial_carry(group, optimizer_vars, epochs, len(names), seed, first=index)
        if mesh is not None:
            carry = replicate(carry, mesh)
        parts.append(
            _run(program, carry, (x_dev, y_dev, valid_dev), epochs, report, verbose, label)
        )
        if parts[-1].stopped_by_report:
            break
    result = MemberFits(
        [w for part in parts for w in part.weights],
        [h for part in parts for h in part.histories],
        compile_seconds=sum(part.compile_seconds for part in parts),
        train_seconds=sum(part.train_seconds for part in parts),
        stopped_by_report=parts[-1].stopped_by_report,
        best_epochs=[b for part in parts for b in part.best_epochs],
    )
    assign_member(model, result.weights[0])
    for history in result.histories:
        if history["loss"] and not np.isfinite(history["loss"][-1]):
            warnings.warn(
                f"the training loss became {history['loss'][-1]} at epoch "
                f"{len(history['loss'])}; lower the learning rate or clip gradients "
                "(clipnorm=1.0)",
                stacklevel=2,
            )
            break
    return result


def _run(program, carry, data, epochs, report, verbose, description) -> MemberFits:
    """Run ``program`` from ``carry`` to the end, returning to the host every few epochs."""
    started = time.perf_counter()
    run = program.executable(carry, *data)
    compile_seconds = time.perf_counter() - started
    has_validation = data[2] is not None
    watched = verbose or report is not None
    per_call = EPOCHS_PER_CALL if watched else epochs
    names = program.compiled.log_names
    shown_as = "val_" + names[program.monitored] if has_validation else "loss"
    progress = progress_bar(epochs, description, verbose)
    stopped_by_report, shown, train_seconds, end = False, 0, 0.0, 0
    try:
        while end < epochs:
            end = min(end + per_call, epochs)
            started = time.perf_counter()
            carry = run(carry, *data, program.end(end))
            epoch_reached = to_host(carry["epoch"]).reshape(-1)
            all_stopped = bool(to_host(carry["stopped"]).all())
            train_seconds += time.perf_counter() - started
            furthest = int(epoch_reached.max())
            score = _latest_score(carry, epoch_reached, has_validation, program.monitored)
            progress.set_postfix({shown_as: f"{score:.4g}"}, refresh=False)
            progress.update(furthest - shown)
            shown = furthest
            if all_stopped:
                break
            if report is not None and report(furthest, score):
                stopped_by_report = True
                break
    finally:
        progress.close()
    n_members = int(to_host(carry["epoch"]).size)
    early_stopping = program.patience is not None
    result = _unpack(carry, program.compiled.log_names, n_members, has_validation, early_stopping)
    result.compile_seconds, result.train_seconds = compile_seconds, train_seconds
    result.stopped_by_report = stopped_by_report
    return result


def assign_member(model: keras.Model, weights: tuple[list, list]) -> None:
    """Write one member's ``(trainable, non_trainable)`` arrays into ``model``'s variables."""
    trainable, non_trainable = weights
    for variable, value in zip(model.trainable_variables, trainable):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, non_trainable):
        variable.assign(value)


# --------------------------------------------------------------------------- the program


class WholeFitProgram:
    """The jitted chunk of epochs for one set of training settings, and its executables.

    ``run(carry, x, y, valid, end)`` runs epochs until ``carry["epoch"] == end``
    or the member stopped; vmapped over members when ``ensemble``. Built and
    cached by :meth:`CompiledModel.whole_fit`.
    """

    def __init__(
        self,
        compiled: CompiledModel,
        *,
        batch_size: int,
        shuffle: bool,
        patience: int | None,
        monitored: int | None,
        ensemble: bool,
        mesh: Any = None,
    ):
        self.compiled, self.mesh = compiled, mesh
        self.batch_size, self.shuffle = batch_size, shuffle
        self.patience, self.monitored = patience, monitored
        chunk = self._chunk
        if ensemble:
            chunk = jax.vmap(chunk, in_axes=(0, None, None, None, None))
        if mesh is None:
            self._jitted = jax.jit(chunk)
        else:  # every device, every process, ends with the whole state
            replicated = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
            self._jitted = jax.jit(chunk, out_shardings=replicated)
        self._executables: dict[Any, Any] = {}

    def end(self, epoch: int):
        """The epoch to run to, as the program takes it (held by every device of the mesh)."""
        value = np.asarray(epoch, np.int32)
        return jnp.asarray(value) if self.mesh is None else replicate(value, self.mesh)

    def executable(self, carry, x, y, valid):
        """The program compiled for these shapes (compiled at most once per shape)."""
        end = self.end(0)
        args = (carry, x, y, valid, end)
        signature = str(jax.tree.structure(args)) + str(
            [(a.shape, str(a.dtype)) for a in jax.tree.leaves(args)]
        )
        if signature not in self._executables:
            self._executables[signature] = self._jitted.lower(*args).compile()
        return self._executables[signature]

    def _chunk(self, carry, x, y, valid, end):
        compiled = self.compiled

        def running(c):
            return (c["epoch"] < end) & ~c["stopped"]

        def one_epoch(c):
            epoch = c["epoch"]
            key = jax.random.fold_in(c["key"], epoch)
            state, train_means = compiled._epoch_impl(
                c["state"], x, y, key, batch_size=self.batch_size, shuffle=self.shuffle
            )
            c = dict(c, state=state, epoch=epoch + 1)
            c["train_log"] = c["train_log"].at[epoch].set(train_means)
            finite = jnp.isfinite(train_means[0])
            if valid is None:
                return dict(c, stopped=~finite)
            valid_means = compiled._evaluate_impl(state[0], state[1], *valid)
            c["valid_log"] = c["valid_log"].at[epoch].set(valid_means)
            if self.patience is None:
                return dict(c, stopped=~finite)
            score = valid_means[self.monitored]
            better = score < c["best_score"]  # strictly, as EarlyStopping; NaN is never better
            c["best"] = jax.tree.map(
                lambda new, old: jnp.where(better, new, old), (state[0], state[1]), c["best"]
            )
            c["best_score"] = jnp.where(better, score, c["best_score"])
            c["best_epoch"] = jnp.where(better, epoch, c["best_epoch"])
            c["wait"] = jnp.where(better, 0, c["wait"] + 1)
            return dict(c, stopped=(c["wait"] >= self.patience) | ~finite)

        return jax.lax.while_loop(running, one_epoch, carry)


# --------------------------------------------------------------------------- helpers


def _monitor_index(monitor: str, names: list[str], has_validation: bool) -> int | None:
    if not has_validation:
        return None
    if not monitor.startswith("val_") or monitor[4:] not in names:
        choices = ", ".join("val_" + n for n in names)
        raise SeqcastError(f"monitor {monitor!r} is not computed; use one of {choices}")
    return names.index(monitor[4:])


def _initial_carry(
    members: list[keras.Model],
    optimizer_vars: list,
    epochs: int,
    n_logs: int,
    seed: int,
    first: int = 0,
) -> dict:
    """The loop's state for each member, stacked on a leading axis when there are several.

    ``first`` is the index of ``members[0]`` in the ensemble: it picks the shuffling keys.
    """
    base = jax.random.PRNGKey(seed)
    carries = []
    for index, member in enumerate(members, start=first):
        trainable, non_trainable = model_state(member)
        floatx = keras.backend.floatx()
        carries.append(
            {
                "state": (trainable, non_trainable, optimizer_vars),
                "best": (trainable, non_trainable),
                "best_score": jnp.asarray(np.inf, floatx),
                "best_epoch": jnp.asarray(-1, jnp.int32),
                "wait": jnp.asarray(0, jnp.int32),
                "epoch": jnp.asarray(0, jnp.int32),
                "stopped": jnp.asarray(False),
                # member 0 shuffles as training.fit does; the others with keys of their own
                "key": base if index == 0 else jax.random.fold_in(base, 1_000_003 + index),
                "train_log": jnp.full((epochs, n_logs), np.nan, floatx),
                "valid_log": jnp.full((epochs, n_logs), np.nan, floatx),
            }
        )
    if len(carries) == 1:
        return carries[0]
    return jax.tree.map(lambda *leaves: jnp.stack(leaves), *carries)


def _latest_score(carry, epoch_reached: np.ndarray, has_validation: bool, monitored) -> float:
    """The median over members of the monitored score (or the loss) at each one's last epoch."""
    log = to_host(carry["valid_log"] if has_validation else carry["train_log"])
    log = log.reshape(-1, *log.shape[-2:])
    column = monitored if has_validation else 0
    scores = [float(log[m, e - 1, column]) for m, e in enumerate(epoch_reached) if e > 0]
    return statistics.median(scores) if scores else float("nan")


def _unpack(carry, names, n_members, has_validation, early_stopping) -> MemberFits:
    """Per-member weights and histories from the final carry (on the host)."""
    carry = to_host(carry)
    if n_members == 1:
        carry = jax.tree.map(lambda leaf: np.asarray(leaf)[None], carry)
    weights, histories, best_epochs = [], [], []
    for m in range(n_members):
        ran = int(carry["epoch"][m])
        history = {name: carry["train_log"][m, :ran, i].tolist() for i, name in enumerate(names)}
        if has_validation:
            for i, name in enumerate(names):
                history["val_" + name] = carry["valid_log"][m, :ran, i].tolist()
        histories.append(history)
        source = carry["best"] if early_stopping and int(carry["best_epoch"][m]) >= 0 else None
        if source is None:
            source = carry["state"][:2]
        trainable, non_trainable = source
        weights.append(([a[m] for a in trainable], [a[m] for a in non_trainable]))
        best_epochs.append(int(carry["best_epoch"][m]) if early_stopping else None)
    return MemberFits(weights, histories, best_epochs=best_epochs)


def _fit_on_host(
    members, x, y, valid, seed, monitor, metrics, report, verbose, description, settings
) -> MemberFits:
    """Each member by ``training.fit`` with ``EarlyStopping``: for host-stepped models."""
    patience = settings.pop("patience")
    weights, histories, compile_seconds, train_seconds = [], [], 0.0, 0.0
    stopped_by_report = False
    first = members[0]
    for index, member in enumerate(members):
        if member is not first:  # a member is its weights; it trains as the first is compiled
            optimizer = type(first.optimizer).from_config(first.optimizer.get_config())
            member.compile(loss=first.loss, optimizer=optimizer)
        callbacks: list[keras.callbacks.Callback] = []
        if patience is not None:
            callbacks.append(
                keras.callbacks.EarlyStopping(
                    monitor, patience=patience, mode="min", restore_best_weights=True
                )
            )
        watcher = _ReportEvery(report, monitor if valid is not None else "loss")
        if report is not None and len(members) == 1:
            callbacks.append(watcher)
        member_seed = seed if index == 0 else seed + 1_000_003 + index
        history = fit(
            member,
            x,
            y,
            validation_data=valid,
            callbacks=callbacks,
            seed=member_seed,
            metrics=metrics,
            verbose=verbose,
            description=description if len(members) == 1 else f"{description} {index + 1}",
            **settings,
        )
        stopped_by_report = stopped_by_report or watcher.stopped
        trainable, non_trainable = model_state(member)
        weights.append(([np.asarray(v) for v in trainable], [np.asarray(v) for v in non_trainable]))
        histories.append({k: [float(v) for v in vs] for k, vs in history.history.items()})
        compile_seconds += history.compile_seconds
        train_seconds += history.train_seconds
    if len(members) > 1:
        assign_member(members[0], weights[0])
    return MemberFits(
        weights,
        histories,
        compile_seconds=compile_seconds,
        train_seconds=train_seconds,
        stopped_by_report=stopped_by_report,
        on_device=False,
        best_epochs=[None] * len(members),
    )


class _ReportEvery(keras.callbacks.Callback):
    """``report`` as a Keras callback, every ``EPOCHS_PER_CALL`` epochs as on the device."""

    def __init__(self, report: Report | None, monitor: str):
        super().__init__()
        self.report, self.monitor, self.stopped = report, monitor, False

    def on_epoch_end(self, epoch, logs=None):
        if self.report is None or (epoch + 1) % EPOCHS_PER_CALL:
            return
        if self.report(epoch + 1, float((logs or {}).get(self.monitor, np.nan))):
            self.stopped = True
            self.model.stop_training = True
