"""The forecast-origins convention every series baseline shares, and its checks."""

import numpy as np
import pytest

from seqcast.baselines import forecast_targets, naive_forecast
from seqcast.errors import SeqcastError

TINY = np.arange(20.0)  # series[i] == i: every forecast can be checked by eye


def test_forecast_targets_line_up_with_the_origins():
    np.testing.assert_array_equal(forecast_targets(TINY, [3, 17], 3), [[3, 4, 5], [17, 18, 19]])
    with pytest.raises(SeqcastError, match="runs past the end"):
        forecast_targets(TINY, [18], 3)


def test_bad_arguments_are_seqcast_errors():
    with pytest.raises(SeqcastError, match="1-D series"):
        naive_forecast(np.zeros((3, 2)), [1], 1)
    with pytest.raises(SeqcastError, match="integer positions"):
        naive_forecast(TINY, [1.5], 1)
    with pytest.raises(SeqcastError, match="horizon must be a whole number of at least 1"):
        naive_forecast(TINY, [1], 0)
