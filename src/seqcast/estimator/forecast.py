"""Forecasts at any origins of any series of a panel, through one pass of the network.

A :class:`Request` asks for one series' forecasts at some origins;
:func:`forecast_requests` reads every series through its own fitted
transform, runs all their inputs through the network together (each
member of an ensemble in turn) and gives back a :class:`Forecasts` per
request. ``predict``, ``backtest`` and the validation errors are all
requests: :func:`validation_residuals` is the last.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqcast import backend_check
from seqcast.data.panel import Panel
from seqcast.data.panel_transform import PanelTransform
from seqcast.data.series import SeriesData
from seqcast.data.transform import SeriesTransform
from seqcast.errors import SeqcastWarning
from seqcast.estimator.naming import named_message
from seqcast.estimator.prepare import statics_of
from seqcast.estimator.state import FittedState, Parameters

backend_check.ensure_jax_backend()

from seqcast import metrics, network, training  # noqa: E402
from seqcast.backtest import actual_at  # noqa: E402


@dataclass(frozen=True)
class Request:
    """Forecasts wanted for series ``sid``: from each of ``origins`` (positions in its data)."""

    sid: str
    series: SeriesData
    origins: np.ndarray
    future: np.ndarray | None = None  # its known covariates on the forecast dates, encoded


@dataclass(frozen=True)
class Forecasts:
    """One series' forecasts ``(origins, horizon)`` in data units, and what made them.

    ``x`` the scaled inputs, ``scaled`` the network's outputs (an
    ensemble's median), ``levels`` each member's forecasts in data units,
    ``transform`` the series' fitted transform.
    """

    point: np.ndarray
    x: np.ndarray
    scaled: np.ndarray
    levels: np.ndarray
    transform: SeriesTransform


def target_of(series: SeriesData) -> np.ndarray:
    """The target column in float64, the units forecasts and actual values are compared in."""
    return series.frame[series.target].to_numpy(dtype="float64")


def forecast_requests(
    panel: Panel,
    requests: list[Request],
    *,
    transforms: PanelTransform,
    network_model: Any,
    strategy: str,
    model: Any,
    horizon: int,
    members: list | None = None,
) -> list[Forecasts]:
    """The forecasts at each request's origins, every series in one pass of each member.

    Each series is read through its own fitted transform (a series the
    model was not fitted on, through one fitted on its own data); the
    inputs of all series go through the network together. An ensemble's
    forecast (``members``: each member's weights) is its members' median,
    level by level.
    """
    prepared = []
    for request in requests:
        frame = transforms.frame(request.series.frame, request.sid, statics_of(panel, request.sid))
        fitted = transforms.of(request.sid) or transforms.cold(frame)
        prepared.append((fitted, fitted.inputs_at(frame, request.origins, request.future)))
    if not prepared:
        return []
    x_all = np.concatenate([x for _, x in prepared])
    scaled_all = _through_members(network_model, strategy, x_all, model, horizon, members)
    results, start = [], 0
    for request, (fitted, x) in zip(requests, prepared):
        scaled = scaled_all[:, start : start + len(x)]
        start += len(x)
        target = target_of(request.series)
        levels = np.stack([fitted.to_levels(target, request.origins, s) for s in scaled])
        results.append(
            Forecasts(np.median(levels, axis=0), x, np.median(scaled, axis=0), levels, fitted)
        )
    return results


def _through_members(
    network_model: Any,
    strategy: str,
    x: np.ndarray,
    model: Any,
    horizon: int,
    members: list | None,
) -> np.ndarray:
    """Each member's scaled forecasts of inputs ``x``: ``(members, origins, horizon)``.

    The network is left holding the first member's weights, as it was.
    """
    members = members or [None]
    outputs = []
    try:
        for weights in members:
            if weights is not None:
                training.assign_member(network_model, weights)
            outputs.append(
                network.forecast(network_model, strategy, x, model=model, horizon=horizon)
            )
    finally:
        if members[0] is not None:
            training.assign_member(network_model, members[0])
    return np.stack(outputs)


def forecast_at(
    params: Parameters, state: FittedState, panel: Panel, requests: list[Request]
) -> list[Forecasts]:
    """The fitted model's forecasts at each request's origins (:func:`forecast_requests`)."""
    return forecast_requests(
        panel,
        requests,
        transforms=state.transforms,
        network_model=state.model,
        strategy=state.strategy,
        model=params.model,
        horizon=params.horizon,
        members=state.members,
    )


def far_message(panel: Panel, requests: list[Request], transforms: PanelTransform) -> str | None:
    """A warning when some series' inputs lie far outside their training range, else None.

    ``SeriesTransform.far_outside`` says what far is; a series the model was
    not fitted on is scaled by its own history, so it has nothing to be far from.
    """
    messages = []
    for request in requests:
        fitted = transforms.of(request.sid)
        if fitted is None:
            continue
        frame = transforms.frame(request.series.frame, request.sid, statics_of(panel, request.sid))
        message = fitted.far_outside(frame, request.origins, request.future)
        if message:
            messages.append(named_message(panel, request.sid, message))
    if len(messages) > 1:
        return (
            f"{len(messages)} series have inputs far outside their training range; "
            f"the first, {messages[0]}"
        )
    return messages[0] if messages else None


def warn_if_far(
    panel: Panel, requests: list[Request], transforms: PanelTransform, stacklevel: int
) -> None:
    """Warn when the inputs at the requested origins lie far outside the training range.

    ``stacklevel`` counts from the caller of this function up to the user's call.
    """
    message = far_message(panel, requests, transforms)
    if message:
        warnings.warn(message, SeqcastWarning, stacklevel=stacklevel + 1)


def validation_origins(params: Parameters, state: FittedState, series: SeriesData, sid: str):
    """The forecast origins of series ``sid``'s validation part (after its training part)."""
    return np.arange(state.n_trains[sid], len(series) - params.horizon + 1)


def validation_residuals(
    params: Parameters, state: FittedState, panel: Panel
) -> dict[str, np.ndarray]:
    """Actual minus forecast ``(origins, horizon)`` over each validation part, in data units.

    The spread of the errors the model makes, for intervals that include
    the noise of the series (MC dropout sees only the model's doubt).
    """
    requests = []
    for sid, series in zip(panel.ids, panel):
        origins = validation_origins(params, state, series, sid)
        if len(origins):
            requests.append(Request(sid, series, origins))
    residuals = {}
    for request, result in zip(requests, forecast_at(params, state, panel, requests)):
        actual = actual_at(target_of(request.series), request.origins, params.horizon)
        residuals[request.sid] = actual - result.point
    return residuals


def validation_wape(params: Parameters, state: FittedState) -> float | None:
    """The validation errors over every series relative to their values: WAPE (a fraction)."""
    residuals, data = state.residuals, state.data
    if residuals is None or data is None:
        return None
    actual, error = [], []
    for sid, series in zip(data.ids, data):
        if sid in residuals:
            origins = validation_origins(params, state, series, sid)
            actual.append(actual_at(target_of(series), origins, params.horizon).ravel())
            error.append(residuals[sid].ravel())
    actual_all = np.concatenate(actual)
    return metrics.wape(actual_all, actual_all - np.concatenate(error)) / 100
