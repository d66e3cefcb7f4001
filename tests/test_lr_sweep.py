"""LearningRateSweep: the course's schedule and reading a rate off the losses."""

import numpy as np
import pytest

from seqcast.errors import SeqcastError
from seqcast.lr_sweep import LearningRateSweep, sweep_schedule

RATES = 1e-8 * 10 ** (np.arange(160) / 20)


def test_the_schedule_grows_a_decade_every_20_epochs():
    schedule = sweep_schedule(1e-6)
    np.testing.assert_allclose([schedule(e, 0.5) for e in (0, 20, 40)], [1e-6, 1e-5, 1e-4])
    assert isinstance(schedule(3), float)


def test_the_suggestion_is_where_the_loss_falls_fastest():
    drop = 1 / (1 + np.exp(-2 * (np.log10(RATES) + 3)))  # falls fastest at 1e-3
    sweep = LearningRateSweep(RATES, 2 - drop + (RATES > 1e-1) * 10)
    assert np.log10(sweep.suggestion) == pytest.approx(-3.0, abs=0.1)
    assert sweep.reached_the_minimum


def test_a_loss_still_falling_at_the_end_has_not_reached_its_minimum():
    sweep = LearningRateSweep(RATES, np.linspace(2, 1, len(RATES)))
    assert not sweep.reached_the_minimum


def test_the_epochs_after_the_loss_diverged_are_ignored():
    losses = np.r_[np.linspace(2, 1, 50), np.inf, np.nan]
    sweep = LearningRateSweep(RATES[:52], losses)
    assert RATES[0] <= sweep.suggestion <= RATES[49]
    with pytest.raises(SeqcastError, match="never finite"):
        _ = LearningRateSweep(RATES[:2], np.array([np.nan, np.inf])).suggestion
