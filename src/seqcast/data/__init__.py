"""Data: the book's and the course's generators, and windowing."""

from seqcast.data.synthetic import BookSplits, book_splits, generate_time_series
from seqcast.data.windows import crop_for_conv, seq2seq_targets, sliding_windows

__all__ = [
    "BookSplits",
    "book_splits",
    "crop_for_conv",
    "generate_time_series",
    "seq2seq_targets",
    "sliding_windows",
]
