import numpy as np
import pytest

from seqcast import baselines, metrics
from seqcast.data import (
    book_splits,
    crop_for_conv,
    generate_time_series,
    lazy_windows,
    seq2seq_targets,
    sliding_windows,
)


def _book_generate_time_series(batch_size, n_steps):
    """The book's function verbatim in behaviour: it draws from NumPy's global generator."""
    freq1, freq2, offsets1, offsets2 = np.random.rand(4, batch_size, 1)
    time = np.linspace(0, 1, n_steps)
    series = 0.5 * np.sin((time - offsets1) * (freq1 * 10 + 10))
    series += 0.2 * np.sin((time - offsets2) * (freq2 * 20 + 20))
    series += 0.1 * (np.random.rand(batch_size, n_steps) - 0.5)
    return series[..., np.newaxis].astype(np.float32)


def test_generator_reproduces_the_books_global_seed_stream_bit_for_bit():
    state = np.random.get_state()
    try:
        np.random.seed(42)
        expected = _book_generate_time_series(10000, 51)
    finally:
        np.random.set_state(state)
    np.testing.assert_array_equal(generate_time_series(10000, 51, seed=42), expected)


def test_generator_leaves_global_state_alone():
    before = np.random.get_state()[1].copy()
    generate_time_series(10, 5, seed=1)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_book_splits_shapes():
    one = book_splits()
    assert (one.x_train.shape, one.y_train.shape) == ((7000, 50, 1), (7000, 1))
    assert (one.x_valid.shape, one.x_test.shape) == ((2000, 50, 1), (1000, 50, 1))
    vec = book_splits("vector", horizon=10)
    assert vec.y_valid.shape == (2000, 10)
    seq = book_splits("sequence", horizon=10)
    assert seq.y_train.shape == (7000, 50, 10)


def test_naive_forecast_matches_the_books_figure_to_six_digits():
    data = book_splits()
    value = metrics.mse(data.y_valid, baselines.naive(data.x_valid))
    assert round(value, 6) == 0.020211


def test_seq2seq_targets_are_the_next_values_at_every_step():
    series = generate_time_series(3, 14, seed=0)
    targets = seq2seq_targets(series, n_steps=10, horizon=4)
    for t in range(10):
        for k in range(1, 5):
            np.testing.assert_array_equal(targets[:, t, k - 1], series[:, t + k, 0])


def test_sequence_targets_end_with_the_vector_targets():
    seq, vec = book_splits("sequence", horizon=10), book_splits("vector", horizon=10)
    np.testing.assert_array_equal(seq.y_valid[:, -1], vec.y_valid)


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
