"""The whole fit as one compiled program: epochs, validation and early stopping on the device.

A ``lax.while_loop`` runs the epochs; its state, the *carry*, holds the
weights, the optimizer's state, the best weights so far, the best
validation score, the patience counter and the per-epoch logs. One call runs
epochs until a given end (or until early stopping); vmapped over a leading
member axis, it trains an ensemble side by side, each member stopping on its
own. :mod:`seqcast.training.whole_fit` drives it: it calls the program every
few epochs and reads the result.

The program is built once per compiled model and settings, kept on the
:class:`~seqcast.training.compiled.CompiledModel` (shared by every model of
one architecture), so a refit, an ensemble or a search compiles it once.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np

from seqcast.training.compiled import CompiledModel
from seqcast.training.mesh import replicate, to_host
from seqcast.training.state import model_state


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


def whole_fit_program(compiled: CompiledModel, **settings: Any) -> WholeFitProgram:
    """The :class:`WholeFitProgram` of ``compiled`` for these settings, built once."""
    key = ("whole_fit", *sorted(settings.items()))
    if key not in compiled.derived:
        compiled.derived[key] = WholeFitProgram(compiled, **settings)
    return compiled.derived[key]


class WholeFitProgram:
    """The jitted run of a fit's steps for one set of training settings, and its executables.

    ``run(carry, x, y, valid, start, stop) -> (carry, reached)`` trains the
    steps from position ``start`` to ``stop`` (a position is ``epoch *
    steps_per_epoch + step``; members train in lockstep), closing every epoch
    it completes (validation, early stopping), and returns early once every
    member stopped; ``reached`` is the position it got to. A call may begin
    and end inside an epoch: the epoch's batches are drawn again from its key,
    and its batch losses wait in the carry, so a fit run in many calls gives
    the same numbers as one run in one. The steps and the epoch's close are
    vmapped over members when ``ensemble``; the loops are not, so they stop
    where the host asks. Built and cached by :func:`whole_fit_program`.
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
        self.compiled, self.mesh, self.ensemble = compiled, mesh, ensemble
        self.batch_size, self.shuffle = batch_size, shuffle
        self.patience, self.monitored = patience, monitored
        if mesh is None:
            self._jitted = jax.jit(self._run)
        else:  # every device, every process, ends with the whole state
            replicated = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
            self._jitted = jax.jit(self._run, out_shardings=replicated)
        self._executables: dict[Any, Any] = {}
        #: Seconds a step took in the latest watched call, for the next fit's first call.
        self.seconds_per_step: float | None = None

    def position(self, value: int):
        """A step position as the program takes it (held by every device of the mesh)."""
        value = np.asarray(value, np.int32)
        return jnp.asarray(value) if self.mesh is None else replicate(value, self.mesh)

    def executable(self, carry, x, y, valid):
        """The program compiled for these shapes (compiled at most once per shape)."""
        args = (carry, x, y, valid, self.position(0), self.position(0))
        signature = str(jax.tree.structure(args)) + str(
            [(a.shape, str(a.dtype)) for a in jax.tree.leaves(args)]
        )
        if signature not in self._executables:
            self._executables[signature] = self._jitted.lower(*args).compile()
        return self._executables[signature]

    def positions_per_epoch(self, n: int) -> int:
        """The positions of an epoch: its steps (one, when the tail batch is all it has)."""
        return max(1, self.compiled.steps_per_epoch(n, self.batch_size))

    def _run(self, carry, x, y, valid, start, stop):
        steps = self.positions_per_epoch(x.shape[0])

        def running(loop):
            c, reached = loop
            return (reached < stop) & jnp.any(~c["stopped"])

        def epoch_part(loop):
            c, reached = loop
            epoch = reached // steps
            last = jnp.minimum(steps, stop - epoch * steps)
            c = self._each_member(self._steps, c, x, y, epoch, reached % steps, last)
            c = jax.lax.cond(
                last == steps,
                lambda c: self._each_member(self._close_epoch, c, x, y, valid, epoch),
                lambda c: c,
                c,
            )
            return c, epoch * steps + last

        return jax.lax.while_loop(running, epoch_part, (carry, start))

    def _each_member(self, fn, carry, *shared):
        """``fn(member's carry, *shared)`` for each member; a stopped member's carry kept."""
        if not self.ensemble:
            return fn(carry, *shared)  # the loop ran no further than the member
        new = jax.vmap(fn, in_axes=(0, *[None] * len(shared)))(carry, *shared)

        def kept(new_leaf, old_leaf):
            stopped = carry["stopped"].reshape(-1, *[1] * (new_leaf.ndim - 1))
            return jnp.where(stopped, old_leaf, new_leaf)

        return jax.tree.map(kept, new, carry)

    def _order(self, c, x, epoch):
        key = jax.random.fold_in(c["key"], epoch)
        settings = dict(batch_size=self.batch_size, shuffle=self.shuffle)
        return key, self.compiled._epoch_order(key, x.shape[0], **settings)

    def _steps(self, c, x, y, epoch, first, last):
        """Steps ``first`` to ``last`` of ``epoch``, their batch losses kept for its close."""
        compiled, (key, order) = self.compiled, self._order(c, x, epoch)
        settings = dict(batch_size=self.batch_size, shuffle=self.shuffle)

        def step(i, done):
            state, sums = done
            idx, wb = compiled._batch(key, order, i, x.shape[0], **settings)
            state, batch_sums = compiled._train_step(state, x[idx], y[idx], wb)
            return state, sums.at[i].set(batch_sums)

        last = jnp.minimum(last, c["step_sums"].shape[0])  # an epoch of its tail batch only
        state, sums = jax.lax.fori_loop(first, last, step, (c["state"], c["step_sums"]))
        return dict(c, state=state, step_sums=sums)

    def _close_epoch(self, c, x, y, valid, epoch):
        """The epoch's losses (and its tail batch), validation and the early-stopping rule."""
        compiled, (_, order) = self.compiled, self._order(c, x, epoch)
        tail = order[2] if order is not None else jnp.zeros(0, jnp.int32)
        state, sums = compiled._tail_step(c["state"], x, y, tail, c["step_sums"].sum(axis=0))
        train_means = sums / x.shape[0]
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


# --------------------------------------------------------------------------- the carry


def initial_carry(
    members: list[keras.Model],
    optimizer_vars: list,
    epochs: int,
    n_logs: int,
    seed: int,
    first: int = 0,
    steps: int = 1,
) -> dict:
    """The loop's state for each member, stacked on a leading axis when there are several.

    ``first`` is the index of ``members[0]`` in the ensemble: it picks the shuffling keys;
    ``steps`` is the number of steps of an epoch, whose batch losses the carry holds.
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
                "step_sums": jnp.zeros((steps, n_logs), floatx),
            }
        )
    if len(carries) == 1:
        return carries[0]
    return jax.tree.map(lambda *leaves: jnp.stack(leaves), *carries)


def latest_score(carry, epoch_reached: np.ndarray, has_validation: bool, monitored) -> float:
    """The median over members of the monitored score (or the loss) at each one's last epoch."""
    log = to_host(carry["valid_log"] if has_validation else carry["train_log"])
    log = log.reshape(-1, *log.shape[-2:])
    column = monitored if has_validation else 0
    scores = [float(log[m, e - 1, column]) for m, e in enumerate(epoch_reached) if e > 0]
    return statistics.median(scores) if scores else float("nan")


def unpack(carry, names, n_members, has_validation, early_stopping) -> MemberFits:
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
