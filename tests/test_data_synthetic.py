"""The book's and the course's series: the book's random stream, shapes and figures."""

import numpy as np

from seqcast import baselines, metrics
from seqcast.data import book_splits, generate_time_series


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


def test_sequence_targets_end_with_the_vector_targets():
    seq, vec = book_splits("sequence", horizon=10), book_splits("vector", horizon=10)
    np.testing.assert_array_equal(seq.y_valid[:, -1], vec.y_valid)
