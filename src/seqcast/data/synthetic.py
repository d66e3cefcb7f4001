"""The synthetic series of Hands-On ML ch. 15, bit for bit.

The book seeds NumPy's global generator with ``np.random.seed(42)`` right before
``generate_time_series(10000, n_steps + k)``; a ``np.random.RandomState(42)``
draws the very same stream, so ``generate_time_series(10000, 51, seed=42)``
returns the book's array without touching global state.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from seqcast.data.splits import Splits
from seqcast.data.windows import seq2seq_targets

BOOK_SEED = 42
BOOK_N_STEPS = 50
BOOK_N_SERIES = 10_000
BOOK_SPLIT = (7_000, 9_000)  # train [:7000], valid [7000:9000], test [9000:]


def generate_time_series(
    batch_size: int, n_steps: int, seed: int | np.random.RandomState | None = None
) -> np.ndarray:
    """Two sine waves of random frequency and phase plus uniform noise.

    Returns a float32 array of shape ``(batch_size, n_steps, 1)``, the same
    formula as the book's function, drawing from ``np.random.RandomState(seed)``.

    >>> series = generate_time_series(4, 51, seed=42)
    >>> series.shape, series.dtype
    ((4, 51, 1), dtype('float32'))
    """
    rng = seed if isinstance(seed, np.random.RandomState) else np.random.RandomState(seed)
    freq1, freq2, offsets1, offsets2 = rng.rand(4, batch_size, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))  # wave 1
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))  # + wave 2
    series += 0.1 * (rng.rand(batch_size, n_steps) - 0.5)  # + noise
    return series[..., np.newaxis].astype(np.float32)


@dataclass(frozen=True)
class BookSplits(Splits):
    """The book's train / validation / test split of one target layout.

    ``x_*`` have shape ``(n, n_steps, 1)``; the targets depend on ``targets``:
    ``"one_step"`` → ``(n, 1)``, ``"vector"`` → ``(n, horizon)``,
    ``"sequence"`` → ``(n, n_steps, horizon)`` (a forecast at every time step).
    """

    targets: str
    horizon: int


def book_splits(
    targets: str = "one_step", horizon: int = 1, n_steps: int = BOOK_N_STEPS, seed: int = BOOK_SEED
) -> BookSplits:
    """The book's 7000 / 2000 / 1000 split for one-step, vector or sequence targets.

    >>> splits = book_splits("vector", horizon=10)
    >>> splits.x_train.shape, splits.y_train.shape
    ((7000, 50, 1), (7000, 10))
    """
    return _book_splits_cached(targets, int(horizon), int(n_steps), int(seed))


@lru_cache(maxsize=8)
def _book_splits_cached(targets: str, horizon: int, n_steps: int, seed: int) -> BookSplits:
    if targets == "one_step" and horizon != 1:
        raise ValueError("one_step targets have horizon 1; use targets='vector' for more")
    if targets not in ("one_step", "vector", "sequence"):
        raise ValueError(f"unknown targets {targets!r}; use 'one_step', 'vector' or 'sequence'")
    series = generate_time_series(BOOK_N_SERIES, n_steps + horizon, seed=seed)
    x = series[:, :n_steps]
    if targets == "one_step":
        y = series[:, -1]
    elif targets == "vector":
        y = series[:, -horizon:, 0]
    else:
        y = seq2seq_targets(series, n_steps, horizon)
    a, b = BOOK_SPLIT
    for array in (x, y):
        array.flags.writeable = False  # cached and shared: nobody may edit it in place
    return BookSplits(x[:a], y[:a], x[a:b], y[a:b], x[b:], y[b:], targets, horizon)


# --------------------------------------------------------------------------- the course's series

COURSE_SPLIT = 1000  # train series[:1000], validation series[1000:] (461 points)
COURSE_SEASON = 365


def course_series(seed: int = 42) -> np.ndarray:
    """The "Sequences, Time Series and Prediction" course's series: 1,461 daily points.

    ``10 + 0.05 * t`` (trend) plus a yearly pattern of amplitude 40 (a cosine for
    the first 40 % of the year, then ``exp(-3 t)``) plus Gaussian noise of
    standard deviation 5 from ``np.random.RandomState(seed)``, exactly as the
    course builds it. Like the course's, the result is float64 (the noise is).

    >>> series = course_series()
    >>> series.shape, round(float(series[0]), 4)
    ((1461,), 52.4836)
    """
    time = np.arange(4 * 365 + 1, dtype="float32")
    season_time = (time % COURSE_SEASON) / COURSE_SEASON
    pattern = np.where(
        season_time < 0.4, np.cos(season_time * 2 * np.pi), 1 / np.exp(3 * season_time)
    )
    series = 10 + 0.05 * time + 40 * pattern
    return series + np.random.RandomState(seed).randn(len(time)) * 5
