"""Windowing: sliding windows, seq2seq targets and lazy windows give the same pairs."""

import numpy as np
import pytest

from seqcast.data import (
    crop_for_conv,
    generate_time_series,
    lazy_windows,
    seq2seq_targets,
    sliding_windows,
)


def test_seq2seq_targets_are_the_next_values_at_every_step():
    series = generate_time_series(3, 14, seed=0)
    targets = seq2seq_targets(series, n_steps=10, horizon=4)
    for t in range(10):
        for k in range(1, 5):
            np.testing.assert_array_equal(targets[:, t, k - 1], series[:, t + k, 0])


def test_sliding_windows_are_views_with_the_right_values():
    values = np.arange(20.0)
    x, y = sliding_windows(values, window=5, horizon=3)
    assert x.shape == (13, 5, 1) and y.shape == (13, 3)
    assert np.shares_memory(x, values) and np.shares_memory(y, values)
    np.testing.assert_array_equal(x[4, :, 0], values[4:9])
    np.testing.assert_array_equal(y[4], values[9:12])


def test_sliding_windows_reject_a_series_shorter_than_the_window():
    with pytest.raises(ValueError, match="fewer than window \\+ horizon"):
        sliding_windows(np.arange(5.0), window=5, horizon=1)


def test_lazy_windows_equal_the_materialised_ones():
    values = np.random.RandomState(0).rand(40, 3).astype("float32")
    x, y = lazy_windows(values, window=6, horizon=4)
    x_ref, y_ref = sliding_windows(values, window=6, horizon=4)
    assert x.shape == x_ref.shape and y.shape == y_ref.shape
    np.testing.assert_array_equal(np.asarray(x), x_ref)
    np.testing.assert_array_equal(np.asarray(y), y_ref)
    idx = np.array([7, 0, 29])
    np.testing.assert_array_equal(x[idx], x_ref[idx])


def test_lazy_sequence_targets_are_the_books_layout_cut_from_one_series():
    series = np.random.RandomState(1).rand(30).astype("float32")
    window, horizon = 8, 3
    _, y = lazy_windows(series, window, horizon, sequence=True)
    spans = np.lib.stride_tricks.sliding_window_view(series, window + horizon)
    expected = seq2seq_targets(spans[..., None], window, horizon)
    np.testing.assert_array_equal(np.asarray(y), expected)
    _, cropped = lazy_windows(series, window, horizon, sequence=True, crop=(4, 2))
    np.testing.assert_array_equal(np.asarray(cropped), crop_for_conv(expected, 4, 2))


def test_lazy_windows_keep_only_the_series():
    from seqcast.training.compiled import to_device as _to_device

    x, y = lazy_windows(np.zeros((100_000, 2), "float32"), window=50, horizon=10)
    on_device_x, on_device_y = _to_device(x), _to_device(y)
    assert on_device_x.values.shape == (100_000, 2)  # not 99,941 windows of 50 steps
    assert on_device_y.values.shape == (100_000,)
    assert on_device_x.shape == (99_941, 50, 2) and on_device_y.shape == (99_941, 10)
