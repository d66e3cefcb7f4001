"""Forecasts that need no training: the yardsticks every model must beat."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from seqcast.errors import SeqcastError


def naive(x: np.ndarray, horizon: int = 1) -> np.ndarray:
    """Repeat the last observed value: ``(batch, time, 1)`` -> ``(batch, horizon)``.

    >>> naive(np.array([[[1.0], [2.0], [3.0]]]), horizon=2).tolist()
    [[3.0, 3.0]]
    """
    x = np.asarray(x)
    return np.repeat(x[:, -1, :1], horizon, axis=1)


BASELINES = {"naive": naive}


# --------------------------------------------------------------------------- series baselines
#
# Convention: ``series`` is one long 1-D series and ``origins`` holds forecast
# origins; the forecast at origin ``t`` covers ``series[t : t + horizon]`` and
# may read ``series[:t]`` only. Every function returns ``(len(origins), horizon)``.


class _TooLittleHistory(SeqcastError):
    """An origin (or the horizon) asks more of the past than a method has: skippable."""


def _series_inputs(series, origins, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Validate and convert the arguments every series baseline shares."""
    series = np.asarray(series, dtype=float)
    origins = np.asarray(origins)
    if series.ndim != 1:
        raise SeqcastError(
            f"series baselines need a 1-D series, but got shape {series.shape}; "
            "pass one series, e.g. series.ravel()."
        )
    if origins.ndim != 1 or len(origins) == 0 or not np.issubdtype(origins.dtype, np.integer):
        raise SeqcastError(
            "origins must be a non-empty 1-D array of integer positions; "
            "pass e.g. np.arange(1000, len(series))."
        )
    if int(horizon) != horizon or horizon < 1:
        raise SeqcastError(f"horizon must be a positive integer, but got {horizon}; pass e.g. 1.")
    if origins.max() > len(series):
        raise SeqcastError(
            f"origin {origins.max()} lies past the end of the series ({len(series)} points); "
            "drop origins greater than len(series)."
        )
    return series, origins.astype(np.intp)


def _need_history(origins: np.ndarray, needed: int, method: str, fix: str) -> None:
    """Raise unless every origin has at least ``needed`` points before it."""
    first = int(origins.min())
    if first < needed:
        raise _TooLittleHistory(
            f"{method} needs {needed} points before the first forecast origin, "
            f"but origin {first} has {first}; {fix}."
        )


def _prefix_sums(series: np.ndarray) -> np.ndarray:
    """``sums[i] == series[:i].sum()``, so any window mean costs two lookups."""
    return np.concatenate([[0.0], np.cumsum(series)])


def _window_means(sums: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """Mean of ``series[end - window : end]`` for every ``end`` (any shape)."""
    return (sums[ends] - sums[ends - window]) / window


def _check_positive(value: int, name: str, method: str) -> None:
    if int(value) != value or value < 1:
        raise SeqcastError(
            f"{method} needs a positive integer {name}, but got {value}; pass a whole number >= 1."
        )


def naive_forecast(series, origins, horizon: int) -> np.ndarray:
    """Repeat the last value before each origin: ``series[t - 1]``.

    >>> naive_forecast(np.arange(10.0), [3, 7], horizon=2).tolist()
    [[2.0, 2.0], [6.0, 6.0]]
    """
    series, origins = _series_inputs(series, origins, horizon)
    _need_history(origins, 1, "the naive forecast", "start the backtest at origin 1 or later")
    return np.repeat(series[origins - 1][:, None], horizon, axis=1)


def seasonal_naive_forecast(series, origins, horizon: int, season: int) -> np.ndarray:
    """Repeat the last season: ``series[t + j - season]``, cycling when ``j >= season``.

    >>> seasonal_naive_forecast(np.arange(10.0), [5], horizon=5, season=3).tolist()
    [[2.0, 3.0, 4.0, 2.0, 3.0]]
    """
    series, origins = _series_inputs(series, origins, horizon)
    _check_positive(season, "season", "the seasonal naive forecast")
    _need_history(
        origins,
        season,
        f"seasonal naive with season {season}",
        "start the backtest later or use a shorter season",
    )
    # step j reads the same phase of the last full season before t
    steps = np.arange(horizon) % season
    return series[origins[:, None] + steps - season]


def moving_average_forecast(series, origins, horizon: int, window: int = 30) -> np.ndarray:
    """Repeat the mean of the last ``window`` values: ``mean(series[t - window : t])``.

    >>> moving_average_forecast(np.arange(10.0), [4, 9], horizon=2, window=3).tolist()
    [[2.0, 2.0], [7.0, 7.0]]
    """
    series, origins = _series_inputs(series, origins, horizon)
    _check_positive(window, "window", "the moving average forecast")
    _need_history(
        origins,
        window,
        f"a moving average of window {window}",
        "start the backtest later or use a shorter window",
    )
    means = _window_means(_prefix_sums(series), origins, window)
    return np.repeat(means[:, None], horizon, axis=1)


def differenced_moving_average_forecast(
    series,
    origins,
    horizon: int,
    season: int = 365,
    window: int = 50,
    smooth_past: int | None = None,
) -> np.ndarray:
    """The course's "differencing + moving average": last season plus the average yearly change.

    The seasonal difference ``d[i] = series[i + season] - series[i]`` removes
    trend and season; its mean over the last ``window`` differences known
    before ``t`` (``i`` in ``[t - season - window, t - season)``) is added back
    to last season's value ``series[t + j - season]``, or, with
    ``smooth_past=k`` (even), to the mean of
    ``series[t + j - season - k/2 : t + j - season + k/2]``, which removes
    most of last season's noise (the course's ``series[t-370:t-360]``).

    >>> series = np.arange(20.0) + np.tile([0.0, 5.0], 10)  # slope 1, season 2
    >>> differenced_moving_average_forecast(series, [8], 2, season=2, window=3).tolist()
    [[8.0, 14.0]]
    """
    series, origins = _series_inputs(series, origins, horizon)
    method = f"differencing with season {season} and a moving average of window {window}"
    _check_positive(season, "season", method)
    _check_positive(window, "window", method)
    if smooth_past is not None and (
        int(smooth_past) != smooth_past or smooth_past < 2 or smooth_past % 2
    ):
        raise SeqcastError(
            f"smooth_past must be an even number of points such as 10, but got {smooth_past}; "
            "pass an even number or None."
        )
    half = 0 if smooth_past is None else smooth_past // 2
    # the past slice for step j ends (exclusively) at t + j - season + reach: it must stay <= t
    reach = 1 if smooth_past is None else half
    if horizon - 1 - season + reach > 0:
        raise _TooLittleHistory(
            f"{method} can forecast at most {season - reach + 1} steps ahead "
            f"without reading the future, but horizon is {horizon}; "
            "use a shorter horizon, a longer season or less smoothing."
        )
    _need_history(
        origins,
        season + max(window, half),
        method,
        "start the backtest later or use a shorter window",
    )
    sums = _prefix_sums(series)
    # mean of d over the window == mean of the last window values minus that of one season earlier
    change = _window_means(sums, origins, window) - _window_means(sums, origins - season, window)
    past_ends = origins[:, None] + np.arange(horizon) - season
    if smooth_past is None:
        past = series[past_ends]
    else:
        past = _window_means(sums, past_ends + half, smooth_past)
    return past + change[:, None]


_MAX_SARIMA_SEASON = 60  # beyond this the seasonal state space is too big to filter quickly


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
    series, origins = _series_inputs(series, origins, horizon)
    if season is not None:
        _check_positive(season, "season", "SARIMA")
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
    s = season if season is not None and 1 < season <= _MAX_SARIMA_SEASON else 0
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


def select_sarima_order(
    train: np.ndarray, season: int | None
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The candidate orders with the lowest one-step MAE on the last fifth of ``train``.

    Each candidate is fitted on the first four fifths and filtered over the
    whole of ``train`` with those parameters; candidates that cannot be
    fitted are passed over. Without a usable season only non-seasonal ones run.
    """
    train = np.asarray(train, dtype=float)
    split = len(train) * 4 // 5
    seasonal = season is not None and 1 < season <= _MAX_SARIMA_SEASON
    best, best_mae = None, np.inf
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
            mae = float(np.mean(np.abs(train[split:] - one_step)))
            if mae < best_mae:
                best, best_mae = (order, seasonal_order), mae
    if best is None:
        raise _TooLittleHistory(
            f"no SARIMA order could be fitted on {split} points; fit on a longer stretch"
        )
    return best


def _need_sarima_points(fit_end: int, order, seasonal_order) -> None:
    """Raise unless ``fit_end`` leaves a few residuals beyond the model's lags."""
    p, d, q = order
    big_p, big_d, big_q, s = seasonal_order
    # differencing eats d + D*s points, the ARMA lags up to max(p + P*s, q + Q*s) more;
    # ten extra leave something to estimate the parameters from
    needed = d + big_d * s + max(p + big_p * s, q + big_q * s) + 10
    if fit_end < needed:
        raise _TooLittleHistory(
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


SERIES_BASELINES: dict[str, Callable[..., np.ndarray]] = {
    "naive": naive_forecast,
    "seasonal_naive": seasonal_naive_forecast,
    "moving_average": moving_average_forecast,
    "differenced_moving_average": differenced_moving_average_forecast,
    "sarima": sarima_forecast,
}


def series_baselines(
    series,
    origins,
    horizon: int,
    *,
    season: int,
    fit_end: int | None = None,
    include_sarima: bool = True,
) -> dict[str, np.ndarray]:
    """Every series baseline the origins allow, with parameters that follow ``season``.

    * ``naive``: always;
    * ``seasonal_naive``: when ``season > 1``;
    * ``moving_average``: window ``min(30, season)`` for ``season > 1`` (30 days,
      the course's choice, or one full season, which averages the pattern out),
      else 30;
    * ``differenced_moving_average``: when ``season > 1``; window 50 if
      ``season >= 50`` else ``season``, past smoothed over 10 points when
      ``season >= 20`` (the course's settings for ``season=365``);
    * ``sarima``: orders chosen on the fit range (``select_sarima_order``), fitted
      on ``series[:fit_end]`` (``fit_end`` defaults to the first origin; see
      ``sarima_forecast``).

    A baseline whose history needs the origins (or the horizon) do not meet is
    skipped, so the result holds only those that ran, in the order above.

    >>> forecasts = series_baselines(np.arange(40.0), [35, 36], 2, season=7, include_sarima=False)
    >>> list(forecasts)
    ['naive', 'seasonal_naive', 'moving_average', 'differenced_moving_average']
    """
    series, origins = _series_inputs(series, origins, horizon)
    _check_positive(season, "season", "series_baselines")
    runs: dict[str, Callable[[], np.ndarray]] = {
        "naive": lambda: naive_forecast(series, origins, horizon)
    }
    if season > 1:
        runs["seasonal_naive"] = lambda: seasonal_naive_forecast(series, origins, horizon, season)
    window = min(30, season) if season > 1 else 30
    runs["moving_average"] = lambda: moving_average_forecast(series, origins, horizon, window)
    if season > 1:
        runs["differenced_moving_average"] = lambda: differenced_moving_average_forecast(
            series,
            origins,
            horizon,
            season=season,
            window=50 if season >= 50 else season,
            smooth_past=10 if season >= 20 else None,
        )
    if include_sarima:
        start = int(origins.min()) if fit_end is None else fit_end
        runs["sarima"] = lambda: sarima_forecast(
            series, origins, horizon, fit_end=start, season=season, order="auto"
        )
    forecasts = {}
    for name, run in runs.items():
        try:
            forecasts[name] = run()
        except _TooLittleHistory:
            continue  # not enough past for this method: leave it out, as documented
    return forecasts


def forecast_targets(series, origins, horizon: int) -> np.ndarray:
    """What the forecasts at ``origins`` aim at: ``series[t + j]``, shape ``(n_origins, horizon)``.

    >>> forecast_targets(np.arange(10.0), [3, 7], horizon=2).tolist()
    [[3.0, 4.0], [7.0, 8.0]]
    """
    series, origins = _series_inputs(series, origins, horizon)
    if origins.max() + horizon > len(series):
        raise SeqcastError(
            f"origin {origins.max()} with horizon {horizon} runs past the end of the series "
            f"({len(series)} points); drop the last origins or shorten the horizon."
        )
    return series[origins[:, None] + np.arange(horizon)]
