"""One scorer for a backtest of any number of series: :func:`score_panel`.

A model's forecasts at each series' origins come in; the baselines
(:mod:`seqcast.baselines.suite`) forecast the same points, every method is
scored per series, pooled and per horizon step (:mod:`seqcast.backtesting.scores`),
and a :class:`~seqcast.backtesting.result.Backtest` comes out. A single series
is a panel of one, scored the same way and unwrapped only in the result
(``one_series=True``).

>>> steps = np.arange(60)
>>> targets = [10 + np.sin(steps * 2 * np.pi / 4), 50 + 5 * np.cos(steps * 2 * np.pi / 4)]
>>> origins = [np.arange(48, 58), np.arange(50, 58)]
>>> perfect = [t[o[:, None] + np.arange(3)] for t, o in zip(targets, origins)]
>>> result = score_panel(targets, origins, [pd.RangeIndex(60)] * 2, ["a", "b"],
...                      {"oracle": perfect}, season=4, fit_ends=[48, 50], freq=None,
...                      baselines=False)
>>> result.winner(), float(result.scores.loc["oracle", "MASE"])
('oracle', 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from seqcast.backtesting.result import Backtest
from seqcast.backtesting.scores import (
    AGGREGATE_COLUMNS,
    SERIES_COLUMNS,
    MethodScores,
    mase_scale,
    method_scores,
)
from seqcast.baselines.suite import ALL_BASELINES, run_baselines, usual_baselines
from seqcast.checks import positive_int
from seqcast.errors import SeqcastError


@dataclass
class Inputs:
    """What is scored, checked: per series its target, origins, labels, fit end and id."""

    targets: list[np.ndarray]
    origins: list[np.ndarray]
    indexes: list[pd.Index]
    fit_ends: list[int]
    ids: list[str]
    horizon: int


def score_panel(
    targets: Sequence[np.ndarray],
    origins: Sequence[np.ndarray],
    indexes: Sequence[pd.Index],
    ids: Sequence[str],
    forecasts: dict[str, Sequence[np.ndarray]],
    *,
    season: int,
    fit_ends: Sequence[int],
    freq: str | None,
    baselines: bool | Sequence[str] = True,
    filled: Sequence[np.ndarray] | None = None,
    id_column: str = "series",
    n_jobs: int | None = 1,
    one_series: bool = False,
) -> Backtest:
    """Score ``forecasts`` over a panel, series by series and in aggregate, beside baselines.

    ``targets[i]``: series ``i``'s whole target (1-D, data units); ``origins[i]``:
    positions in it (the forecast of origin ``t`` is of ``target[t : t + horizon]``);
    ``indexes[i]``: its labels; ``ids[i]``: its name. ``forecasts``: method →
    one ``(len(origins[i]), horizon)`` array per series, the model first.
    ``fit_ends[i]``: where series ``i``'s test part starts: the baselines are
    fitted on ``target[:fit_end]`` and its MASE is scaled by the seasonal naive
    errors there. ``baselines``: the names of those to run beside the model
    (see :func:`~seqcast.baselines.suite.run_baselines`), True for the usual
    suite (:data:`~seqcast.baselines.suite.STATISTICAL_BASELINES`, or
    :data:`~seqcast.baselines.suite.ONE_SERIES_BASELINES` with ``one_series``),
    False for none; ``n_jobs`` worker processes fit AutoETS and AutoARIMA.
    ``filled[i]`` (booleans like ``targets[i]``) marks values filled in rather
    than observed: forecasts of them are not scored. ``one_series``: the
    result is a backtest of one series (of one entry each), unwrapped, and a
    baseline too long for its history is skipped rather than replaced by the
    naive forecast. See :class:`~seqcast.backtesting.result.Backtest` for each
    score's definition.
    """
    season = positive_int(season, "season")
    if not forecasts:
        raise SeqcastError("score_panel needs the model's forecasts; pass {name: [arrays]}.")
    inputs, runs = _checked(targets, origins, indexes, ids, fit_ends, forecasts, filled)
    if one_series and len(inputs.ids) != 1:
        raise SeqcastError(
            f"score_panel(one_series=True) scores one series, but got {len(inputs.ids)}; "
            "pass one entry in each, or leave one_series out."
        )
    skipped: dict[str, str] = {}
    if baselines:
        methods = usual_baselines(one_series) if baselines is True else tuple(baselines)
        skipped = _add_baselines(runs, inputs, methods, season, n_jobs, one_series)
    actual, masks = _observed(inputs, filled)
    scales = [mase_scale(t[:end], season) for t, end in zip(inputs.targets, inputs.fit_ends)]
    scored = {method: method_scores(actual, made, scales) for method, made in runs.items()}
    shown = _one_series_view if one_series else _many_series_view
    return Backtest(
        **shown(scored, runs, actual, inputs, season),
        model_name=next(iter(forecasts)),
        season=season,
        skipped=skipped,
        per_series=_series_table(scored, inputs.ids, id_column),
        ids=inputs.ids,
        id_column=id_column,
        filled=masks,
        targets=[pd.Series(t, index=i) for t, i in zip(inputs.targets, inputs.indexes)],
        freq=freq,
        many=not one_series,
    )


def _checked(
    targets: Sequence[np.ndarray],
    origins: Sequence[np.ndarray],
    indexes: Sequence[pd.Index],
    ids: Sequence[str],
    fit_ends: Sequence[int],
    forecasts: dict[str, Sequence[np.ndarray]],
    filled: Sequence[np.ndarray] | None,
) -> tuple[Inputs, dict[str, list[np.ndarray]]]:
    """The inputs as arrays, one entry per series in each, and the forecasts as float arrays."""
    ids = [str(name) for name in ids]
    lengths = {
        "targets": len(targets),
        "origins": len(origins),
        "indexes": len(indexes),
        "fit_ends": len(fit_ends),
    }
    lengths.update({f"forecasts[{m!r}]": len(f) for m, f in forecasts.items()})
    if filled is not None:
        lengths["filled"] = len(filled)
    wrong = {name: count for name, count in lengths.items() if count != len(ids)}
    if wrong:
        name, count = next(iter(wrong.items()))
        raise SeqcastError(
            f"score_panel got {len(ids)} ids but {count} {name}; pass one entry per series in each."
        )
    model = next(iter(forecasts))
    inputs = Inputs(
        targets=[np.asarray(t, dtype=float) for t in targets],
        origins=[np.asarray(at).astype(np.intp) for at in origins],
        indexes=list(indexes),
        fit_ends=[int(end) for end in fit_ends],
        ids=ids,
        horizon=np.asarray(forecasts[model][0]).shape[1],
    )
    runs = {m: [np.asarray(f, dtype=float) for f in fs] for m, fs in forecasts.items()}
    for i in range(len(ids)):
        _check_series(inputs, runs, i)
    return inputs, runs


def _check_series(inputs: Inputs, runs: dict[str, list[np.ndarray]], i: int) -> None:
    """One clear sentence, naming the series, for inputs that cannot be scored."""
    name, target, at = inputs.ids[i], inputs.targets[i], inputs.origins[i]
    fit_end, horizon = inputs.fit_ends[i], inputs.horizon
    if target.ndim != 1 or len(inputs.indexes[i]) != len(target):
        raise SeqcastError(
            f"series {name}: its target has shape {target.shape} but {len(inputs.indexes[i])} "
            "labels; pass one 1-D target and one label per value."
        )
    if at.ndim != 1 or len(at) == 0:
        raise SeqcastError(f"series {name}: no forecast origins; give each series at least one.")
    if at.min() < fit_end or at.max() + horizon > len(target):
        raise SeqcastError(
            f"series {name}: its origins must lie from its test start {fit_end} to "
            f"{len(target) - horizon} (horizon {horizon} before its end at {len(target)}), "
            f"but run from {at.min()} to {at.max()}; drop the origins outside."
        )
    for method, forecast in runs.items():
        if forecast[i].shape != (len(at), horizon):
            raise SeqcastError(
                f"series {name}: the {method} forecasts have shape {forecast[i].shape}, but "
                f"its {len(at)} origins and horizon {horizon} need {(len(at), horizon)}."
            )


def _add_baselines(
    runs: dict[str, list[np.ndarray]],
    inputs: Inputs,
    methods: Sequence[str],
    season: int,
    n_jobs: int | None,
    one_series: bool,
) -> dict[str, str]:
    """Run the baselines ``methods`` into ``runs`` (never over a method of the same name);
    return what was skipped, and where a method fell back on some series."""
    ran = run_baselines(
        inputs.targets,
        inputs.origins,
        inputs.horizon,
        season=season,
        fit_ends=inputs.fit_ends,
        ids=inputs.ids,
        methods=methods,
        n_jobs=n_jobs,
        short="skip" if one_series else "naive",
    )
    for method in ALL_BASELINES:  # listed in the suite's order, whatever the order asked
        if method in ran.forecasts and method not in runs:
            runs[method] = ran.forecasts[method]
    return {**ran.skipped, **ran.notes()}


def _observed(
    inputs: Inputs, filled: Sequence[np.ndarray] | None
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each series' actual values, NaN where filled in, and the masks of those filled."""
    steps = np.arange(inputs.horizon)
    actual, masks = [], []
    for i, (target, at) in enumerate(zip(inputs.targets, inputs.origins, strict=True)):
        mask = np.zeros((len(at), inputs.horizon), dtype=bool)
        if filled is not None:
            mask = np.asarray(filled[i], dtype=bool)[at[:, None] + steps]
        actual.append(np.where(mask, np.nan, target[at[:, None] + steps]))
        masks.append(mask)
    if not any((~mask).any() for mask in masks):
        raise SeqcastError(
            "every value the backtest would score was filled in, not observed; "
            "start the backtest where the data has observed values"
        )
    return actual, masks


def _series_table(scored: dict[str, MethodScores], ids: list[str], id_column: str) -> pd.DataFrame:
    """``per_series``: a row per series and method, methods in turn, series in order."""
    rows = [
        {id_column: name, "method": method, **row}
        for method, s in scored.items()
        for name, row in zip(ids, s.series, strict=True)
    ]
    return pd.DataFrame(rows, columns=[id_column, "method", *SERIES_COLUMNS])


def _many_series_view(
    scored: dict[str, MethodScores],
    runs: dict[str, list[np.ndarray]],
    actual: list[np.ndarray],
    inputs: Inputs,
    season: int,
) -> dict[str, Any]:
    """The scores and per-series arrays of a backtest of many series, as they are."""
    overall = {method: s.overall for method, s in scored.items()}
    return {
        "scores": pd.DataFrame.from_dict(overall, orient="index")[list(AGGREGATE_COLUMNS)],
        "per_horizon": {method: s.per_horizon for method, s in scored.items()},
        "forecasts": runs,
        "actual": actual,
        "origins": [pd.Index(index)[at] for index, at in zip(inputs.indexes, inputs.origins)],
    }


def _one_series_view(
    scored: dict[str, MethodScores],
    runs: dict[str, list[np.ndarray]],
    actual: list[np.ndarray],
    inputs: Inputs,
    season: int,
) -> dict[str, Any]:
    """A panel of one as a backtest of one series: arrays rather than lists, and only the
    columns a single series has always shown (no WAPE; no MASE without more than a
    season before the start)."""
    view = _many_series_view(scored, runs, actual, inputs, season)
    columns = ["MAE", "MSE", "RMSE", "MAPE", "sMAPE"]
    if inputs.fit_ends[0] > season:
        columns.append("MASE")
    return {
        "scores": view["scores"][columns],
        "per_horizon": {method: table[columns] for method, table in view["per_horizon"].items()},
        "forecasts": {method: forecasts[0] for method, forecasts in runs.items()},
        "actual": actual[0],
        "origins": view["origins"][0],
    }
