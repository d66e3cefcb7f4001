"""The baselines a backtest runs beside a model, on one series or many: one suite.

Every baseline forecasts each series at its own origins (the forecast at
origin ``t`` covers ``target[t : t + horizon]`` and reads ``target[:t]``
only), with settings that follow the season. :func:`run_baselines` runs any
of :data:`ALL_BASELINES` over any number of series; a backtest of one
series runs :data:`ONE_SERIES_BASELINES` (naive, seasonal naive, moving
average, the course's differencing, SARIMA) and one of many series
:data:`STATISTICAL_BASELINES` (naive, seasonal naive, AutoETS, AutoARIMA,
see :mod:`seqcast.baselines.fitted`), as they always have.

:func:`series_baselines` is the suite on one series, returning its arrays.

>>> runs = run_baselines([np.arange(30.0), np.arange(40.0)], [[25, 26], [35]], 2, season=1,
...                      fit_ends=[25, 35], methods=("naive", "seasonal_naive"))
>>> [f.tolist() for f in runs.forecasts["naive"]], list(runs.skipped)
([[[24.0, 24.0], [25.0, 25.0]], [[34.0, 34.0]]], ['seasonal_naive'])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from seqcast.baselines.fitted import FITTED_BASELINES, Series, fitted_forecasts, jobs
from seqcast.baselines.origins import TooLittleHistory, series_inputs
from seqcast.baselines.sarima import sarima_forecast
from seqcast.baselines.simple import (
    differenced_moving_average_forecast,
    moving_average_forecast,
    naive_forecast,
    seasonal_naive_forecast,
)
from seqcast.checks import listing, positive_int
from seqcast.errors import SeqcastError

SERIES_BASELINES: dict[str, Callable[..., np.ndarray]] = {
    "naive": naive_forecast,
    "seasonal_naive": seasonal_naive_forecast,
    "moving_average": moving_average_forecast,
    "differenced_moving_average": differenced_moving_average_forecast,
    "sarima": sarima_forecast,
}

#: What a backtest of one series runs beside the model, in the order it lists them.
ONE_SERIES_BASELINES = tuple(SERIES_BASELINES)

#: What a backtest of many series runs beside the model, in the order it lists them.
STATISTICAL_BASELINES = ("naive", "seasonal_naive", *FITTED_BASELINES)

#: Every baseline, in the order a backtest lists those it ran.
ALL_BASELINES = (*ONE_SERIES_BASELINES, *FITTED_BASELINES)

#: The baselines fitted on each series, the slow ones a backtest can leave out.
FITTED_SLOW = ("sarima", *FITTED_BASELINES)

#: Baselines that only mean something with a season (``season > 1``).
SEASONAL_BASELINES = ("seasonal_naive", "differenced_moving_average")

NO_SEASON = "the data has no season (season 1); pass season=N (--season N) if it has one"
TOO_SHORT = "too little history before the start for its season or window"

#: What a series too short for a baseline runs instead, with ``short="naive"``.
SHORT_FALLBACK = {"seasonal_naive": "naive (less than one season before it)"}


def usual_baselines(one_series: bool, *, fitted: bool = True) -> tuple[str, ...]:
    """What a backtest runs beside a model: :data:`ONE_SERIES_BASELINES` or, of many series,
    :data:`STATISTICAL_BASELINES`; with ``fitted=False`` without the slow fitted ones
    (SARIMA, AutoETS, AutoARIMA: ``sarima=False`` / ``--no-sarima``).

    >>> usual_baselines(False, fitted=False), usual_baselines(True)[-1]
    (('naive', 'seasonal_naive'), 'sarima')
    """
    usual = ONE_SERIES_BASELINES if one_series else STATISTICAL_BASELINES
    return usual if fitted else tuple(m for m in usual if m not in FITTED_SLOW)


@dataclass
class PanelBaselines:
    """What :func:`run_baselines` returns.

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


def run_baselines(
    targets: Sequence[np.ndarray],
    origins: Sequence[np.ndarray],
    horizon: int,
    *,
    season: int,
    fit_ends: Sequence[int],
    ids: Sequence[str] | None = None,
    methods: Sequence[str] = STATISTICAL_BASELINES,
    n_jobs: int | None = 1,
    short: str = "naive",
) -> PanelBaselines:
    """Forecast every series at its origins with each of ``methods``.

    ``targets[i]`` is series ``i``'s whole target (1-D), ``origins[i]`` its
    forecast origins, ``fit_ends[i] <= min(origins[i])`` the end of the part
    SARIMA, AutoETS and AutoARIMA are fitted on. ``ids`` name the series in
    messages. Each method's settings follow ``season``:

    * ``naive``: ``target[t - 1]`` repeated;
    * ``seasonal_naive``: ``target[t + j - season]``;
    * ``moving_average``: window ``min(30, season)`` for ``season > 1`` (30 days,
      the course's choice, or one full season, which averages the pattern out),
      else 30;
    * ``differenced_moving_average``: window 50 if ``season >= 50`` else
      ``season``, past smoothed over 10 points when ``season >= 20`` (the
      course's settings for ``season=365``);
    * ``sarima``: orders chosen on the fit range (``select_sarima_order``);
    * ``auto_ets``, ``auto_arima``: see :func:`~seqcast.baselines.fitted.fit_forward`,
      ``n_jobs`` worker processes (``None``: one per core from
      :data:`~seqcast.baselines.fitted.PARALLEL_FROM` series on).

    The seasonal ones are skipped for ``season`` 1. A series with too little
    history for a method runs the naive forecast instead (``short="naive"``,
    noted in ``fallbacks``: every method is scored on every series), or the
    method is left out (``short="skip"``, noted in ``skipped``: what a
    backtest of one series does, having nothing else to score it on).
    Where JAX is loaded the workers are fresh interpreters, which re-import
    the calling script: guard its work with ``if __name__ == "__main__":``.
    """
    horizon = positive_int(horizon, "horizon")
    season = positive_int(season, "season")
    unknown = [m for m in methods if m not in ALL_BASELINES]
    if unknown:
        raise SeqcastError(
            f"unknown baseline {unknown[0]!r}; choose among {listing(ALL_BASELINES)}"
        )
    ids = [str(i) for i in range(len(targets))] if ids is None else [str(i) for i in ids]
    series = _checked_panel(targets, origins, fit_ends, ids, horizon)
    runs = PanelBaselines({})
    fitted = []
    for method in methods:  # skipped in the order of methods, as a backtest prints them
        if method in SEASONAL_BASELINES and season == 1:
            runs.skipped[method] = NO_SEASON
        elif method in FITTED_BASELINES:
            fitted.append(method)  # all in one pass over the series, below
        else:
            _run_in_process(runs, method, series, ids, horizon, season, short)
    if fitted:
        rows = fitted_forecasts(series, fitted, horizon, season, jobs(n_jobs, len(series)))
        for k, method in enumerate(fitted):
            runs.forecasts[method] = [row[k][0] for row in rows]
            _note_fallbacks(runs, method, ids, [row[k][1] for row in rows])
    return runs


def _run_in_process(
    runs: PanelBaselines,
    method: str,
    series: list[Series],
    ids: list[str],
    horizon: int,
    season: int,
    short: str,
) -> None:
    """One method run in this process (not by statsforecast) over every series, into ``runs``."""
    forecasts, ran = [], []
    for target, at, fit_end in series:
        try:
            forecasts.append(_forecast(method, target, at, fit_end, horizon, season))
            ran.append("")
        except TooLittleHistory:
            if short == "skip":
                runs.skipped[method] = TOO_SHORT
                return
            forecasts.append(naive_forecast(target, at, horizon))
            ran.append(SHORT_FALLBACK.get(method, "naive (too little history before it)"))
    runs.forecasts[method] = forecasts
    _note_fallbacks(runs, method, ids, ran)


def _note_fallbacks(runs: PanelBaselines, method: str, ids: list[str], ran: list[str]) -> None:
    """Record, per series, what ran instead of ``method`` ("" where it ran as asked)."""
    for name, instead in zip(ids, ran, strict=True):
        if instead:
            runs.fallbacks.setdefault(method, {})[name] = instead


def _forecast(
    method: str, target: np.ndarray, at: np.ndarray, fit_end: int, horizon: int, season: int
) -> np.ndarray:
    """One series' forecasts by ``method``, with the settings ``season`` suggests."""
    if method == "naive":
        return naive_forecast(target, at, horizon)
    if method == "seasonal_naive":
        return seasonal_naive_forecast(target, at, horizon, season)
    if method == "moving_average":
        window = min(30, season) if season > 1 else 30
        return moving_average_forecast(target, at, horizon, window)
    if method == "differenced_moving_average":
        return differenced_moving_average_forecast(
            target,
            at,
            horizon,
            season=season,
            window=50 if season >= 50 else season,
            smooth_past=10 if season >= 20 else None,
        )
    return sarima_forecast(target, at, horizon, fit_end=fit_end, season=season, order="auto")


def _checked_panel(
    targets: Sequence, origins: Sequence, fit_ends: Sequence, ids: list[str], horizon: int
) -> list[Series]:
    """Every series' ``(target, origins, fit_end)`` checked: one entry each, as numbers."""
    if not len(targets) == len(origins) == len(fit_ends) == len(ids):
        raise SeqcastError(
            f"panel baselines need one origins array, fit end and id per series, but got "
            f"{len(targets)} targets, {len(origins)} origins, {len(fit_ends)} fit ends and "
            f"{len(ids)} ids; pass lists of the same length."
        )
    return [
        _checked_series(target, at, fit_end, name, horizon)
        for target, at, fit_end, name in zip(targets, origins, fit_ends, ids, strict=True)
    ]


def _checked_series(target, at, fit_end, name: str, horizon: int) -> Series:
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


def series_baselines(
    series,
    origins,
    horizon: int,
    *,
    season: int,
    fit_end: int | None = None,
    include_sarima: bool = True,
) -> dict[str, np.ndarray]:
    """Every baseline of :data:`ONE_SERIES_BASELINES` the origins allow on one series.

    The settings are those of :func:`run_baselines`; SARIMA is fitted on
    ``series[:fit_end]`` (``fit_end`` defaults to the first origin; see
    ``sarima_forecast``). A baseline whose history needs the origins (or the
    horizon) do not meet is skipped, so the result holds only those that
    ran, in the order of :data:`ONE_SERIES_BASELINES`.

    >>> forecasts = series_baselines(np.arange(40.0), [35, 36], 2, season=7, include_sarima=False)
    >>> list(forecasts)
    ['naive', 'seasonal_naive', 'moving_average', 'differenced_moving_average']
    """
    series, origins = series_inputs(series, origins, horizon)
    methods = ONE_SERIES_BASELINES if include_sarima else ONE_SERIES_BASELINES[:-1]
    start = int(origins.min()) if fit_end is None else fit_end
    runs = run_baselines(
        [series], [origins], horizon, season=season, fit_ends=[start], methods=methods, short="skip"
    )
    return {method: forecasts[0] for method, forecasts in runs.forecasts.items()}
