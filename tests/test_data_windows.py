"""Windowing: sliding windows, seq2seq targets and lazy windows give the same pairs."""

import numpy as np
import pytest

from seqcast.data import (
    crop_for_conv,
    generate_time_series,
    lazy_windows,
    panel_windows,
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
    on_device_x, on_device_y = _to_device(x, y)
    assert on_device_x.values.shape == (100_000, 2)  # not 99,941 windows of 50 steps
    assert on_device_y.values is on_device_x.values  # the targets are its column 0
    assert on_device_x.shape == (99_941, 50, 2) and on_device_y.shape == (99_941, 10)


# --------------------------------------------------------------------------- panels


def _per_series(parts, window, horizon, **kwargs):
    """The windows of each part cut on its own, stacked: what panel_windows must equal."""
    xs, ys = [], []
    for part in parts:
        if len(part) >= window + horizon:
            x, y = lazy_windows(part, window, horizon, **kwargs)
            xs.append(np.asarray(x))
            ys.append(np.asarray(y))
    return np.concatenate(xs), np.concatenate(ys)


@pytest.mark.parametrize("sequence", [False, True])
def test_panel_windows_equal_each_series_cut_on_its_own(sequence):
    rng = np.random.default_rng(0)
    # lengths include one too short for any window, which must contribute none
    parts = [rng.normal(size=(n, 2)).astype("float32") for n in (9, 3, 15, 7)]
    x, y = panel_windows(parts, window=4, horizon=2, sequence=sequence)
    want_x, want_y = _per_series(parts, 4, 2, sequence=sequence)
    assert x.shape == want_x.shape and y.shape == want_y.shape
    np.testing.assert_array_equal(np.asarray(x), want_x)
    np.testing.assert_array_equal(np.asarray(y), want_y)


def test_panel_windows_gather_on_the_device_inside_jit():
    import jax
    import jax.numpy as jnp

    parts = [np.arange(n, dtype="float32") + 1000 * s for s, n in enumerate((6, 10, 5))]
    x, y = panel_windows(parts, window=3, horizon=1)
    batch = np.array([0, 2, 3, 9, 10, 11])
    on_device = jax.tree_util.tree_map(jnp.asarray, x)

    gather = jax.jit(lambda windows, index: windows[index])
    gathered = gather(on_device, jnp.asarray(batch))
    np.testing.assert_array_equal(np.asarray(gathered), np.asarray(x)[batch])
    targets = gather(jax.tree_util.tree_map(jnp.asarray, y), jnp.asarray(batch))
    np.testing.assert_array_equal(np.asarray(targets), np.asarray(y)[batch])
    # no window spans two series: each window's values come from one thousand
    np.testing.assert_array_equal(np.ptp(np.asarray(x)[:, :, 0] // 1000, axis=1), 0)


def test_panel_windows_of_one_series_are_the_plain_lazy_windows():
    part = np.arange(10.0)[:, None]
    x, y = panel_windows([part], window=3, horizon=2)
    assert x.segments is None
    want_x, want_y = lazy_windows(part, 3, 2)
    np.testing.assert_array_equal(np.asarray(x), np.asarray(want_x))
    np.testing.assert_array_equal(np.asarray(y), np.asarray(want_y))


def test_panel_windows_without_any_full_window_is_refused():
    with pytest.raises(ValueError, match="no series has window"):
        panel_windows([np.arange(3.0), np.arange(4.0)], window=4, horizon=1)
