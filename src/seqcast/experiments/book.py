"""The table of Hands-On ML ch. 15 (2nd ed.), one row per model, with its published figure.

The published figures are the validation figures printed in the book's
notebook (``model.evaluate(X_valid, y_valid)`` after 20 epochs, or the
metric computed on the validation forecasts); see ../shared/DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BookRow:
    """One experiment: what to train (or which baseline), on which targets, against which figure.

    ``model`` names a zoo entry, ``baseline`` a training-free forecast; exactly
    one of them is set. ``targets`` and ``horizon`` pick the data layout of
    ``seqcast.data.book_splits``.
    """

    name: str
    metric: str
    published: float
    targets: str = "one_step"
    horizon: int = 1
    model: str | None = None
    baseline: str | None = None
    epochs: int = 20
    note: str = ""


BOOK_ROWS: tuple[BookRow, ...] = (
    BookRow("naive", "mse", 0.020211, baseline="naive", epochs=0, note="last value"),
    BookRow("linear", "mse", 0.004168, model="linear"),
    BookRow("simple_rnn", "mse", 0.010882, model="simple_rnn"),
    BookRow("deep_rnn", "mse", 0.002911, model="deep_rnn"),
    BookRow("deep_rnn_dense", "mse", 0.002624, model="deep_rnn_dense"),
)

ROWS_BY_NAME = {row.name: row for row in BOOK_ROWS}
