"""The table of Hands-On ML ch. 15 (2nd ed.), one row per model, with its published figure.

The published figures are the validation figures printed in the book's
notebook (``model.evaluate(X_valid, y_valid)`` after 20 epochs, or the
metric computed on the validation forecasts); see ../shared/DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class BookRow:
    """One experiment: what to train (or which baseline), on which targets, against which figure.

    ``model`` names a zoo entry, ``baseline`` a training-free forecast; exactly
    one of them is set. ``targets`` and ``horizon`` pick the data layout of
    ``seqcast.data.book_splits`` on which the row is evaluated. ``strategy``
    says how the forecast is made (see ``seqcast.strategies``): ``"direct"``
    (the model's output, or its last step for sequence targets) or
    ``"iterative"`` (a model trained on one-step targets, fed its own
    predictions ``horizon`` times).
    """

    source: ClassVar[str] = "book"  # whose published figures the rows carry
    name: str
    metric: str
    published: float | None  # None: not a row of the book (an extension of ours)
    targets: str = "one_step"
    horizon: int = 1
    model: str | None = None
    baseline: str | None = None
    epochs: int = 20
    strategy: str = "direct"
    note: str = ""

    @property
    def is_forecast(self) -> bool:
        return self.targets != "digits"


# One row per line, on purpose: this is a table.
# fmt: off
BOOK_ROWS: tuple[BookRow, ...] = (
    # Forecasting the next value: the validation MSE.
    BookRow("naive", "mse", 0.020211, baseline="naive", epochs=0, note="last value"),
    BookRow("linear", "mse", 0.004168, model="linear"),
    BookRow("simple_rnn", "mse", 0.010882, model="simple_rnn"),
    BookRow("deep_rnn", "mse", 0.002911, model="deep_rnn"),
    BookRow("deep_rnn_dense", "mse", 0.002624, model="deep_rnn_dense"),
    # Forecasting 10 steps ahead: the validation MSE over the 10 steps.
    BookRow("iterative", "mse", 0.027511, "vector", 10, model="deep_rnn_dense", strategy="iterative", note="deep_rnn_dense fed its own predictions"),  # noqa: E501
    BookRow("naive_10", "mse", 0.256974, "vector", 10, baseline="naive", epochs=0),
    BookRow("linear_10", "mse", 0.0187, "vector", 10, model="linear"),
    BookRow("seq2vec", "mse", 0.0085, "vector", 10, model="deep_rnn_dense"),
    # Seq-to-seq: a 10-step forecast at every step, scored on the last step's.
    BookRow("seq2seq", "last_time_step_mse", 0.0096, "sequence", 10, model="seq2seq"),
    BookRow("seq2seq_bn", "last_time_step_mse", 0.0164, "sequence", 10, model="seq2seq_bn"),
    BookRow("ln_rnn", "last_time_step_mse", 0.0121, "sequence", 10, model="ln_rnn"),
    BookRow("lstm", "last_time_step_mse", 0.00856, "sequence", 10, model="lstm"),
    BookRow("gru", "last_time_step_mse", 0.01026, "sequence", 10, model="gru"),
    BookRow("gru_dropout", "last_time_step_mse", None, "sequence", 10, model="gru_dropout", note="ours: gru with dropout 0.2, for MC-dropout intervals"),  # noqa: E501
    BookRow("conv_gru", "last_time_step_mse", 0.0080, "sequence", 10, model="conv_gru"),
    BookRow("wavenet", "last_time_step_mse", 0.0072, "sequence", 10, model="wavenet"),
    # The book's gated WaveNet ends in a softmax by mistake and trains 2 epochs:
    # once as printed, once done right (linear output, the usual 20 epochs).
    BookRow("wavenet_gated_book", "last_time_step_mse", 0.1189, "sequence", 10, model="wavenet_gated_softmax", epochs=2, note="as printed: softmax, 2 epochs"),  # noqa: E501
    BookRow("wavenet_gated", "last_time_step_mse", 0.1189, "sequence", 10, model="wavenet_gated", note="linear output; the book's figure is the softmax one's"),  # noqa: E501
    # Sequence classification, on scikit-learn's 8×8 digits (MNIST needs a download).
    BookRow("digits_rnn", "accuracy", None, "digits", 10, model="digits_rnn", note="ours: the book's MNIST model on 8×8 digits read row by row"),  # noqa: E501
)
# fmt: on

ROWS_BY_NAME = {row.name: row for row in BOOK_ROWS}
