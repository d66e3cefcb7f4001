"""The book's and the course's series, and the synthetic panel: streams, shapes, scales."""

import numpy as np
import pandas as pd
import pytest

from seqcast import baselines, metrics
from seqcast.data import book_splits, generate_time_series
from seqcast.data.panel import read_panel
from seqcast.data.synthetic import synthetic_panel, synthetic_panel_values
from seqcast.errors import SeqcastError


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


# --------------------------------------------------------------------------- the synthetic panel


def test_panel_values_have_the_asked_shape_and_are_float32():
    values = synthetic_panel_values(50, 120, seed=3)
    assert values.shape == (50, 120)
    assert values.dtype == np.float32
    assert np.isfinite(values).all()


def test_panel_is_reproducible_by_seed_and_differs_across_seeds():
    np.testing.assert_array_equal(
        synthetic_panel_values(20, 60, seed=5), synthetic_panel_values(20, 60, seed=5)
    )
    assert not np.array_equal(
        synthetic_panel_values(20, 60, seed=5), synthetic_panel_values(20, 60, seed=6)
    )


def test_panel_series_scales_span_orders_of_magnitude():
    means = synthetic_panel_values(400, 100, seed=0).mean(axis=1)
    # Levels are log-uniform over five decades: the spread of scales is what a
    # global model must undo per series.
    assert means.max() / means.min() > 1e3
    assert np.ptp(np.log10(means)) > 3


def test_panel_series_have_the_season_they_were_given():
    values = synthetic_panel_values(200, 7 * 40, seed=1, season=7, noise=0.01)
    # Relative to its own level, each series repeats every 7 steps far more than every 3.
    relative = values / values.mean(axis=1, keepdims=True)
    lag7 = np.abs(relative[:, 7:] - relative[:, :-7]).mean()
    lag3 = np.abs(relative[:, 3:] - relative[:, :-3]).mean()
    assert lag7 < lag3 / 3


def test_panel_frame_is_the_array_as_a_long_table():
    frame = synthetic_panel(4, 10, seed=2, freq="MS", start="2001-01-01")
    values = synthetic_panel_values(4, 10, seed=2, season=12)
    assert frame.columns.tolist() == ["series", "date", "value"]
    assert len(frame) == 40
    assert frame["series"].astype(str).unique().tolist() == ["s0", "s1", "s2", "s3"]
    assert frame["date"].iloc[9] == pd.Timestamp("2001-10-01")
    np.testing.assert_allclose(frame["value"].to_numpy(), values.ravel().astype(np.float64))


def test_panel_frame_reads_back_as_a_panel_of_series():
    panel = read_panel(synthetic_panel(3, 30, seed=0), id_column="series")
    assert panel.ids == ("s0", "s1", "s2")
    assert panel.freq == "D"
    np.testing.assert_allclose(
        panel.get("s2").frame["value"].to_numpy(), synthetic_panel_values(3, 30)[2]
    )


def test_panel_refuses_bad_sizes_in_one_sentence():
    with pytest.raises(SeqcastError, match="n_series must be a whole number"):
        synthetic_panel_values(0, 10)
    with pytest.raises(SeqcastError, match="noise must be a number between 0 and 1"):
        synthetic_panel_values(2, 10, noise=2.0)
