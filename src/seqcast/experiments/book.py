"""The table of Hands-On ML ch. 15, one row per model, with its published figure, and its runner.

The source of the figures: Aurélien Géron, *Hands-On Machine Learning with
Scikit-Learn, Keras and TensorFlow*, 2nd ed., O'Reilly 2019, chapter 15
("Processing Sequences Using RNNs and CNNs"), and its companion notebook
``15_processing_sequences_using_rnns_and_cnns.ipynb`` (github.com/ageron/handson-ml2).
Each published figure is the validation figure printed there
(``model.evaluate(X_valid, y_valid)`` after the book's 20 epochs, or the metric
computed on the validation forecasts), on the book's synthetic series split
7000/2000/1000 (``seqcast.data.book_splits``); ``BOOK_ROWS`` holds them as data.

A row trains with the compiled trainer on the split its ``targets`` and
``horizon`` pick, and is measured on the validation part:

>>> result = ROWS_BY_NAME["naive"].run(verbose=0)
>>> round(result.value, 6), result.row.published
(0.020211, 0.020211)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from seqcast import baselines, metrics
from seqcast.data import book_splits
from seqcast.experiments.rows import (
    PREVIEW_SERIES,
    Row,
    RowResult,
    TrainedModel,
    TrainedModels,
)


@dataclass(frozen=True)
class BookRow(Row):
    """One experiment: what to train (or which baseline), on which targets, against which figure.

    ``model`` names a zoo entry, ``baseline`` a training-free forecast; exactly
    one of them is set. ``targets`` and ``horizon`` pick the data layout of
    ``seqcast.data.book_splits`` on which the row is evaluated. ``strategy``
    says how the forecast is made (see ``seqcast.strategies``): ``"direct"``
    (the model's output, or its last step for sequence targets) or
    ``"iterative"`` (a model trained on one-step targets, fed its own
    predictions ``horizon`` times).
    """

    source: ClassVar[str] = "book"
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

    @property
    def published_per_epoch(self) -> bool:
        # A direct row's figure is what ``evaluate`` gives, which the history logs per epoch;
        # an iterative row's comes from feeding the model its own predictions.
        return self.strategy == "direct"

    def training_key(self) -> tuple | None:
        """``iterative`` feeds ``deep_rnn_dense``'s one-step model its own predictions,
        so both rows have the key ``("deep_rnn_dense", "one_step", 1)``."""
        if self.model is None:
            return None
        if self.strategy == "iterative":
            return (self.model, "one_step", 1)
        return (self.model, self.targets, self.horizon)

    def run(
        self,
        *,
        epochs: int | None = None,
        seed: int = 42,
        verbose: int = 1,
        save_model_to: Path | None = None,
        callbacks: Sequence | None = None,
        trained: TrainedModels | None = None,
    ) -> RowResult:
        """Train (or compute) the row and measure it on the book's validation split."""
        data = _dataset(self.targets, self.horizon)
        score = metrics.REPORT_METRICS[self.metric]
        if self.baseline is not None:
            forecast = baselines.BASELINES[self.baseline](data.x_valid, self.horizon)
            return RowResult(
                self, score(data.y_valid, forecast), epochs=0, preview=forecast[:PREVIEW_SERIES]
            )

        from seqcast import strategies

        epochs = self.epochs if epochs is None else epochs
        model_name, targets, horizon = self.training_key()
        key = (model_name, targets, horizon, epochs, seed)
        shared = (trained if trained is not None else TrainedModels()).get(
            key,
            lambda: _train(model_name, targets, horizon, epochs, seed, verbose, callbacks),
        )
        if self.strategy == "iterative":
            # A one-step model, fed its own predictions over the 10-step validation set.
            forecast = strategies.iterative(shared.model, data.x_valid, self.horizon)
            y_valid = data.y_valid
        else:
            y_valid = _align_targets(self.model, data.y_valid)
            forecast = strategies.direct(shared.model, data.x_valid)
        if save_model_to is not None:
            from seqcast.files import atomic_path

            with atomic_path(save_model_to / f"{self.name}.keras") as tmp:
                shared.model.save(tmp)
        first_use = not shared.reported
        shared.reported = True
        last_step = (slice(None), -1) if self.targets == "sequence" else (slice(None),)
        interval = None
        if self.strategy == "direct" and strategies.has_dropout(shared.model):
            mc = strategies.mc_dropout(
                shared.model, data.x_valid[:PREVIEW_SERIES], samples=100, seed=seed
            )
            interval = (mc.quantiles[0.05][last_step], mc.quantiles[0.95][last_step])
        return RowResult(
            self,
            score(y_valid, forecast),
            epochs=len(shared.history.get("loss", [])),
            # Training shared with an earlier row of this run costs nothing more.
            train_seconds=shared.train_seconds if first_use else 0.0,
            compile_seconds=shared.compile_seconds if first_use else 0.0,
            params=int(shared.model.count_params()),
            history=shared.history,
            # the forecast made at the end of each window: for seq2seq, the last step's
            preview=forecast[:PREVIEW_SERIES][last_step],
            preview_interval=interval,
            reused=not first_use,
        )


def _dataset(targets: str, horizon: int):
    """The book's series for forecasting rows; the 8×8 digits for classification."""
    if targets == "digits":
        from seqcast.data.datasets import digits_rows

        return digits_rows()
    return book_splits(targets, horizon)


def _align_targets(model_name: str, targets: np.ndarray) -> np.ndarray:
    from seqcast.data import crop_for_conv
    from seqcast.models import get_entry

    front_end = get_entry(model_name).conv_front_end
    return targets if front_end is None else crop_for_conv(targets, *front_end)


def _train(
    name: str,
    targets: str,
    horizon: int,
    epochs: int,
    seed: int,
    verbose: int,
    callbacks: Sequence | None = None,
) -> TrainedModel:
    """Build zoo model ``name``, train it as the book does and time it."""
    import keras

    from seqcast import training
    from seqcast.models import get_entry

    entry = get_entry(name)
    data = _dataset(targets, horizon)
    keras.utils.set_random_seed(seed)
    n_steps = data.x_train.shape[1] if entry.fixed_length else None
    model = entry.build(n_steps=n_steps, horizon=horizon)
    # Seq-to-seq models also track the book's metric, the last step's MSE, per epoch.
    tracked = {"sequence": ["last_time_step_mse"], "digits": ["accuracy"]}.get(targets, [])
    model.compile(loss=entry.recipe.loss, optimizer=entry.recipe.make_optimizer())
    started = time.perf_counter()
    history = training.fit(
        model,
        data.x_train,
        _align_targets(name, data.y_train),
        epochs=epochs,
        validation_data=(data.x_valid, _align_targets(name, data.y_valid)),
        metrics=tracked,
        seed=seed,
        callbacks=callbacks,
        verbose=verbose,
        description=f"{name:>15}",
    )
    wall = time.perf_counter() - started
    return TrainedModel(
        model,
        {k: list(map(float, v)) for k, v in history.history.items()},
        train_seconds=wall - history.compile_seconds,
        compile_seconds=history.compile_seconds,
    )


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
