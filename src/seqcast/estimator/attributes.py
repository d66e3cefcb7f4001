"""A fitted forecaster's public attributes, each read from its one :class:`FittedState`.

scikit-learn's convention: what ``fit`` learns ends in ``_`` and is absent
(``AttributeError``, so ``hasattr`` says False) until the estimator is
fitted. Here each is a view of ``state_``; the few that users and the
search set (``search_``, ``residuals_``, ``members_``) write a new state.

>>> from seqcast.estimator.state import Columns, FittedState
>>> class Fitted(FittedAttributes):
...     pass
>>> fitted = Fitted()
>>> hasattr(fitted, "residuals_")
False
>>> fitted.state_ = FittedState(None, "direct", None, Columns("y"), residuals={"y": 2.0})
>>> fitted.residuals_, fitted.target_
(2.0, 'y')
>>> fitted.residuals_ = 3.0
>>> fitted.state_.residuals
{'y': 3.0}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from seqcast.estimator.state import FittedState


class Fitted:
    """A fitted attribute: ``read(state)``; settable when ``write(state, value)`` is given."""

    def __init__(
        self,
        read: Callable[[FittedState], Any],
        doc: str,
        write: Callable[[FittedState, Any], FittedState] | None = None,
    ):
        self.read, self.write, self.__doc__ = read, write, doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        state = instance.__dict__.get("state_")
        if state is None:  # not fitted: as if the attribute were not there
            raise AttributeError(f"{type(instance).__name__} is not fitted: no {self.name}")
        return self.read(state)

    def __set__(self, instance: Any, value: Any) -> None:
        if self.write is None:
            raise AttributeError(
                f"{self.name} is read from the fitted state; fit again to change it"
            )
        instance.state_ = self.write(instance.state_, value)


def _residuals(state: FittedState) -> Any:
    """An array for one series, a dict by id for a panel, None without validation."""
    if state.residuals is None or not state.single:
        return state.residuals
    return state.residuals_for(state.columns.target)


def _with_residuals(state: FittedState, value: Any) -> FittedState:
    if state.single and value is not None:
        value = {state.columns.target: value}  # a lone series' id is its target's name
    return replace(state, residuals=value)


def _n_train(state: FittedState) -> int | None:
    if not state.single or state.data is None:
        return None
    return state.n_trains[state.data.ids[0]]


class FittedAttributes:
    """The attributes ``fit`` (or ``load``) gives a forecaster, all views of ``state_``."""

    model_ = Fitted(lambda s: s.model, "The trained network (an ensemble's first member).")
    strategy_ = Fitted(lambda s: s.strategy, "The multi-step strategy, ``auto`` resolved.")
    transforms_ = Fitted(lambda s: s.transforms, "Every series' fitted transform, by id.")
    transform_ = Fitted(
        lambda s: s.transforms.first, "The first series' transform: the settings all share."
    )
    columns_ = Fitted(lambda s: s.columns.as_dict(), "The columns read, by role.")
    data_ = Fitted(
        lambda s: s.data,
        "The panel given to fit, series too short to train on too (None for a loaded model).",
    )
    layout_ = Fitted(lambda s: s.layout, "How the fitted data was laid out (``single``...).")
    id_column_ = Fitted(lambda s: s.id_column, "The column naming the series.")
    series_ = Fitted(
        lambda s: s.data.series[0] if s.single and s.data is not None else None,
        "The one series fitted on (None for a panel or a loaded model).",
    )
    freq_ = Fitted(lambda s: s.freq, "The frequency of the fitted dates.")
    fill_ = Fitted(lambda s: s.reading.fill_method, "How fit filled missing dates.")
    duplicates_ = Fitted(lambda s: s.reading.duplicate_policy, "How fit merged repeated dates.")
    date_format_ = Fitted(lambda s: s.reading.date_format, "How fit was told dates are written.")
    n_trains_ = Fitted(lambda s: s.n_trains, "Each series' training points, by id.")
    n_train_ = Fitted(_n_train, "The one series' training points (None for a panel).")
    history_ = Fitted(lambda s: s.history, "The metrics of each epoch (the first member's).")
    members_ = Fitted(
        lambda s: s.members,
        "An ensemble's member weights, or None.",
        lambda s, value: replace(s, members=value),
    )
    member_histories_ = Fitted(lambda s: s.member_histories, "Each member's history.")
    stopped_by_report_ = Fitted(lambda s: s.stopped_by_report, "Whether ``report`` stopped it.")
    train_seconds_ = Fitted(lambda s: s.train_seconds, "Seconds spent training.")
    compile_seconds_ = Fitted(lambda s: s.compile_seconds, "Seconds spent compiling.")
    search_ = Fitted(
        lambda s: s.search,
        "What a ModelSearch that chose these settings recorded, or None.",
        lambda s, value: replace(s, search=value),
    )
    residuals_ = Fitted(_residuals, "The validation errors (by id for a panel).", _with_residuals)
    target_ = Fitted(lambda s: s.columns.target, "The target column.")
    covariates_ = Fitted(lambda s: s.columns.covariates, "Covariates read up to the origin.")
    known_ = Fitted(lambda s: s.columns.known, "Covariates known in advance.")
    static_ = Fitted(lambda s: s.columns.static, "Static covariates: one value per series.")
    scaler_ = Fitted(
        lambda s: s.transforms.first.scaler,
        "The scaling fitted on the training part (of the first series, for a panel).",
    )
