"""The methods the corpus report compares, each forecasting an item's test origins.

Every method returns, per series, a ``(origins, horizon)`` array of forecasts
from the origins of :func:`origins`: each step of the test part that leaves a
whole horizon, the forecast at origin ``t`` reading ``target[:t]`` only.

* ``default``: what ``seqcast fit DATA`` without ``--model`` fits, built by
  the CLI's own parser and ``make_forecaster`` (as ``cli/fit.py`` does), trained
  before the validation start, stopped early on validation, then
  ``Forecaster.backtest(start=test_from)`` (not refitted);
* ``auto``: ``seqcast fit --model auto`` under a small ``--budget``, the same way;
* ``seasonal_naive``, ``auto_ets``, ``auto_arima``: ``seqcast.baselines.run_baselines``,
  fitted once per series on everything before the test part (seasonal naive is
  the naive forecast for an item of season 1);
* ``theta``: statsforecast's standard ``Theta`` (M4's benchmark), which
  seqcast's baselines do not hold, fitted and run forward the same way;
* ``combination``: the equal-weight mean of AutoETS, AutoARIMA and Theta.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import warnings

import numpy as np

from corpus_items import DATE, ID, Loaded

STATISTICAL = ("seasonal_naive", "auto_ets", "auto_arima", "theta")
COMBINED = ("auto_ets", "auto_arima", "theta")
METHODS = ("default", *STATISTICAL, "combination")
SLOW = ("auto",)  # behind --with-auto


def origins(loaded: Loaded) -> dict[str, np.ndarray]:
    """Per series, the positions of its test origins: from the test start to the last
    one that leaves a whole horizon."""
    horizon = loaded.item.horizon
    return {
        key: np.arange(int(s.index.searchsorted(loaded.test_from)), len(s) - horizon + 1)
        for key, s in loaded.series.items()
    }


def statistical(loaded: Loaded, method: str) -> dict[str, np.ndarray]:
    """One statistical method's forecasts, per series."""
    at = origins(loaded)
    targets = [s.to_numpy() for s in loaded.series.values()]
    fit_ends = [int(a[0]) for a in at.values()]
    if method == "theta":
        return {
            key: theta_forward(t, a, loaded.item.horizon, loaded.item.season, end)
            for (key, a), t, end in zip(at.items(), targets, fit_ends)
        }
    from seqcast.baselines import run_baselines

    name = "naive" if method == "seasonal_naive" and loaded.item.season == 1 else method
    runs = run_baselines(
        targets,
        list(at.values()),
        loaded.item.horizon,
        season=loaded.item.season,
        fit_ends=fit_ends,
        ids=list(at),
        methods=(name,),
        n_jobs=1,
    )
    return dict(zip(at, runs.forecasts[name]))


def theta_forward(
    target: np.ndarray, at: np.ndarray, horizon: int, season: int, fit_end: int
) -> np.ndarray:
    """statsforecast ``Theta`` fitted on ``target[:fit_end]``, run forward from each origin.

    Seasonal under the rule seqcast's AutoETS follows (``MIN_SEASONS`` seasons
    before the fit end, a season of at most ``MAX_STATE_SPACE_SEASON``), else
    with no season; the naive forecast if the fit fails.
    """
    from statsforecast.models import Theta

    from seqcast.baselines.fitted import MIN_SEASONS
    from seqcast.baselines.sarima import MAX_STATE_SPACE_SEASON
    from seqcast.baselines.simple import naive_forecast

    seasonal = 1 < season <= MAX_STATE_SPACE_SEASON and fit_end >= MIN_SEASONS * season
    for length in [season, 1] if seasonal else [1]:
        try:
            with _quiet():
                model = Theta(season_length=length).fit(target[:fit_end].astype(float))
                out = np.stack([model.forward(y=target[:t], h=horizon)["mean"] for t in at])
        except Exception:  # statsforecast raises bare Exception and ValueError
            continue
        if np.isfinite(out).all():
            return out
    return naive_forecast(target, at, horizon)


def combination(forecasts: dict[str, dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The equal-weight mean of AutoETS, AutoARIMA and Theta, per series."""
    keys = forecasts[COMBINED[0]]
    return {key: np.mean([forecasts[m][key] for m in COMBINED], axis=0) for key in keys}


def cli_args(loaded: Loaded, *extra: str) -> argparse.Namespace:
    """``seqcast fit DATA`` as a user would type it for this item, parsed by the CLI."""
    from seqcast.cli import fit

    parser = argparse.ArgumentParser()
    fit.add_parser(parser.add_subparsers())
    words = ["fit", "DATA", "--out", "unused.seqcast", "--quiet", *extra]
    words += ["--window", str(loaded.item.window), "--horizon", str(loaded.item.horizon)]
    return parser.parse_args(words)


def network(loaded: Loaded, *extra: str) -> dict[str, np.ndarray]:
    """Fit as ``seqcast fit`` does with ``extra`` flags (none: the default), then backtest."""
    from seqcast.choices import AUTO_MODEL
    from seqcast.cli import auto
    from seqcast.cli.data import make_forecaster

    row = loaded.item
    args = cli_args(loaded, *extra)
    panel = row.kind == "panel"
    defaults = {
        "target": row.target,
        "season": row.season,
        "window": row.window,
        "horizon": row.horizon,
        "id_column": ID if panel else None,
        "date_column": DATE if panel else None,
        "freq": row.freq,
    }
    frame = loaded.frame
    # what `fit --test-from` leaves it: everything before the test part
    seen = frame[(frame[DATE] if panel else frame.index) < loaded.test_from]
    layout = {"id_column": ID, "date_column": DATE} if panel else {}
    with _quiet():
        if args.model == AUTO_MODEL:
            forecaster = auto.search(args, defaults, seen, loaded.valid_from)
        else:
            forecaster = make_forecaster(args, defaults).fit(
                seen, target=row.target, valid=loaded.valid_from, **layout
            )
        result = forecaster.backtest(frame, start=loaded.test_from, compare=False)
    made = result.forecasts[next(iter(result.forecasts))]
    ids = list(result.ids) if result.many else list(loaded.series)
    made = made if result.many else [made]
    made = {str(key): np.asarray(f, dtype=float) for key, f in zip(ids, made)}
    expected = {key: (len(a), row.horizon) for key, a in origins(loaded).items()}
    if {key: f.shape for key, f in made.items()} != expected:  # the same cells, or a miss
        raise ValueError("the backtest's origins are not the test origins")
    return made


@contextlib.contextmanager
def _quiet():
    """The models' warnings and prints silenced (the report says what matters)."""
    with (
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        yield
