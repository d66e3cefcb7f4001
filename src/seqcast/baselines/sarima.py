"""SARIMA as a baseline: orders chosen on the fit range, fitted once, re-filtered per origin.

statsmodels is imported only when a SARIMA is fitted, so the other baselines
load without it.

>>> SARIMA_CANDIDATES[0]
((1, 0, 0), (0, 0, 0))
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from seqcast.baselines.origins import TooLittleHistory, series_inputs
from seqcast.checks import optional_positive_int
from seqcast.errors import SeqcastError

#: The longest season a state-space baseline (SARIMA here, AutoETS and AutoARIMA in
#: seqcast.baselines.statistical) models: beyond it the seasonal state has too many
#: entries to fit and filter quickly, and the baseline goes without a season.
MAX_STATE_SPACE_SEASON = 60


def sarima_forecast(
    series,
    origins,
    horizon: int,
    *,
    fit_end: int,
    order: tuple[int, int, int] | str = (1, 1, 1),
    seasonal_order: tuple[int, int, int] = (0, 1, 1),
    season: int | None = None,
) -> np.ndarray:
    """SARIMA fitted once on ``series[:fit_end]``, then run on ``series[:t]`` for each origin.

    The parameters are estimated once (``fit_end <= min(origins)``, so the fit
    never sees a forecast target); each origin only re-filters ``series[:t]``
    with them (``results.apply``), which is cheap next to a refit.

    The seasonal part ``seasonal_order + (season,)`` is used only for
    ``1 < season <= 60``: with ``season=None`` or ``1`` there is none, and for a
    longer season (365 for daily data) the state space has hundreds of states
    and filtering gets far too slow, so the model falls back to a plain
    ``ARIMA(order)``; use the differencing baselines for yearly seasons.

    ``order="auto"`` picks the orders among a few usual ones (``SARIMA_CANDIDATES``)
    by the one-step MAE on the last fifth of ``series[:fit_end]``, each fitted on
    the four fifths before it: a fixed order can be a poor, unfair yardstick
    (seasonal differencing at 11 years for a sunspot cycle that drifts).

    >>> series = np.sin(np.arange(120) * 2 * np.pi / 12) + np.arange(120) / 10
    >>> sarima_forecast(series, [100, 110], 3, fit_end=100, season=12).shape
    (2, 3)
    """
    series, origins = series_inputs(series, origins, horizon)
    optional_positive_int(season, "season")
    if isinstance(order, str):
        if order != "auto":
            raise SeqcastError(f"SARIMA order must be (p, d, q) or 'auto', got {order!r}")
        order, seasonal_order = select_sarima_order(series[:fit_end], season)
    if len(order) != 3 or len(seasonal_order) != 3:
        raise SeqcastError(
            "SARIMA takes order=(p, d, q) and seasonal_order=(P, D, Q) with the period in "
            f"season, but got {order} and {seasonal_order}; pass three numbers in each."
        )
    if not 0 < fit_end <= origins.min():
        raise SeqcastError(
            f"SARIMA must be fitted before the first forecast origin {origins.min()}, "
            f"but fit_end is {fit_end}; pass a fit_end between 1 and {origins.min()}."
        )
    s = season if season is not None and 1 < season <= MAX_STATE_SPACE_SEASON else 0
    full_seasonal = (*seasonal_order, s) if s else (0, 0, 0, 0)
    _need_sarima_points(fit_end, order, full_seasonal)
    with _quiet_statsmodels():
        try:
            results = _fit_sarimax(series[:fit_end], order, full_seasonal)
            # one re-filter per origin, with the fitted parameters: the past up to t only
            rows = [results.apply(series[:t]).forecast(horizon) for t in origins]
        except SeqcastError:
            raise
        except (np.linalg.LinAlgError, ValueError, IndexError) as exc:
            raise SeqcastError(
                f"SARIMA{order}x{full_seasonal} could not be fitted on series[:{fit_end}] "
                f"({type(exc).__name__}: {exc}); try a simpler order or a longer fit range."
            ) from exc
    return np.asarray(rows, dtype=float).reshape(len(origins), horizon)


# (p, d, q), (P, D, Q): short-memory ARMA, with and without a trend, each with no
# seasonal part, seasonal differencing with an MA term, or a seasonal AR term.
SARIMA_CANDIDATES: tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...] = tuple(
    (order, seasonal)
    for order in ((1, 0, 0), (2, 0, 0), (2, 0, 1), (0, 1, 1), (1, 1, 1), (2, 1, 1))
    for seasonal in ((0, 0, 0), (0, 1, 1), (1, 0, 0))
)


#: How close to the lowest one-step MAE a candidate's must be to count as equally good
#: (relative): among those, :func:`select_sarima_order` takes the one with the fewest terms.
AS_GOOD_WITHIN = 0.01


def _arma_terms(orders: tuple[tuple[int, int, int], tuple[int, int, int]]) -> int:
    """The number of AR and MA coefficients a candidate estimates (p + q + P + Q)."""
    (p, _, q), (big_p, _, big_q) = orders
    return p + q + big_p + big_q


def select_sarima_order(
    train: np.ndarray, season: int | None
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The simplest candidate orders whose one-step MAE on the last fifth of ``train`` is lowest.

    Each candidate is fitted on the first four fifths and filtered over the
    whole of ``train`` with those parameters; candidates that cannot be
    fitted are passed over. Without a usable season only non-seasonal ones run.

    Candidates within :data:`AS_GOOD_WITHIN` of the lowest MAE count as equally
    good, and the one with the fewest ARMA terms among them is chosen (the
    first listed on a tie). Several orders often score within a fraction of a
    percent of each other; taking the lowest MAE alone let the fifth digit of an
    optimiser's result pick the model, and so the figure moved with the versions
    of the numerical libraries (elnino's test MAE went from 0.686 to 0.861).
    """
    train = np.asarray(train, dtype=float)
    split = len(train) * 4 // 5
    seasonal = season is not None and 1 < season <= MAX_STATE_SPACE_SEASON
    scored: list[tuple[float, tuple[tuple[int, int, int], tuple[int, int, int]]]] = []
    with _quiet_statsmodels():
        for order, seasonal_order in SARIMA_CANDIDATES:
            if not seasonal and seasonal_order != (0, 0, 0):
                continue
            full = (*seasonal_order, season) if seasonal and seasonal_order != (0, 0, 0) else None
            full = full or (0, 0, 0, 0)
            try:
                _need_sarima_points(split, order, full)
                fitted = _fit_sarimax(train[:split], order, full)
                one_step = fitted.apply(train).fittedvalues[split:]
            except (SeqcastError, np.linalg.LinAlgError, ValueError, IndexError):
                continue
            scored.append(
                (float(np.mean(np.abs(train[split:] - one_step))), (order, seasonal_order))
            )
    if not scored:
        raise TooLittleHistory(
            f"no SARIMA order could be fitted on {split} points; fit on a longer stretch"
        )
    return simplest_as_good(scored)


def simplest_as_good(
    scored: list[tuple[float, tuple[tuple[int, int, int], tuple[int, int, int]]]],
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Of (MAE, orders) pairs, the orders with the fewest terms among those as good as the best.

    >>> simplest_as_good([(0.3451, ((2, 1, 1), (0, 1, 1))), (0.3455, ((0, 1, 1), (0, 1, 1))),
    ...                   (0.40, ((1, 0, 0), (0, 0, 0)))])
    ((0, 1, 1), (0, 1, 1))
    """
    lowest = min(mae for mae, _ in scored)
    as_good = [orders for mae, orders in scored if mae <= lowest * (1 + AS_GOOD_WITHIN)]
    return min(as_good, key=_arma_terms)  # min keeps the first listed of equals


def _need_sarima_points(fit_end: int, order, seasonal_order) -> None:
    """Raise unless ``fit_end`` leaves a few residuals beyond the model's lags."""
    p, d, q = order
    big_p, big_d, big_q, s = seasonal_order
    # differencing eats d + D*s points, the ARMA lags up to max(p + P*s, q + Q*s) more;
    # ten extra leave something to estimate the parameters from
    needed = d + big_d * s + max(p + big_p * s, q + big_q * s) + 10
    if fit_end < needed:
        raise TooLittleHistory(
            f"SARIMA{tuple(order)}x{tuple(seasonal_order)} needs {needed} points to fit, "
            f"but fit_end is {fit_end}; fit on a longer stretch or use a smaller order."
        )


def _fit_sarimax(train: np.ndarray, order, seasonal_order):
    """Maximum-likelihood SARIMAX fit on ``train``, statsmodels imported only when used."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    return SARIMAX(train, order=tuple(order), seasonal_order=tuple(seasonal_order)).fit(disp=False)


@contextmanager
def _quiet_statsmodels() -> Iterator[None]:
    """Silence statsmodels' model warnings (convergence, starting values, frequency).

    A backtest fits on plain arrays and short ranges, where these warnings are
    expected noise; the forecasts are scored anyway.
    """
    from statsmodels.tools.sm_exceptions import ModelWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow while the optimiser explores
        yield
