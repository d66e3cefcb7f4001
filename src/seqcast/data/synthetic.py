"""Synthetic series: Hands-On ML ch. 15's, bit for bit, the course's, and a large panel.

The book seeds NumPy's global generator with ``np.random.seed(42)`` right before
``generate_time_series(10000, n_steps + k)``; a ``np.random.RandomState(42)``
draws the very same stream, so ``generate_time_series(10000, 51, seed=42)``
returns the book's array without touching global state.

:func:`synthetic_panel` (and its array form :func:`synthetic_panel_values`)
make a reproducible panel of many related series of very different scales,
for testing and benchmarking global models at scale
(``benchmarks/panel_scale.py`` trains on 10,000 × 1,000 points).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from seqcast.checks import fraction, positive_int
from seqcast.data.frequency import season_of
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


# --------------------------------------------------------------------------- a panel of many series

#: Levels of the synthetic panel's series are drawn log-uniformly between these powers of ten.
PANEL_LEVEL_DECADES = (0.0, 5.0)


def synthetic_panel_values(
    n_series: int,
    length: int,
    *,
    seed: int = 0,
    season: int = 7,
    noise: float = 0.05,
) -> np.ndarray:
    """Many related series of very different scales: a ``(n_series, length)`` float32 array.

    Series ``s`` at step ``t`` is ``level_s * trend_s(t) * (1 + amplitude_s *
    shape(t + phase_s) + loading_s * common(t) + sigma_s * noise)``:

    - ``level_s`` log-uniform from 1 to 1e5, so one global model must cope with
      series whose scales differ by five orders of magnitude (what per-series
      scaling is for);
    - ``trend_s(t) = 1 + slope_s * t / length``, ``slope_s`` uniform in
      [-0.5, 1]: the level changes by at most half over the series, staying
      positive;
    - a seasonal ``shape`` of period ``season`` shared by every series (a
      sine and its second harmonic), with a per-series ``phase_s`` (whole
      steps) and ``amplitude_s`` (0.05 to 0.3 of the level);
    - a ``common`` factor, a smooth random walk shared by all series (the
      market they all sell in), with per-series ``loading_s`` (0 to 0.1):
      this is what makes the series related beyond their seasonal shape;
    - Gaussian noise of relative size ``sigma_s``, uniform in
      [``noise`` / 5, ``noise``].

    Vectorised over the series (no Python loop): 10,000 × 1,000 takes well
    under a second. The same ``seed`` gives the same array; the series are
    drawn in one pass, so the first series of a larger panel differ from
    those of a smaller one. This is the cheap form benchmarks train from;
    :func:`synthetic_panel` gives the same values as a long table.

    >>> values = synthetic_panel_values(3, 28, seed=1)
    >>> values.shape, values.dtype, bool((values > 0).all())
    ((3, 28), dtype('float32'), True)
    >>> bool(np.array_equal(values, synthetic_panel_values(3, 28, seed=1)))
    True
    """
    n_series = positive_int(n_series, "n_series")
    length = positive_int(length, "length")
    season = positive_int(season, "season")
    noise = fraction(noise, "noise")
    rng = np.random.default_rng(seed)
    low, high = PANEL_LEVEL_DECADES

    def per_series(lo: float, hi: float) -> np.ndarray:
        return rng.uniform(lo, hi, (n_series, 1)).astype(np.float32)

    level = (10.0 ** per_series(low, high)).astype(np.float32)
    slope, amplitude = per_series(-0.5, 1.0), per_series(0.05, 0.3)
    loading, sigma = per_series(0.0, 0.1), per_series(noise / 5, noise)
    phase = rng.integers(0, season, (n_series, 1))
    steps = np.arange(length, dtype=np.float32)
    # The seasonal shape, one period long; each series reads it from its own phase.
    angle = 2 * np.pi * np.arange(season, dtype=np.float32) / season
    shape = (np.sin(angle) + 0.5 * np.sin(2 * angle)).astype(np.float32)
    seasonal = shape[(np.arange(length) + phase) % season]
    walk = np.cumsum(rng.standard_normal(length, dtype=np.float32))
    common = (walk - walk.mean()) / max(float(np.abs(walk).max()), 1.0)  # within about [-1, 1]
    # In place, in float32: the (n_series, length) array is the only large one held.
    values = rng.standard_normal((n_series, length), dtype=np.float32)
    values *= sigma
    values += 1.0
    values += amplitude * seasonal
    values += loading * common
    values *= level * (1.0 + slope * steps / length)
    return values


def synthetic_panel(
    n_series: int,
    length: int,
    *,
    seed: int = 0,
    freq: str = "D",
    start: str = "2020-01-01",
    season: int | None = None,
    noise: float = 0.05,
    id_column: str = "series",
) -> pd.DataFrame:
    """:func:`synthetic_panel_values` as a long table: columns ``id_column``, ``date``, ``value``.

    One row per (series, date), series after series, ``length`` dates of
    frequency ``freq`` from ``start`` for every series; the ids are text
    (``"s0000"``, ``"s0001"``, ...) held as a pandas categorical so that
    10,000,000 rows cost little. ``season`` defaults to the frequency's usual
    period (``seqcast.data.frequency.season_of``: weekly for daily data,
    yearly for monthly). ``seqcast.data.panel.read_panel(frame,
    id_column="series")`` and ``Forecaster.fit`` read it as they read any
    long table; the values are float64, as read from a file.

    >>> frame = synthetic_panel(2, 3, seed=0)
    >>> frame.columns.tolist(), frame["series"].astype(str).tolist()
    (['series', 'date', 'value'], ['s0', 's0', 's0', 's1', 's1', 's1'])
    >>> str(frame["date"].iloc[-1].date())
    '2020-01-03'
    """
    season = season_of(freq) if season is None else season
    values = synthetic_panel_values(n_series, length, seed=seed, season=season, noise=noise)
    dates = pd.date_range(start, periods=length, freq=freq)
    width = len(str(n_series - 1))
    names = [f"s{i:0{width}d}" for i in range(n_series)]
    codes = np.repeat(np.arange(n_series, dtype=np.int32), length)
    return pd.DataFrame(
        {
            id_column: pd.Categorical.from_codes(codes, categories=names),
            "date": np.tile(dates.to_numpy(), n_series),
            "value": values.ravel().astype(np.float64),
        }
    )
