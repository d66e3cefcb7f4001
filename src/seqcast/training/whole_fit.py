"""The whole fit in one compiled call: epochs, validation and early stopping on the device.

:func:`seqcast.training.fit` goes back to Python after every epoch, so that
Keras callbacks can see the weights. When all a fit needs between epochs is
a validation score and the early-stopping rule, that round trip is pure
cost: here a ``lax.while_loop`` runs the epochs on the device, its state
holding the weights, the optimizer's state, the best weights so far, the
best validation score and the patience counter. A silent fit is one call; a
watched one returns to the host about twice a second, mid-epoch if need be,
so that its bar moves on a panel of any size (:mod:`seqcast.training.pacing`),
and every ``EPOCHS_PER_CALL`` epochs for a ``report`` hook that may stop it, as
a search's pruner does. The numbers do not depend on where the calls fall.

**Ensembles.** :func:`fit_members` trains K members of one architecture
together: the same program is ``vmap``-ped over a leading member axis, each
member with its own initial weights and batch order, and each stops early on
its own (a member whose patience ran out keeps its best weights while the
others go on).

**Shared programs.** The program (:mod:`seqcast.training.whole_fit_program`)
is compiled once per architecture, input shapes and training settings
(``seqcast.training.compiled.compiled_for``), not once per model object: a
refit, an ensemble or a search over learning rates compiles once. This module
drives it: it checks and places the data as ``fit`` does
(:mod:`seqcast.training.fit_data`), calls the program every few epochs and
gathers each member's weights and history.

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

import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import jax
import keras
import numpy as np

from seqcast.errors import SeqcastError
from seqcast.training.compiled import compiled_for
from seqcast.training.fit_data import FitData, check_fit, place_fit, split_batches
from seqcast.training.loop import fit, progress_bar
from seqcast.training.mesh import replicate, to_host
from seqcast.training.pacing import Pace
from seqcast.training.state import assign_member, model_state, training_state
from seqcast.training.whole_fit_program import (
    MemberFits,
    initial_carry,
    latest_score,
    unpack,
    whole_fit_program,
)

#: Epochs between calls of a ``report`` hook (a search's pruner); a progress bar
#: is moved more often (:mod:`seqcast.training.pacing`), a silent fit is one call.
EPOCHS_PER_CALL = 10

#: ``report(epoch, score) -> stop?``: called between calls with the monitored score.
Report = Callable[[int, float], bool]


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
    data = check_fit(
        model, x, y, validation_data, epochs=epochs, batch_size=batch_size, metrics=metrics
    )
    compiled = compiled_for(model, model.loss, data.metrics)
    monitored = _monitor_index(monitor, compiled.log_names, data.valid is not None)
    patience = patience if data.valid is not None else None
    batch_size, mesh = split_batches(model, data, devices)
    all_members = [model, *members]
    settings = dict(batch_size=batch_size, shuffle=shuffle, patience=patience)

    if compiled.steps_from_python and mesh is None:
        return _fit_on_host(
            all_members, data, seed, monitor, report, verbose, description, settings
        )

    # On an accelerator the members train side by side in one vmapped program, nearly
    # for free; on a CPU side by side costs about as much as one after the other, and
    # more when members stop at different epochs (a stopped member still computes
    # until the last stops), so there they run in turn through the same program
    # (compiled once): K members cost K times one member. See benchmarks/README.md.
    together = vmap_members if vmap_members is not None else jax.default_backend() != "cpu"
    groups = [all_members] if together else [[member] for member in all_members]
    placed = place_fit(data, mesh, partitioned=partitioned)
    optimizer_vars = training_state(model)[2]  # fresh: every member starts from them
    parts = []
    for index, group in enumerate(groups):
        program = whole_fit_program(
            compiled, **settings, monitored=monitored, ensemble=len(group) > 1, mesh=mesh
        )
        label = description or "training"
        if len(groups) > 1:
            label += f" {index + 1}/{len(groups)}"
        steps = compiled.steps_per_epoch(placed[0].shape[0], batch_size)
        carry = initial_carry(
            group, optimizer_vars, data.epochs, len(compiled.log_names), seed, index, steps
        )
        if mesh is not None:
            carry = replicate(carry, mesh)
        parts.append(_run(program, carry, placed, data.epochs, report, verbose, label))
        if parts[-1].stopped_by_report:
            break
    result = _joined(parts)
    assign_member(model, result.weights[0])
    _warn_if_diverged(result.histories)
    return result


def _joined(parts: list[MemberFits]) -> MemberFits:
    """The fits of the groups of members, one after the other, as one."""
    return MemberFits(
        [w for part in parts for w in part.weights],
        [h for part in parts for h in part.histories],
        compile_seconds=sum(part.compile_seconds for part in parts),
        train_seconds=sum(part.train_seconds for part in parts),
        stopped_by_report=parts[-1].stopped_by_report,
        best_epochs=[b for part in parts for b in part.best_epochs],
    )


def _warn_if_diverged(histories: list[dict[str, list[float]]]) -> None:
    """Warn, as ``fit`` does, when a member's loss was no longer finite (once for all)."""
    for history in histories:
        if history["loss"] and not np.isfinite(history["loss"][-1]):
            warnings.warn(
                f"the training loss became {history['loss'][-1]} at epoch "
                f"{len(history['loss'])}; lower the learning rate or clip gradients "
                "(clipnorm=1.0)",
                stacklevel=3,
            )
            break


def _run(program, carry, data, epochs, report, verbose, description) -> MemberFits:
    """Run ``program`` from ``carry`` to the end: in one call, or in short ones while watched.

    A bar moves every call (fractions of an epoch, see :mod:`seqcast.training.pacing`);
    ``report`` is called at every ``EPOCHS_PER_CALL`` epochs, however the calls fall.
    """
    started = time.perf_counter()
    run = program.executable(carry, *data)
    compile_seconds = time.perf_counter() - started
    has_validation = data[2] is not None
    steps = program.positions_per_epoch(data[0].shape[0])
    total = epochs * steps
    per_report = EPOCHS_PER_CALL * steps if verbose or report is not None else total
    pace = Pace(program.seconds_per_step) if verbose else None
    names = program.compiled.log_names
    shown_as = "val_" + names[program.monitored] if has_validation else "loss"
    progress = progress_bar(epochs, description, verbose, fractional=True)
    stopped_by_report, train_seconds, reached = False, 0.0, 0
    try:
        while reached < total:
            boundary = min((reached // per_report + 1) * per_report, total)
            stop = pace.next_stop(reached, boundary) if pace else boundary
            started = time.perf_counter()
            carry, position = run(carry, *data, program.position(reached), program.position(stop))
            ran, reached = int(to_host(position)) - reached, int(to_host(position))
            all_stopped = bool(to_host(carry["stopped"]).all())
            seconds = time.perf_counter() - started
            train_seconds += seconds
            if pace is not None:
                pace.measured(ran, seconds)
            furthest = int(to_host(carry["epoch"]).max())
            if verbose:
                _show(progress, shown_as, carry, furthest, has_validation, program, reached / steps)
            if all_stopped:
                break
            if reached == boundary and report is not None:
                score = latest_score(
                    carry, to_host(carry["epoch"]).reshape(-1), has_validation, program.monitored
                )
                if report(furthest, score):
                    stopped_by_report = True
                    break
    finally:
        progress.close()
    if pace is not None:
        program.seconds_per_step = pace.seconds_per_step  # the next fit's first call
    n_members = int(to_host(carry["epoch"]).size)
    early_stopping = program.patience is not None
    result = unpack(carry, program.compiled.log_names, n_members, has_validation, early_stopping)
    result.compile_seconds, result.train_seconds = compile_seconds, train_seconds
    result.stopped_by_report = stopped_by_report
    return result


def _show(progress, shown_as, carry, furthest, has_validation, program, epochs_done) -> None:
    """The bar at ``epochs_done`` (a fraction), with the latest epoch's monitored score."""
    if furthest != getattr(progress, "scored_epoch", 0):  # a new epoch closed: a new score
        epoch_reached = to_host(carry["epoch"]).reshape(-1)
        score = latest_score(carry, epoch_reached, has_validation, program.monitored)
        progress.set_postfix({shown_as: f"{score:.4g}"}, refresh=False)
        progress.scored_epoch = furthest
    progress.update(epochs_done - progress.n)


def _monitor_index(monitor: str, names: list[str], has_validation: bool) -> int | None:
    if not has_validation:
        return None
    if not monitor.startswith("val_") or monitor[4:] not in names:
        choices = ", ".join("val_" + n for n in names)
        raise SeqcastError(f"monitor {monitor!r} is not computed; use one of {choices}")
    return names.index(monitor[4:])


def _fit_on_host(
    members, data: FitData, seed, monitor, report, verbose, description, settings
) -> MemberFits:
    """Each member by ``training.fit`` with ``EarlyStopping``: for host-stepped models."""
    settings = dict(settings, epochs=data.epochs)
    patience = settings.pop("patience")
    valid = data.valid
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
            data.x,
            data.y,
            validation_data=valid,
            callbacks=callbacks,
            seed=member_seed,
            metrics=data.metrics,
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
