"""What every series baseline shares: the origins convention and its checks.

``series`` is one long 1-D series and ``origins`` holds forecast origins; the
forecast at origin ``t`` covers ``series[t : t + horizon]`` and may read
``series[:t]`` only. Every baseline returns ``(len(origins), horizon)``.

>>> series_inputs([5.0, 6.0, 7.0], [2, 3], horizon=1)[1].tolist()
[2, 3]
>>> series_inputs([5.0, 6.0, 7.0], [2, 3], horizon=0)
Traceback (most recent call last):
...
seqcast.errors.SeqcastError: horizon must be a whole number of at least 1, got 0
"""

from __future__ import annotations

import numpy as np

from seqcast.checks import positive_int
from seqcast.errors import SeqcastError


class TooLittleHistory(SeqcastError):
    """An origin (or the horizon) asks more of the past than a method has: skippable.

    :func:`~seqcast.baselines.suite.series_baselines` leaves such a method out
    instead of failing the whole suite.
    """


def series_inputs(series, origins, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Check the arguments every series baseline takes; ``series`` and ``origins`` as arrays."""
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
    positive_int(horizon, "horizon")
    if origins.max() > len(series):
        raise SeqcastError(
            f"origin {origins.max()} lies past the end of the series ({len(series)} points); "
            "drop origins greater than len(series)."
        )
    return series, origins.astype(np.intp)


def need_history(origins: np.ndarray, needed: int, method: str, fix: str) -> None:
    """Raise unless every origin has at least ``needed`` points before it."""
    first = int(origins.min())
    if first < needed:
        raise TooLittleHistory(
            f"{method} needs {needed} points before the first forecast origin, "
            f"but origin {first} has {first}; {fix}."
        )


def forecast_targets(series, origins, horizon: int) -> np.ndarray:
    """What the forecasts at ``origins`` aim at: ``series[t + j]``, shape ``(n_origins, horizon)``.

    >>> forecast_targets(np.arange(10.0), [3, 7], horizon=2).tolist()
    [[3.0, 4.0], [7.0, 8.0]]
    """
    series, origins = series_inputs(series, origins, horizon)
    if origins.max() + horizon > len(series):
        raise SeqcastError(
            f"origin {origins.max()} with horizon {horizon} runs past the end of the series "
            f"({len(series)} points); drop the last origins or shorten the horizon."
        )
    return series[origins[:, None] + np.arange(horizon)]
