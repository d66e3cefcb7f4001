"""Data: the book's and the course's generators, and windowing."""

from seqcast.data.synthetic import BookSplits, book_splits, generate_time_series
from seqcast.data.windows import (
    WindowedSeries,
    crop_for_conv,
    lazy_windows,
    panel_windows,
    seq2seq_targets,
    sliding_windows,
)

__all__ = [
    "BookSplits",
    "WindowedSeries",
    "book_splits",
    "crop_for_conv",
    "generate_time_series",
    "lazy_windows",
    "panel_windows",
    "seq2seq_targets",
    "sliding_windows",
]
