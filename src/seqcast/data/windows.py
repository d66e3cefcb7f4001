"""Windowing: the one place that turns series into (inputs, targets) pairs.

Everything here returns views where it can (``sliding_window_view``), so a long
series does not get one copy per window.
"""

from __future__ import annotations

import threading

import numpy as np


def seq2seq_targets(series: np.ndarray, n_steps: int, horizon: int) -> np.ndarray:
    """Targets for sequence-to-sequence training: a ``horizon``-vector at every step.

    ``Y[:, t, k - 1] = series[:, t + k, 0]``: at time step ``t`` the model
    forecasts the next ``horizon`` values, as in the book's seq2seq section.

    ``series`` has shape ``(batch, n_steps + horizon, 1)``; the result has shape
    ``(batch, n_steps, horizon)`` (a view, read-only).

    >>> s = np.arange(6, dtype="float32").reshape(1, 6, 1)
    >>> seq2seq_targets(s, n_steps=4, horizon=2)[0].tolist()
    [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0], [4.0, 5.0]]
    """
    if series.ndim != 3 or series.shape[-1] != 1:
        raise ValueError(f"series must have shape (batch, time, 1), got {series.shape}")
    if series.shape[1] < n_steps + horizon:
        raise ValueError(
            f"series has {series.shape[1]} steps, fewer than n_steps + horizon = "
            f"{n_steps + horizon}"
        )
    # windows[b, t, k] = series[b, t + k, 0] for t in [0, n_steps + 1), k in [0, horizon)
    windows = np.lib.stride_tricks.sliding_window_view(series[:, :, 0], horizon, axis=1)
    return windows[:, 1 : n_steps + 1]


def sliding_windows(
    values: np.ndarray, window: int, horizon: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Cut one long series into overlapping (input window, next ``horizon`` values).

    ``values`` has shape ``(time,)`` or ``(time, features)``; inputs come back as
    ``(n, window, features)`` and targets as ``(n, horizon)`` (first feature),
    both strided views of ``values``: no copy per window.

    >>> x, y = sliding_windows(np.arange(6.0), window=3, horizon=2)
    >>> x[:, :, 0].tolist(), y.tolist()
    ([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]], [[3.0, 4.0], [4.0, 5.0]])
    """
    values = np.asarray(values)
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(f"values must be 1-D or 2-D (time, features), got shape {values.shape}")
    n = _window_count(values.shape[0], window, horizon)
    # view[i, f, j] = values[i + j, f]
    view = np.lib.stride_tricks.sliding_window_view(values, window + horizon, axis=0)
    inputs = view[:n, :, :window].transpose(0, 2, 1)
    targets = view[:n, 0, window:]
    return inputs, targets


def _window_count(n_points: int, window: int, horizon: int) -> int:
    """How many (window, horizon) pairs a series of ``n_points`` holds; at least one."""
    n = n_points - window - horizon + 1
    if n < 1:
        raise ValueError(
            f"the series has {n_points} points, fewer than window + horizon = "
            f"{window + horizon}; use a shorter window or horizon, or more data"
        )
    return n


def crop_for_conv(targets: np.ndarray, kernel_size: int, strides: int) -> np.ndarray:
    """Align per-step targets with the outputs of a ``padding="valid"`` Conv1D front-end.

    Output ``i`` of such a convolution sees input steps ``i * strides`` to
    ``i * strides + kernel_size - 1``, so its target is the one of the last of
    them: ``targets[:, kernel_size - 1 :: strides]`` (the book's ``Y[:, 3::2]``
    for kernel 4, stride 2).

    >>> crop_for_conv(np.arange(10)[None, :], kernel_size=4, strides=2).tolist()
    [[3, 5, 7, 9]]
    """
    return targets[:, kernel_size - 1 :: strides]


def windows_ending_at(values: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """The input windows ``values[t - window : t]`` for each ``t`` in ``ends``.

    ``values`` is ``(time, features)``; the result ``(len(ends), window, features)``.
    Used to forecast from chosen origins (backtests) without cutting every window.

    >>> windows_ending_at(np.arange(6.0)[:, None], np.array([3, 5]), 2)[:, :, 0].tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    ends = np.asarray(ends)
    if ends.size and (ends.min() < window or ends.max() > len(values)):
        raise ValueError(f"origins must lie in [{window}, {len(values)}], got {ends.min()}..")
    return WindowedSeries(values, np.arange(window), len(values) - window + 1)[ends - window]


class WindowedSeries:
    """Samples cut lazily from one long series: sample ``i`` is ``values[i + offsets]``.

    What ``sliding_windows`` (and ``seq2seq_targets`` on its spans) return, without ever
    holding one copy per sample: the trainer keeps only ``values`` on the
    device and gathers each batch's windows there, so a 1,000,000-point
    series costs its own size, not ``window`` times it. ``values`` is
    ``(time, features)`` for inputs or ``(time,)`` for targets; ``offsets`` an
    integer array of the sample's shape. Indexing with an integer array
    works on NumPy and JAX arrays alike; ``np.asarray`` materialises it.

    >>> x, y = lazy_windows(np.arange(6.0)[:, None], window=3, horizon=2)
    >>> x.shape, y.shape
    ((2, 3, 1), (2, 2))
    >>> y[np.array([1])].tolist(), np.asarray(x)[:, :, 0].tolist()
    ([[4.0, 5.0]], [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]])
    """

    def __init__(self, values, offsets: np.ndarray, count: int):
        _register_with_jax()
        self.values = values
        self.offsets = np.asarray(offsets, dtype=np.int32)
        self.count = int(count)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.count, *self.offsets.shape, *self.values.shape[1:])

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def dtype(self):
        return self.values.dtype

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        index = index if hasattr(index, "reshape") else np.asarray(index)
        spread = index.reshape(index.shape + (1,) * self.offsets.ndim)
        return self.values[spread + self.offsets]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        array = np.asarray(self[np.arange(self.count)])
        return array if dtype is None else array.astype(dtype)

    def with_values(self, values) -> WindowedSeries:
        """The same windows over other values of the same length (cast, moved to a device)."""
        return WindowedSeries(values, self.offsets, self.count)

    def __repr__(self) -> str:
        return f"WindowedSeries(shape={self.shape}, series of {len(self.values)} points)"


_registered = False
_registering = threading.Lock()


def _register_with_jax() -> None:
    """Let lazy windows travel through ``jax.jit``: their series a leaf, the offsets static.

    Done when the first ``WindowedSeries`` is made, not on import, so that the
    data modules load without JAX (``seqcast --help`` loads neither); no
    windows can reach a jitted function before one exists.
    """
    global _registered
    if _registered:
        return
    with _registering:
        if _registered:
            return
        import jax

        jax.tree_util.register_pytree_node(
            WindowedSeries,
            lambda w: ((w.values,), (w.offsets.shape, w.offsets.tobytes(), w.count)),
            lambda aux, leaves: WindowedSeries(
                leaves[0], np.frombuffer(aux[1], dtype=np.int32).reshape(aux[0]), aux[2]
            ),
        )
        _registered = True


def lazy_windows(
    values: np.ndarray,
    window: int,
    horizon: int = 1,
    *,
    sequence: bool = False,
    crop: tuple[int, int] | None = None,
) -> tuple[WindowedSeries, WindowedSeries]:
    """``sliding_windows``, lazily; with ``sequence``, seq-to-seq targets at every step.

    Inputs ``(n, window, features)``; targets ``(n, horizon)`` of the first
    feature, or ``(n, window, horizon)`` with ``sequence`` (cropped with
    ``crop = (kernel_size, strides)`` as ``crop_for_conv`` does).
    """
    values = np.asarray(values)
    if values.ndim == 1:
        values = values[:, None]
    n = _window_count(values.shape[0], window, horizon)
    inputs = WindowedSeries(values, np.arange(window), n)
    if sequence:
        # Y[i, t, k - 1] = target[i + t + k]
        offsets = 1 + np.arange(window)[:, None] + np.arange(horizon)[None, :]
        if crop is not None:
            offsets = offsets[crop[0] - 1 :: crop[1]]
    else:
        offsets = window + np.arange(horizon)
    return inputs, WindowedSeries(values[:, 0], offsets, n)
