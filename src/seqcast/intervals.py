"""Forecast intervals: MC dropout or an ensemble's spread (the model's doubt), or residuals.

The validation residuals include the noise of the series; MC dropout and
an ensemble's members (``Forecaster(ensemble=K)``) measure only how much
the model itself is unsure.

``Forecaster.predict(intervals=...)`` calls :func:`forecast_band`, which
picks the method (:func:`choose_method`) and gets the band from
:func:`residual_band` or :func:`mc_dropout_band`, in the data's units;
:func:`one_sided_note` says in a sentence where a band misses its forecast.

>>> point = np.array([[10.0, 11.0]])
>>> residuals = np.array([[-1.0, -2.0], [0.0, 0.0], [1.0, 2.0]])   # actual - forecast
>>> lower, upper = residual_band(point, residuals, 0.5)
>>> lower.tolist(), upper.tolist()
([[9.5, 10.0]], [[10.5, 12.0]])
"""

from __future__ import annotations

import numpy as np

from seqcast import backend_check
from seqcast.checks import fraction, one_of
from seqcast.choices import INTERVAL_METHODS
from seqcast.data.scaling import Scaler
from seqcast.errors import SeqcastError

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import strategies  # noqa: E402


def tails(level: float) -> tuple[float, float]:
    """The lower and upper quantiles of a central ``level`` band: 0.9 -> (0.05, 0.95)."""
    return ((1 - level) / 2, (1 + level) / 2)


def choose_method(
    level: float,
    method: str,
    model: keras.Model,
    residuals: np.ndarray | None,
    model_name: str,
    members: np.ndarray | None = None,
) -> str:
    """Check ``level`` and ``method``; resolve ``"auto"`` (MC dropout if the model has dropout)."""
    fraction(level, "intervals")
    one_of(method, INTERVAL_METHODS, "interval method")
    if method == "ensemble" and (members is None or len(members) < 2):
        raise SeqcastError(
            f"model {model_name!r} is not an ensemble, so it has no spread of members to "
            "draw an interval from; fit it with ensemble=10 (--ensemble 10)"
        )
    if method == "auto":
        method = "mc_dropout" if strategies.has_dropout(model) else "residuals"
    if method == "residuals" and residuals is None:
        raise SeqcastError(
            f"model {model_name!r} has neither dropout nor validation errors to draw "
            "an interval from; fit it with valid=... (--valid-from) or dropout=0.2 (--dropout)"
        )
    return method


def residual_band(
    point: np.ndarray, residuals: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """The point forecast plus the ``level`` band of the validation errors, per horizon step.

    ``residuals`` are actual minus forecast ``(origins, horizon)``; ``point``
    is ``(n, horizon)``. The validation part also chose the epoch, so the
    band is a little optimistic.

    The band is not centred on the forecast: a model that under-forecast the
    validation part (errors mostly positive) gets a band above its forecast,
    which is where the values fell. Centring it would hide that bias and
    cover less than ``level``; :func:`one_sided_note` tells the user instead.
    """
    lower, upper = point + np.quantile(residuals, tails(level), axis=0)[:, None]
    return lower, upper


def mc_dropout_band(
    model: keras.Model,
    x: np.ndarray,
    level: float,
    *,
    samples: int,
    seed: int,
    scaler: Scaler,
    strategy: str,
    model_name: str,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``level`` band of ``samples`` MC-dropout forecasts from inputs ``x``, unscaled.

    The bounds are in the units of what the model forecasts (the change, for
    a differenced model): the caller puts them on top of its point path.
    """
    if strategy == "iterative":
        raise SeqcastError("intervals need the direct or seq2seq strategy, not iterative")
    if not strategies.has_dropout(model):
        raise SeqcastError(
            f"model {model_name!r} was trained without dropout, so it has no MC-dropout "
            "intervals; fit with dropout=0.2 (--dropout 0.2) to get them"
        )
    quantiles = tails(level)
    mc = strategies.mc_dropout(model, x, samples=samples, seed=seed, quantiles=quantiles)
    bounds = []
    for q in quantiles:
        values = mc.quantiles[q]
        bounds.append(scaler.inverse_target(values[:, -1] if values.ndim == 3 else values))
    lower, upper = bounds
    return lower, upper


def ensemble_band(members: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The ``level`` band of the members' forecasts ``(members, n, horizon)``, step by step.

    With few members the band's edges are interpolated between them: ten
    members give a rough 90% band (a member's forecast more or less).

    >>> members = np.array([[[1.0]], [[2.0]], [[3.0]]])
    >>> [band.tolist() for band in ensemble_band(members, 0.5)]
    [[[1.5]], [[2.5]]]
    """
    low, high = tails(level)
    return np.quantile(members, low, axis=0), np.quantile(members, high, axis=0)


def forecast_band(
    level: float,
    method: str,
    *,
    point: np.ndarray,
    scaled: np.ndarray,
    x: np.ndarray,
    model: keras.Model,
    residuals: np.ndarray | None,
    members: np.ndarray | None = None,
    scaler: Scaler,
    strategy: str,
    samples: int,
    seed: int,
    model_name: str,
) -> tuple[str, np.ndarray, np.ndarray]:
    """The method used and the ``level`` band around the forecast ``point`` ``(n, horizon)``.

    ``scaled`` is the model's output for inputs ``x`` and ``point`` its level
    in the data's units (they differ by the differencing, for a model that
    forecasts changes); ``residuals`` the validation errors, or None;
    ``members`` an ensemble's forecasts ``(members, n, horizon)`` in data units, or None.
    """
    method = choose_method(level, method, model, residuals, model_name, members)
    if method == "ensemble":
        lower, upper = ensemble_band(members, level)
        return method, lower, upper
    if method == "residuals":
        lower, upper = residual_band(point, residuals, level)
        return method, lower, upper
    lower, upper = mc_dropout_band(
        model,
        x,
        level,
        samples=samples,
        seed=seed,
        scaler=scaler,
        strategy=strategy,
        model_name=model_name,
    )
    # Differenced: the band is the change's band on top of the point path.
    base = point - scaler.inverse_target(scaled)
    return method, lower + base, upper + base


def one_sided_note(
    point: np.ndarray, lower: np.ndarray, upper: np.ndarray, level: float, method: str
) -> str | None:
    """A sentence for the steps where the band lies wholly on one side of ``point``; else None.

    ``point``, ``lower`` and ``upper`` are one forecast ``(horizon,)``. Such a
    band is right for a biased model (see :func:`residual_band`) but surprises
    a reader who expects it around the forecast.

    >>> one_sided_note(np.array([1.0, 2, 3]), np.array([1.5, 2.5, 2]), np.array([2.0, 3, 4]),
    ...                0.9, "residuals")  # doctest: +ELLIPSIS
    'the 90% band lies above the forecast at steps 1-2: the model under-forecast the ...'
    >>> one_sided_note(np.array([1.0]), np.array([0.5]), np.array([2.0]), 0.9, "residuals")
    """
    above = np.flatnonzero(np.asarray(lower) > np.asarray(point)) + 1
    below = np.flatnonzero(np.asarray(upper) < np.asarray(point)) + 1
    if not len(above) and not len(below):
        return None
    sides = []
    if len(above):
        sides.append(f"above the forecast at {_steps(above)}")
    if len(below):
        sides.append(f"below the forecast at {_steps(below)}")
    side = "under" if len(above) >= len(below) else "over"
    if method == "residuals":
        why = (
            f"the model {side}-forecast the validation part, and the band is where the actual "
            "values fell around its forecasts there"
        )
    else:
        why = "most of the dropout forecasts lie on that side of the forecast without dropout"
    return (
        f"the {level:.0%} band lies {' and '.join(sides)}: {why}; it is left as it is "
        "(centred, it would hide the bias), and a refit (more epochs, differencing) may "
        "reduce the bias"
    )


def _steps(steps: np.ndarray) -> str:
    """Horizon steps as runs: [1, 2, 3, 5] -> 'steps 1-3, 5'; [2] -> 'step 2'."""
    runs: list[list[int]] = []
    for step in map(int, steps):
        if runs and step == runs[-1][-1] + 1:
            runs[-1].append(step)
        else:
            runs.append([step])
    words = [f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    return f"step{'s' if len(steps) > 1 else ''} {', '.join(words)}"
