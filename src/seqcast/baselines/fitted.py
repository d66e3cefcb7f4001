"""AutoETS and AutoARIMA (statsforecast), fitted once per series and run forward from each origin.

Each series is fitted once on ``target[:fit_end]``; at each origin ``t`` the
fitted model is run over ``target[:t]`` with its parameters kept
(statsforecast's ``forward``), so a forecast reads only the values before
its origin and no model is refitted per origin.

Why ``forward`` rather than ``StatsForecast.cross_validation(refit=False)``:
the latter does the same fit-then-forward per series, but only at origins
counted back from each series' end with one step size, and fits on the data
before the first window rather than before ``fit_end``; ``forward`` takes any
origins, and it was faster (148 monthly series of 300 points, 30 origins,
horizon 12, one core: AutoETS 17 s against 23 s, AutoARIMA 302 s against
361 s, both with statsforecast's default exact AutoARIMA search).

AutoARIMA searches with the CSS approximation on series longer than 150
points or seasons longer than 12, as R's ``auto.arima`` does by default:
6 times faster on that panel (2.0 s to 0.35 s a series) at the same accuracy.

statsforecast is imported only when a model is fitted.

>>> FITTED_BASELINES
('auto_ets', 'auto_arima')
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from collections.abc import Iterator

import numpy as np

from seqcast.baselines.sarima import MAX_STATE_SPACE_SEASON
from seqcast.baselines.simple import naive_forecast
from seqcast.checks import positive_int

#: The baselines fitted with statsforecast, in the order a backtest lists them.
FITTED_BASELINES = ("auto_ets", "auto_arima")

#: A series gets a seasonal AutoETS / AutoARIMA only with at least this many full seasons
#: before its test part: fewer cannot tell a seasonal pattern from noise, and statsforecast
#: then fails or drops the season on its own, differently for each model.
MIN_SEASONS = 2

#: ``n_jobs=None`` runs in worker processes from this many series on; below it, starting
#: the processes (about a second each, importing statsforecast) costs more than it saves.
PARALLEL_FROM = 64

#: One series as the fitted baselines take it: ``(target, origins, fit_end)``.
Series = tuple[np.ndarray, np.ndarray, int]


def jobs(n_jobs: int | None, n_series: int) -> int:
    """How many worker processes: ``n_jobs`` (at most one per series), or the default.

    >>> jobs(None, 10), jobs(4, 2)
    (1, 2)
    """
    if n_jobs is None:
        return (os.cpu_count() or 1) if n_series >= PARALLEL_FROM else 1
    return min(positive_int(n_jobs, "n_jobs"), max(n_series, 1))


def fitted_forecasts(
    series: list[Series], methods: list[str], horizon: int, season: int, n_jobs: int
) -> list[list[tuple[np.ndarray, str]]]:
    """``fit_forward`` for every series and method: rows in the order of ``series``.

    ``n_jobs`` worker processes share the series (1: none).
    """
    if n_jobs == 1:
        return _chunk(series, methods, horizon, season)
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    # Several chunks per worker even out series of different lengths.
    size = -(-len(series) // (4 * n_jobs))
    chunks = [series[i : i + size] for i in range(0, len(series), size)]
    # Forking is quick and needs no `if __name__ == "__main__"` guard in the caller's
    # script, but a process that loaded JAX holds its threads, which a forked child
    # inherits broken: then start fresh interpreters instead.
    context = multiprocessing.get_context("spawn" if "jax" in sys.modules else "fork")
    with ProcessPoolExecutor(n_jobs, mp_context=context) as pool:
        parts = pool.map(_chunk, chunks, *zip(*[(methods, horizon, season)] * len(chunks)))
        return [row for part in parts for row in part]


def _chunk(
    series: list[Series], methods: list[str], horizon: int, season: int
) -> list[list[tuple[np.ndarray, str]]]:
    """The forecasts of a few series, in one process (a worker's share)."""
    with _quiet():
        return [
            [fit_forward(method, target, at, horizon, season, fit_end) for method in methods]
            for target, at, fit_end in series
        ]


def fit_forward(
    method: str, target: np.ndarray, at: np.ndarray, horizon: int, season: int, fit_end: int
) -> tuple[np.ndarray, str]:
    """Fit ``method`` once on ``target[:fit_end]``, forecast from each origin with ``forward``.

    Returns the ``(len(at), horizon)`` forecasts and what ran instead of the
    method with ``season`` ("" when it ran as asked): the season is dropped
    for a series with fewer than :data:`MIN_SEASONS` seasons before ``fit_end``
    or a season longer than ``MAX_STATE_SPACE_SEASON``; a fit that fails is
    retried without the season, then replaced by the naive forecast.
    """
    seasonal = 1 < season <= MAX_STATE_SPACE_SEASON and fit_end >= MIN_SEASONS * season
    tries = [season, 1] if seasonal else [1]
    for length in tries:
        try:
            model = _model(method, length, fit_end).fit(target[:fit_end])
            forecast = np.stack([model.forward(y=target[:t], h=horizon)["mean"] for t in at])
        except Exception:  # statsforecast raises bare Exception, ValueError, NotImplementedError
            continue  # the next try, and the naive forecast last, stand in; fallbacks says so
        if np.isfinite(forecast).all():
            return forecast.astype(float), "" if length == season else "season 1"
    return naive_forecast(target, at, horizon), "naive (the fit failed)"


def _model(method: str, season: int, n_points: int):
    """A statsforecast AutoETS or AutoARIMA for ``season``, not fitted."""
    from statsforecast.models import AutoARIMA, AutoETS

    if method == "auto_ets":
        return AutoETS(season_length=season)
    # R's auto.arima default: approximate the search on long series or long seasons
    return AutoARIMA(season_length=season, approximation=n_points > 150 or season > 12)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence statsforecast's warnings and prints, and NumPy's, while the models fit.

    Convergence and "possible non-stationarity" notes are expected on short or
    odd series; a forecast that is not finite is caught and replaced instead.
    """
    with (
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        yield
