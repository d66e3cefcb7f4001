"""Rolling-origin backtests: where the origins lie, the scoring beside the baselines, the result.

A forecaster supplies its forecasts at the origins (``(origins, horizon)``
in the data's units); :func:`score_backtest` runs the baselines on the same
origins, scores every method on the same footing and returns a
:class:`Backtest`, printable and plottable (``seqcast.plots``).

>>> target = 10 + np.sin(np.arange(120) * 2 * np.pi / 7)
>>> origins = backtest_origins(pd.RangeIndex(120), start=100, default=None, horizon=3,
...                            stride=1, window=14)
>>> perfect = target[origins[:, None] + np.arange(3)]
>>> result = score_backtest(target, origins, pd.RangeIndex(120), {"oracle": perfect},
...                         season=7, first=100, sarima=False)
>>> result.winner(), float(result.scores.loc["oracle", "MAE"])
('oracle', 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seqcast import baselines, metrics
from seqcast.checks import positive_int
from seqcast.data.dates import label, label_position
from seqcast.errors import SeqcastError
from seqcast.spelling import argument


@dataclass
class Backtest:
    """Rolling-origin evaluation of a fitted model beside the baselines.

    ``scores``: one row per method (the model first), columns MAE, MSE, RMSE,
    MAPE, sMAPE, MASE over every origin and horizon step. ``per_horizon``: the
    same per horizon step, for each method. ``forecasts``: method →
    ``(origins, horizon)`` array; ``actual`` the true values; ``origins`` the
    label of the first forecast step of each origin. A value the data filled
    in (``fill=...`` / ``--fill``) is not a true value: it is NaN in ``actual``
    and no method is scored on it; ``unscored`` counts them.
    """

    scores: pd.DataFrame
    per_horizon: dict[str, pd.DataFrame]
    forecasts: dict[str, np.ndarray]
    actual: np.ndarray
    origins: pd.Index
    model_name: str
    season: int
    skipped: dict[str, str] = field(default_factory=dict)  # baseline → why it did not run
    unscored: int = 0  # forecast values whose actual value was filled in, left out

    def winner(self, metric: str = "MAE") -> str:
        """The method with the lowest ``metric``."""
        return str(self.scores[metric].idxmin())

    def __str__(self) -> str:
        table = self.scores.to_string(float_format=lambda v: f"{v:.4g}")
        first, last = label(self.origins[0]), label(self.origins[-1])
        lines = [
            f"backtest: {len(self.origins)} origins from {first} to {last}, horizon "
            f"{self.actual.shape[1]}, season {self.season}; lower is better",
            table,
            f"best by MAE: {self.winner()}",
        ]
        lines += skipped_and_unscored(self.skipped, self.unscored)
        return "\n".join(lines)


def skipped_and_unscored(skipped: dict[str, str], unscored: int) -> list[str]:
    """The closing lines of a printed backtest: baselines that did not run, values not scored."""
    lines = [f"(skipped {name}: {why})" for name, why in skipped.items()]
    if unscored:
        lines.append(
            f"(not scored: {unscored} forecast value{'s' if unscored > 1 else ''} "
            "whose actual value was filled in, not observed)"
        )
    return lines


def backtest_origins(
    index: pd.Index,
    start: Any,
    *,
    default: int | None,
    horizon: int,
    stride: int,
    window: int,
    lag: int = 0,
) -> np.ndarray:
    """Every ``stride``-th position from ``start`` that leaves ``horizon`` values to forecast.

    ``start`` is a label of ``index`` (a date or step), or None for ``default``
    (a forecaster's validation start; None when it has none for this data).
    The start must leave a forecaster's ``window`` of points before it, plus
    its differencing ``lag``.
    """
    if start is None:
        # The default, the validation start, only means something on the data fitted.
        if default is None:
            raise SeqcastError(
                "say where the backtest starts (start='2019-01-01' / --start), or fit "
                "with a validation part and backtest that same data"
            )
        first = default
    else:
        first = label_position(index, start, argument("start"))
        if first < window + lag:
            raise SeqcastError(
                f"the backtest start {start} leaves {first} points before it, fewer than the "
                f"window {window}; start later"
            )
    stride = positive_int(stride, "stride")
    origins = np.arange(first, len(index) - horizon + 1, stride)
    if len(origins) == 0:
        raise SeqcastError(
            f"no forecast origin fits: from {index[first]} there are fewer than "
            f"horizon = {horizon} values left; start the backtest earlier"
        )
    return origins


def actual_at(target: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """The values forecast from ``origins``: ``target[origin + step]``, ``(origins, horizon)``."""
    return target[origins[:, None] + np.arange(horizon)]


def score_backtest(
    target: np.ndarray,
    origins: np.ndarray,
    index: pd.Index,
    forecasts: dict[str, np.ndarray],
    *,
    season: int,
    first: int,
    compare: bool = True,
    sarima: bool = True,
    filled: np.ndarray | None = None,
) -> Backtest:
    """Score ``forecasts`` (method → ``(origins, horizon)``) against ``target``, with baselines.

    ``target`` is the whole target column in the data's units; ``origins``
    positions in it; ``index`` its labels. The first method of ``forecasts``
    is the model. With ``compare`` the series baselines (naive, seasonal
    naive, moving average, differencing, and SARIMA unless ``sarima`` is
    False) forecast the same points, SARIMA fitted on ``target[:first]``;
    a baseline that cannot run is listed in ``skipped`` with the reason.
    MASE is scaled by the naive errors on ``target[:first]`` when it holds
    more than one ``season``.

    ``filled`` (booleans like ``target``) marks the values that were filled in
    rather than observed: forecasts of them are left out of every metric (a
    filled value is a guess, and scoring against it would reward the method
    that guesses alike, e.g. naive against forward-filled holidays). They
    still serve as inputs, as they did in training.
    """
    horizon = next(iter(forecasts.values())).shape[1]
    model_name = next(iter(forecasts))
    forecasts = dict(forecasts)
    skipped = {}
    if compare:
        ran = baselines.series_baselines(
            target, origins, horizon, season=season, fit_end=first, include_sarima=sarima
        )
        forecasts.update(ran)
        for name in baselines.SERIES_BASELINES:
            if name in ran or (name == "sarima" and not sarima):
                continue
            seasonal = name in ("seasonal_naive", "differenced_moving_average")
            skipped[name] = (
                "the data has no season (season 1); pass season=N (--season N) if it has one"
                if seasonal and season <= 1
                else "too little history before the start for its season or window"
            )
    actual = actual_at(target, origins, horizon)
    observed = np.ones(actual.shape, dtype=bool)
    if filled is not None:
        observed = ~actual_at(np.asarray(filled, dtype=bool), origins, horizon)
        if not observed.any():
            raise SeqcastError(
                "every value the backtest would score was filled in, not observed; "
                "start the backtest where the data has observed values"
            )
    history = target[:first]
    mase_ok = len(history) > season
    scores, per_horizon = {}, {}
    for name, forecast in forecasts.items():
        kwargs = {"y_train": history, "season": season} if mase_ok else {}
        if observed.all():
            scores[name] = metrics.forecast_scores(actual, forecast, **kwargs)
            per_horizon[name] = metrics.per_horizon_scores(actual, forecast, **kwargs)
        else:
            scores[name], per_horizon[name] = _observed_scores(actual, forecast, observed, kwargs)
    actual = np.where(observed, actual, np.nan)
    return Backtest(
        scores=pd.DataFrame.from_dict(scores, orient="index"),
        per_horizon=per_horizon,
        forecasts=forecasts,
        actual=actual,
        origins=index[origins],
        model_name=model_name,
        season=season,
        skipped=skipped,
        unscored=int((~observed).sum()),
    )


def _observed_scores(
    actual: np.ndarray, forecast: np.ndarray, observed: np.ndarray, kwargs: dict[str, Any]
) -> tuple[dict[str, float], pd.DataFrame]:
    """The overall and per-step scores of the ``observed`` values (NaN for a step with none)."""
    overall = metrics.forecast_scores(actual[observed], forecast[observed], **kwargs)
    rows = []
    for step in range(actual.shape[1]):
        kept = observed[:, step]
        if kept.any():
            rows.append(metrics.forecast_scores(actual[kept, step], forecast[kept, step], **kwargs))
        else:
            rows.append(dict.fromkeys(overall, float("nan")))
    index = pd.RangeIndex(1, actual.shape[1] + 1, name="horizon")
    return overall, pd.DataFrame(rows, index=index)
