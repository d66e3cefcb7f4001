"""SARIMA as a baseline: it beats naive on a seasonal series, and its fit range is checked."""

import numpy as np
import pytest

from seqcast import metrics
from seqcast.baselines import forecast_targets, naive_forecast, sarima_forecast
from seqcast.errors import SeqcastError


def _noisy_seasonal(n: int = 150, season: int = 12, seed: int = 0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    time = np.arange(n)
    return 10 + 0.1 * time + 5 * np.sin(2 * np.pi * time / season) + rng.randn(n)


SEASONAL = _noisy_seasonal()


def test_sarima_beats_naive_on_a_noisy_seasonal_series():
    origins = np.arange(100, 148)
    truth = forecast_targets(SEASONAL, origins, 3)
    sarima = sarima_forecast(SEASONAL, origins, 3, fit_end=100, season=12)
    naive = naive_forecast(SEASONAL, origins, 3)
    assert sarima.shape == (len(origins), 3)
    assert metrics.mae(truth, sarima) < 0.7 * metrics.mae(truth, naive)


def test_sarima_fit_must_end_before_the_first_origin():
    with pytest.raises(SeqcastError, match="fit_end is 120"):
        sarima_forecast(SEASONAL, [110], 1, fit_end=120, season=12)


def test_sarima_needs_enough_points_to_fit():
    with pytest.raises(SeqcastError, match="needs 36 points to fit, but fit_end is 20"):
        sarima_forecast(SEASONAL, [30], 1, fit_end=20, season=12)


def test_sarima_drops_a_season_too_long_to_filter_quickly():
    origins = np.arange(100, 110)
    long_season = sarima_forecast(SEASONAL, origins, 2, fit_end=100, season=365)
    no_season = sarima_forecast(SEASONAL, origins, 2, fit_end=100, season=None)
    np.testing.assert_array_equal(long_season, no_season)
