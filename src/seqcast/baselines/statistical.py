"""Per-series statistical baselines for a panel: naive, seasonal naive, AutoETS and AutoARIMA.

Each series ``i`` has its own target, forecast origins and ``fit_ends[i]``, the
start of its test part. AutoETS and AutoARIMA (statsforecast) are fitted once
per series on ``target[:fit_end]``; at each origin ``t`` the fitted model is
run over ``target[:t]`` with its parameters kept (statsforecast's
``forward``), so a forecast reads only the values before its origin and no
model is refitted per origin. The naive and seasonal naive forecasts are the
same NumPy functions a single-series backtest uses
(:mod:`seqcast.baselines.simple`).

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

statsforecast is imported only when AutoETS or AutoARIMA run.

>>> series = [np.arange(30.0), np.arange(40.0)]
>>> result = panel_baselines(series, [[25, 26], [35]], 2, season=1, fit_ends=[25, 35],
...                          methods=("naive",))
>>> [f.tolist() for f in result.forecasts["naive"]]
[[[24.0, 24.0], [25.0, 25.0]], [[34.0, 34.0]]]
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from seqcast.baselines.origins import series_inputs
from seqcast.baselines.sarima import MAX_STATE_SPACE_SEASON
from seqcast.baselines.simple import naive_forecast, seasonal_naive_forecast
from seqcast.checks import listing, positive_int
from seqcast.errors import SeqcastError

#: The panel baselines, in the order a panel backtest lists them.
STATISTICAL_BASELINES = ("naive", "seasonal_naive", "auto_ets", "auto_arima")

#: A series gets a seasonal AutoETS / AutoARIMA only with at least this many full seasons
#: before its test part: fewer cannot tell a seasonal pattern from noise, and statsforecast
#: then fails or drops the season on its own, differently for each model.
MIN_SEASONS = 2

#: ``n_jobs=None`` runs in worker processes from this many series on; below it, starting
#: the processes (about a second each, importing statsforecast) costs more than it saves.
PARALLEL_FROM = 64


@dataclass
class PanelBaselines:
    """What :func:`panel_baselines` returns.

    ``forecasts``: method → one ``(len(origins[i]), horizon)`` array per series.
    ``skipped``: method → why it did not run at all (seasonal naive without a season).
    ``fallbacks``: method → {series id: what it ran instead}, for the series where a
    method could not run as asked (too short for the season, or the fit failed).
    """

    forecasts: dict[str, list[np.ndarray]]
    skipped: dict[str, str] = field(default_factory=dict)
    fallbacks: dict[str, dict[str, str]] = field(default_factory=dict)

    def notes(self) -> dict[str, str]:
        """One sentence per method that fell back on some series, naming a few of them.

        >>> PanelBaselines({}, fallbacks={"auto_ets": {"a": "season 1", "b": "season 1"}}).notes()
        {'auto_ets': 'ran as season 1 on 2 series (a, b)'}
        """
        notes = {}
        for method, where in self.fallbacks.items():
            by_kind: dict[str, list[str]] = {}
            for series_id, kind in where.items():
                by_kind.setdefault(kind, []).append(series_id)
            notes[method] = "; ".join(
                f"ran as {kind} on {len(names)} series ({listing(names, limit=5)})"
                for kind, names in by_kind.items()
            )
        return notes


def panel_baselines(
    targets: Sequence[np.ndarray],
    origins: Sequence[np.ndarray],
    horizon: int,
    *,
    season: int,
    fit_ends: Sequence[int],
    ids: Sequence[str] | None = None,
    methods: Sequence[str] = STATISTICAL_BASELINES,
    n_jobs: int | None = 1,
) -> PanelBaselines:
    """Forecast every series at its origins with each of ``methods`` (see the module doc).

    ``targets[i]`` is series ``i``'s whole target (1-D), ``origins[i]`` its
    forecast origins (the forecast at ``t`` covers ``target[t : t + horizon]``),
    ``fit_ends[i] <= min(origins[i])`` the end of the part AutoETS and
    AutoARIMA are fitted on. ``ids`` name the series in messages.

    * ``naive``: ``target[t - 1]`` repeated;
    * ``seasonal_naive``: ``target[t + j - season]`` (skipped for ``season`` 1; naive on
      a series whose first origin comes before one season);
    * ``auto_ets``, ``auto_arima``: statsforecast's AutoETS and AutoARIMA with
      ``season_length=season``, or ``1`` for a series with fewer than
      :data:`MIN_SEASONS` seasons before ``fit_end`` or a season longer than
      ``MAX_STATE_SPACE_SEASON``; a fit that fails is retried without the
      season, then replaced by the naive forecast, and ``fallbacks`` says so.

    ``n_jobs`` worker processes share the series (``None``: one per core from
    :data:`PARALLEL_FROM` series on, else none; ``1``: none). Where JAX is
    loaded (a model was fitted in this process) the workers are fresh
    interpreters, which re-import the calling script: guard its work with
    ``if __name__ == "__main__":`` as for any process pool.
    """
    horizon = positive_int(horizon, "horizon")
    season = positive_int(season, "season")
    unknown = [m for m in methods if m not in STATISTICAL_BASELINES]
    if unknown:
        raise SeqcastError(
            f"unknown panel baseline {unknown[0]!r}; choose among {listing(STATISTICAL_BASELINES)}"
        )
    ids = [str(i) for i in range(len(targets))] if ids is None else [str(i) for i in ids]
    if not len(targets) == len(origins) == len(fit_ends) == len(ids):
        raise SeqcastError(
            f"panel baselines need one origins array, fit end and id per series, but got "
            f"{len(targets)} targets, {len(origins)} origins, {len(fit_ends)} fit ends and "
            f"{len(ids)} ids; pass lists of the same length."
        )
    series = [
        _checked_series(target, at, fit_end, name, horizon)
        for target, at, fit_end, name in zip(targets, origins, fit_ends, ids, strict=True)
    ]
    result = PanelBaselines({})
    for method in methods:
        if method == "seasonal_naive" and season == 1:
            result.skipped[method] = (
                "the data has no season (season 1); pass season=N (--season N) if it has one"
            )
            continue
        result.forecasts[method] = []
        if method in ("naive", "seasonal_naive"):
            for (target, at, _), name in zip(series, ids, strict=True):
                forecast, ran = _simple(method, target, at, horizon, season)
                result.forecasts[method].append(forecast)
                if ran:
                    result.fallbacks.setdefault(method, {})[name] = ran
    fitted = [m for m in methods if m in ("auto_ets", "auto_arima")]
    if fitted:
        jobs = _jobs(n_jobs, len(series))
        rows = _run(series, fitted, horizon, season, jobs)
        for method_index, method in enumerate(fitted):
            result.forecasts[method] = []
            for row, name in zip(rows, ids, strict=True):
                forecast, ran = row[method_index]
                result.forecasts[method].append(forecast)
                if ran:
                    result.fallbacks.setdefault(method, {})[name] = ran
    return result


def _checked_series(
    target, at, fit_end, name: str, horizon: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """``(target, origins, fit_end)`` checked, with the series named in any message.

    The checks of one series' baselines (``series_inputs``), then those of a
    panel's: the fit part before the first origin, numbers wherever read.
    """
    try:
        target, at = series_inputs(target, at, horizon)
    except SeqcastError as err:
        raise SeqcastError(f"series {name}: {err}") from err
    fit_end = int(fit_end)
    if not 1 <= fit_end <= at.min():
        raise SeqcastError(
            f"series {name}: the baselines are fitted on target[:fit_end] before the first "
            f"origin {at.min()}, but fit_end is {fit_end}; pass a fit_end between 1 and "
            f"{at.min()}."
        )
    read = target[: at.max()]
    if not np.isfinite(read).all():
        where = int(np.flatnonzero(~np.isfinite(read))[0])
        raise SeqcastError(
            f"series {name}: the baselines read target[{where}], which is not a number; "
            "fill the missing values first (fill='interpolate' / --fill interpolate)."
        )
    return target, at, fit_end


def _simple(
    method: str, target: np.ndarray, at: np.ndarray, horizon: int, season: int
) -> tuple[np.ndarray, str]:
    """The naive or seasonal naive forecast, and what ran instead ("" when it ran as asked)."""
    if method == "seasonal_naive":
        if at.min() >= season:
            return seasonal_naive_forecast(target, at, horizon, season), ""
        return naive_forecast(target, at, horizon), "naive (less than one season before it)"
    return naive_forecast(target, at, horizon), ""


def _jobs(n_jobs: int | None, n_series: int) -> int:
    """How many worker processes: ``n_jobs`` (at most one per series), or the default."""
    if n_jobs is None:
        return (os.cpu_count() or 1) if n_series >= PARALLEL_FROM else 1
    return min(positive_int(n_jobs, "n_jobs"), max(n_series, 1))


def _run(
    series: list[tuple[np.ndarray, np.ndarray, int]],
    methods: list[str],
    horizon: int,
    season: int,
    jobs: int,
) -> list[list[tuple[np.ndarray, str]]]:
    """``_fit_forward`` for every series and method: rows in the order of ``series``."""
    if jobs == 1:
        return _chunk(series, methods, horizon, season)
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    # Several chunks per worker even out series of different lengths.
    size = -(-len(series) // (4 * jobs))
    chunks = [series[i : i + size] for i in range(0, len(series), size)]
    # Forking is quick and needs no `if __name__ == "__main__"` guard in the caller's
    # script, but a process that loaded JAX holds its threads, which a forked child
    # inherits broken: then start fresh interpreters instead.
    context = multiprocessing.get_context("spawn" if "jax" in sys.modules else "fork")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        parts = pool.map(_chunk, chunks, *zip(*[(methods, horizon, season)] * len(chunks)))
        return [row for part in parts for row in part]


def _chunk(
    series: list[tuple[np.ndarray, np.ndarray, int]], methods: list[str], horizon: int, season: int
) -> list[list[tuple[np.ndarray, str]]]:
    """The forecasts of a few series, in one process (a worker's share)."""
    with _quiet():
        return [
            [_fit_forward(method, target, at, horizon, season, fit_end) for method in methods]
            for target, at, fit_end in series
        ]


def _fit_forward(
    method: str, target: np.ndarray, at: np.ndarray, horizon: int, season: int, fit_end: int
) -> tuple[np.ndarray, str]:
    """Fit ``method`` once on ``target[:fit_end]``, forecast from each origin with ``forward``.

    Returns the ``(len(at), horizon)`` forecasts and what ran instead of the
    method with ``season`` ("" when it ran as asked).
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
