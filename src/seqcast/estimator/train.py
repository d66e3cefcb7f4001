"""Training: from a prepared panel to a :class:`FittedState` (and the learning-rate sweep).

:func:`train` runs every epoch of every ensemble member on the device
(``seqcast.training.whole_fit``), early-stopped on the validation part, and
gathers what was learnt into one state, the validation errors last (they
are forecasts of the fitted model). :func:`sweep` is the course's
learning-rate sweep on a throwaway network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from seqcast import backend_check
from seqcast.data.options import ReadOptions
from seqcast.data.panel import Panel
from seqcast.estimator import prepare as steps
from seqcast.estimator import short_series
from seqcast.estimator.forecast import validation_residuals
from seqcast.estimator.naming import WHOLE_SERIES
from seqcast.estimator.state import Columns, FittedState, Parameters

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import training  # noqa: E402
from seqcast.lr_sweep import LearningRateSweep, sweep_schedule  # noqa: E402


def train(
    params: Parameters,
    panel: Panel,
    columns: Columns,
    valid: Any,
    reading: ReadOptions,
    report: Callable[[int, float], bool] | None = None,
    partitioned: bool = False,
) -> FittedState:
    """Fit a network to every series of ``panel``, validated on the part after ``valid``."""
    steps.refuse_iterative_covariates(params, panel, list(columns.static))
    part = "the training part" if valid is not None else WHOLE_SERIES
    trained, splits = short_series.trainable(  # the series long enough to train on
        params, panel, steps.training_ends(panel, valid), part, stacklevel=3
    )
    if partitioned:
        steps.refuse_partition_wide(trained, params.id_embedding)
    setup = steps.prepare(params, trained, splits, len(columns.known))
    validation = steps.validation_windows(params, trained, setup)
    fitted = training.fit_members(
        setup.model,
        setup.x,
        setup.y,
        members=steps.more_members(params, setup),
        validation_data=validation,
        epochs=params.epochs,
        batch_size=params.batch_size,
        patience=params.patience or None,
        monitor="val_forecast_mae",
        metrics=["forecast_mae"],  # seqcast.metrics.PER_SAMPLE
        seed=params.seed,
        report=report,
        verbose=params.verbose,
        description=params.model_name,
        devices=params.devices,
        partitioned=partitioned,
    )
    # the data kept is all that was given: predict() forecasts the short series too
    state = replace(fitted_state(params, trained, columns, reading, setup, fitted), data=panel)
    if validation is None:
        return state
    return replace(state, residuals=validation_residuals(params, state, trained))


def fitted_state(
    params: Parameters,
    panel: Panel,
    columns: Columns,
    reading: ReadOptions,
    setup: steps.Setup,
    fitted: Any,
) -> FittedState:
    """What a fit learnt (``fitted``: ``training.fit_members``' result), as one state."""
    lag = setup.transform.lag  # positions in the data, not in its changes
    return FittedState(
        model=setup.model,
        strategy=setup.strategy,
        transforms=setup.transform,
        columns=columns,
        layout=panel.layout,
        id_column=panel.id_column,
        freq=panel.freq,
        reading=ReadOptions(
            date_format=reading.date_format,
            fill=reading.fill_method,
            duplicates=reading.duplicate_policy,
        ),
        history=fitted.histories[0],
        members=fitted.weights if params.ensemble > 1 else None,
        member_histories=fitted.histories,
        stopped_by_report=fitted.stopped_by_report,
        train_seconds=fitted.train_seconds,
        compile_seconds=fitted.compile_seconds,
        data=panel,
        n_trains={sid: n + lag for sid, n in zip(panel.ids, setup.n_trains)},
    )


def sweep(params: Parameters, panel: Panel, min_lr: float, epochs: int) -> LearningRateSweep:
    """Train a fresh network ``epochs`` epochs with lr = ``min_lr * 10 ** (epoch / 20)``."""
    # Every column is read up to the origin: no known covariates, no validation part.
    panel, splits = short_series.trainable(
        params, panel, [len(series) for series in panel], WHOLE_SERIES, stacklevel=3
    )
    setup = steps.prepare(params, panel, splits, known=0)
    schedule = sweep_schedule(min_lr)
    history = training.fit(
        setup.model,
        setup.x,
        setup.y,
        epochs=epochs,
        batch_size=params.batch_size,
        callbacks=[keras.callbacks.LearningRateScheduler(schedule)],
        seed=params.seed,
        verbose=params.verbose,
        description="lr sweep",
        devices=params.devices,
    )
    losses = np.asarray(history.history["loss"], dtype="float64")
    rates = np.array([schedule(e) for e in range(len(losses))])
    return LearningRateSweep(rates, losses)
