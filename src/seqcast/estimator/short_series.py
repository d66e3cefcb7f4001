"""Series of a panel too short for the model: what happens to them instead of an error.

One short series must not block a panel of many. A series too short to give
one training window is left out of training (:func:`trainable`); one shorter
than the window the network reads gets a baseline forecast, labelled in a
``method`` column (:func:`baseline_forecast`); one too short for a single
backtest origin is left out of the backtest (:func:`scorable`). Each says
so in one :class:`~seqcast.errors.SeqcastWarning` naming the series. A lone
series, or a panel whose every series is too short, is refused in one
sentence as before.

>>> season_method(10, season=7), season_method(5, season=7), season_method(10, season=1)
('seasonal_naive', 'naive', 'naive')
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from seqcast.baselines.simple import naive_forecast, seasonal_naive_forecast
from seqcast.checks import listing
from seqcast.data.panel import Panel
from seqcast.data.series import SeriesData, check_length
from seqcast.errors import SeqcastWarning
from seqcast.estimator.naming import WHOLE_SERIES, of
from seqcast.estimator.prepare import trained_horizon
from seqcast.estimator.reading import is_one_series
from seqcast.estimator.state import Parameters

#: The ``method`` of a forecast table's rows, and the baselines a short series gets.
METHOD_COLUMN = "method"
SEASONAL_NAIVE, NAIVE = "seasonal_naive", "naive"

# How many short series a warning names; the rest are counted.
_NAMED = 10


def trainable(
    params: Parameters, panel: Panel, splits: list[int], part: str, stacklevel: int
) -> tuple[Panel, list[int]]:
    """The series of ``panel`` that give a training window, and their ``splits``.

    ``splits`` are each series' training points; ``part`` names them in the
    error (the series, or its training part). A series of a panel with fewer
    than a window plus the trained horizon (plus the differencing lag) is
    left out, with a warning; a lone series, or every series, too short
    raises :func:`~seqcast.data.series.check_length`'s error (for a panel,
    of its longest series). ``stacklevel`` counts from the caller up to the
    user's call, where the warning points (so in every function here).
    """
    lag = params.difference or 0
    horizon = trained_horizon(params)
    short = [i for i, split in enumerate(splits) if split - lag < params.window + horizon]
    if not short:
        return panel, splits
    if is_one_series(panel) or len(short) == len(panel):
        longest = int(np.argmax(splits))
        what = of(panel, panel.ids[longest], part)
        check_length(splits[longest] - lag, params.window, horizon, what)
    named = [f"{panel.ids[i]} ({splits[i]} points{_in(part)})" for i in short]
    _warn(
        f"left {len(short)} series out of training, too short for "
        f"{_need(params.window, horizon, lag)}: {listing(named, limit=_NAMED)}",
        stacklevel,
    )
    kept = _others(len(panel), short)
    return subpanel(panel, kept), [splits[i] for i in kept]


def window_needed(params: Parameters) -> int:
    """The points the network reads to forecast: its window, plus the differencing lag."""
    return params.window + (params.difference or 0)


def readable(params: Parameters, panel: Panel, season: int, stacklevel: int) -> list[int]:
    """The positions of the series the network can read a window of; the others are warned of.

    A series of a panel shorter than the window (plus the differencing lag)
    gets a baseline forecast instead (:func:`baseline_forecast`, ``season``
    its seasonal period); a lone series, or every series, that short is left
    to the caller to refuse (the returned list is then empty).
    """
    needed = window_needed(params)
    short = [i for i, series in enumerate(panel) if len(series) < needed]
    if short and not is_one_series(panel) and len(short) < len(panel):
        named = [
            f"{panel.ids[i]} ({len(panel.series[i])} points, "
            f"{season_method(len(panel.series[i]), season)})"
            for i in short
        ]
        lag = f" plus its differencing lag {params.difference}" if params.difference else ""
        are, it = ("is", "it gets") if len(short) == 1 else ("are", "they get")
        _warn(
            f"{len(short)} series {are} shorter than the model's window of {params.window}"
            f"{lag}, so {it} a baseline forecast instead, named in the '{METHOD_COLUMN}' "
            f"column: {listing(named, limit=_NAMED)}",
            stacklevel,
        )
    return _others(len(panel), short)


def scorable(
    params: Parameters, panel: Panel, trained: Collection[str] | None, stacklevel: int
) -> list[int]:
    """The positions of the series a backtest scores; the others are left out, with a warning.

    A series of a panel is left out when it has fewer points than the
    window, the differencing lag and the horizon (no origin fits), or, with
    ``trained`` (the series fitted on, when the backtest starts at the fitted
    data's validation part), when it was left out of training (it has no
    validation part to start at). A lone series, or every series, is kept
    for the backtest's own error.
    """
    lag = params.difference or 0
    needed = params.window + lag + params.horizon
    short = [
        i
        for i, (sid, series) in enumerate(zip(panel.ids, panel))
        if len(series) < needed or (trained is not None and sid not in trained)
    ]
    if not short or is_one_series(panel) or len(short) == len(panel):
        return list(range(len(panel)))
    named = [f"{panel.ids[i]} ({len(panel.series[i])} points)" for i in short]
    _warn(
        f"left {len(short)} series out of the backtest, too short for "
        f"{_need(params.window, params.horizon, lag)}: {listing(named, limit=_NAMED)}",
        stacklevel,
    )
    return _others(len(panel), short)


def baseline_forecast(series: SeriesData, horizon: int, season: int) -> tuple[pd.DataFrame, str]:
    """A short series' forecast frame (as the model's: indexed by its future dates) and method.

    The last season repeated (seasonal naive), or the last value (naive)
    where the series holds less than one season.
    """
    values = series.frame[series.target].to_numpy(dtype="float64")
    method = season_method(len(values), season)
    end = [len(values)]
    if method == SEASONAL_NAIVE:
        point = seasonal_naive_forecast(values, end, horizon, season)
    else:
        point = naive_forecast(values, end, horizon)
    return pd.DataFrame({series.target: point[0]}, index=series.future_index(horizon)), method


def season_method(points: int, season: int) -> str:
    """Seasonal naive where a series' ``points`` hold a season (of over one step), else naive."""
    return SEASONAL_NAIVE if 1 < season <= points else NAIVE


def subpanel(panel: Panel, positions: Sequence[int]) -> Panel:
    """``panel`` with only the series at ``positions``, in their order (all: ``panel`` itself)."""
    if len(positions) == len(panel):
        return panel
    return replace(
        panel,
        series=tuple(panel.series[i] for i in positions),
        ids=tuple(panel.ids[i] for i in positions),
        statics=panel.statics.iloc[list(positions)],
    )


def _others(count: int, short: Sequence[int]) -> list[int]:
    """The positions ``0 .. count - 1`` but those in ``short``."""
    left_out = set(short)
    return [i for i in range(count) if i not in left_out]


def _in(part: str) -> str:
    """Where a series' points were counted, when not the whole series."""
    return "" if part == WHOLE_SERIES else " before the validation part"


def _need(window: int, horizon: int, lag: int) -> str:
    lag_text = f" plus the differencing lag {lag}" if lag else ""
    return f"a window of {window} plus a horizon of {horizon}{lag_text}"


def _warn(message: str, stacklevel: int) -> None:
    """Warn at the user's call, ``stacklevel`` frames up from the caller of this module."""
    warnings.warn(message, SeqcastWarning, stacklevel=stacklevel + 2)
