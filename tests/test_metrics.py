"""The error measures: the book's MSE, and the MAE / RMSE / last-step variants."""

import numpy as np
import pytest

from seqcast import metrics


def test_metrics():
    y, p = np.array([[1.0], [3.0]]), np.array([[2.0], [1.0]])
    assert metrics.mse(y, p) == pytest.approx(2.5)
    assert metrics.mae(y, p) == pytest.approx(1.5)
    assert metrics.rmse(y, p) == pytest.approx(np.sqrt(2.5))
    seq_true = np.zeros((2, 3, 2))
    seq_pred = np.zeros((2, 3, 2))
    seq_pred[:, -1] = 2.0  # only the last step counts
    seq_pred[:, 0] = 100.0
    assert metrics.last_time_step_mse(seq_true, seq_pred) == pytest.approx(4.0)
