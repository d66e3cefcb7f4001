"""Windowing: the one place that turns series into (inputs, targets) pairs.

Everything here returns views where it can (``sliding_window_view``), so a long
series does not get one copy per window.
"""

from __future__ import annotations

import threading

import numpy as np

#: Where JAX's CPU client can use a NumPy array's memory in place: data starting on
#: this many bytes. It copies any other array, holding two copies while it does.
DEVICE_ALIGNMENT = 64


def aligned_empty(shape: tuple[int, ...], dtype) -> np.ndarray:
    """An uninitialised array whose data starts on a ``DEVICE_ALIGNMENT``-byte boundary.

    Large NumPy arrays start 16 bytes into their pages, so moving one to the
    CPU device copies it; one made here is used as it is.

    >>> aligned_empty((3, 2), np.float32).ctypes.data % DEVICE_ALIGNMENT
    0
    """
    dtype = np.dtype(dtype)
    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(size + DEVICE_ALIGNMENT, dtype=np.uint8)
    start = -raw.ctypes.data % DEVICE_ALIGNMENT
    return raw[start : start + size].view(dtype).reshape(shape)


def aligned(array: np.ndarray) -> np.ndarray:
    """``array`` itself if the CPU device can use it in place, else an aligned copy of it.

    >>> aligned(np.arange(5.0)).ctypes.data % DEVICE_ALIGNMENT
    0
    """
    array = np.asarray(array)
    if array.flags.c_contiguous and array.ctypes.data % DEVICE_ALIGNMENT == 0:
        return array
    copy = aligned_empty(array.shape, array.dtype)
    copy[...] = array
    return copy


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

    Many series (:func:`panel_windows`) lie end to end in ``values``;
    ``segments = (firsts, shifts)``, two int32 arrays with one entry per
    series, say where each one's samples are: sample ``i`` of series ``s``
    (``firsts[s] <= i < firsts[s + 1]``) starts at ``i + shifts[s]``. The
    series of a sample is found by a binary search over ``firsts``, on the
    device, so nothing is kept per sample, only per series.

    >>> x, y = lazy_windows(np.arange(6.0)[:, None], window=3, horizon=2)
    >>> x.shape, y.shape
    ((2, 3, 1), (2, 2))
    >>> y[np.array([1])].tolist(), np.asarray(x)[:, :, 0].tolist()
    ([[4.0, 5.0]], [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]])
    """

    def __init__(self, values, offsets: np.ndarray, count: int, segments=None, column=None):
        _register_with_jax()
        self.values = values
        self.offsets = np.asarray(offsets, dtype=np.int32)
        self.count = int(count)
        self.segments = segments
        self.column = column  # targets: one column of the inputs' values, not a copy of it

    @property
    def shape(self) -> tuple[int, ...]:
        features = self.values.shape[1:] if self.column is None else ()
        return (self.count, *self.offsets.shape, *features)

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
        starts = index if self.segments is None else self._starts(index)
        spread = starts.reshape(starts.shape + (1,) * self.offsets.ndim)
        if self.column is not None:
            return self.values[spread + self.offsets, self.column]
        return self.values[spread + self.offsets]

    def _starts(self, index):
        """Where samples ``index`` start in ``values``: ``index`` plus their series' shift."""
        firsts, shifts = self.segments
        if isinstance(index, np.ndarray):
            xp = np
        else:  # a JAX array or tracer: search on the device
            import jax.numpy as xp
        series = xp.searchsorted(xp.asarray(firsts), index, side="right") - 1
        return index + xp.asarray(shifts)[series]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        array = np.asarray(self[np.arange(self.count)])
        return array if dtype is None else array.astype(dtype)

    def with_values(self, values) -> WindowedSeries:
        """The same windows over other values of the same length (cast, moved to a device)."""
        return WindowedSeries(values, self.offsets, self.count, self.segments, self.column)

    def __repr__(self) -> str:
        series = "" if self.segments is None else f"{len(self.segments[0])} series, "
        return f"WindowedSeries(shape={self.shape}, {series}{len(self.values)} points)"


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
            _flatten,
            lambda aux, leaves: WindowedSeries(
                leaves[0],
                np.frombuffer(aux[1], dtype=np.int32).reshape(aux[0]),
                aux[2],
                None if len(leaves) == 1 else (leaves[1], leaves[2]),
                aux[3],
            ),
        )
        _registered = True


def _flatten(windows: WindowedSeries):
    """The series (and the per-series segments) are leaves; the offsets and count static."""
    leaves = (windows.values,) if windows.segments is None else (windows.values, *windows.segments)
    return leaves, (
        windows.offsets.shape,
        windows.offsets.tobytes(),
        windows.count,
        windows.column,
    )


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
    # The targets are column 0 of the same values: on the device one array serves both.
    return inputs, WindowedSeries(values, offsets, n, column=0)


def panel_windows(
    parts: list[np.ndarray],
    window: int,
    horizon: int = 1,
    *,
    sequence: bool = False,
    crop: tuple[int, int] | None = None,
) -> tuple[WindowedSeries, WindowedSeries]:
    """:func:`lazy_windows` over many series: every window of every part, none across two.

    The parts (``(time_s, features)`` each, or 1-D) are laid end to end in
    one flat array, the only copy made; a sample is a (series, end) pair
    found from the per-series offsets when a batch is gathered
    (:class:`WindowedSeries` ``segments``). Samples are numbered series by
    series, so a uniform shuffle draws every window equally often. A part
    too short for one window gives none; one part is :func:`lazy_windows`
    itself.

    >>> x, y = panel_windows([np.arange(5.0), 100 + np.arange(4.0)], window=2, horizon=1)
    >>> x.shape, y[np.arange(5)].ravel().tolist()
    ((5, 2, 1), [2.0, 3.0, 4.0, 102.0, 103.0])
    >>> np.asarray(x)[3, :, 0].tolist()
    [100.0, 101.0]
    """
    parts = [np.asarray(part) for part in parts]
    parts = [part[:, None] if part.ndim == 1 else part for part in parts]
    if len(parts) == 1:
        return lazy_windows(parts[0], window, horizon, sequence=sequence, crop=crop)
    lengths = np.array([len(part) for part in parts], dtype=np.int64)
    counts = np.maximum(lengths - window - horizon + 1, 0)
    if counts.sum() < 1:
        raise ValueError(
            f"no series has window + horizon = {window + horizon} points; "
            "use a shorter window or horizon, or more data"
        )
    if lengths.sum() >= np.iinfo(np.int32).max:
        raise ValueError("the series hold more than 2**31 points together; split the panel")
    values = np.concatenate(
        parts, out=aligned_empty((int(lengths.sum()), *parts[0].shape[1:]), np.result_type(*parts))
    )
    positions = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    segments = (firsts.astype(np.int32), (positions - firsts).astype(np.int32))
    count = int(counts.sum())
    inputs, targets = lazy_windows(values, window, horizon, sequence=sequence, crop=crop)
    return (
        WindowedSeries(values, inputs.offsets, count, segments),
        WindowedSeries(values, targets.offsets, count, segments, column=0),
    )
