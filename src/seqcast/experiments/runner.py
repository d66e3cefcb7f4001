"""Run experiment rows: build, train with the compiled trainer, measure on validation."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from seqcast import baselines, metrics
from seqcast.data import book_splits
from seqcast.errors import SeqcastError
from seqcast.experiments.book import BOOK_ROWS, ROWS_BY_NAME, BookRow

PREVIEW_SERIES = 3  # validation series kept for the forecast plot


@dataclass
class RowResult:
    """What one row gave: the figure, the cost, the learning curve and a few forecasts."""

    row: BookRow
    value: float
    epochs: int
    train_seconds: float = 0.0
    compile_seconds: float = 0.0
    params: int = 0
    history: dict[str, list[float]] = field(default_factory=dict)
    preview: np.ndarray | None = None  # forecasts for the first PREVIEW_SERIES validation series

    @property
    def ratio(self) -> float:
        """Ours over the book's: below 1 beats the book."""
        return self.value / self.row.published


def select_rows(names: Sequence[str] | None) -> list[BookRow]:
    """The rows called ``names`` (all rows when ``names`` is empty), in the book's order."""
    if not names:
        return list(BOOK_ROWS)
    unknown = [n for n in names if n not in ROWS_BY_NAME]
    if unknown:
        raise SeqcastError(
            f"unknown model {', '.join(map(repr, unknown))} in --models; choose from: "
            f"{', '.join(ROWS_BY_NAME)}"
        )
    return [row for row in BOOK_ROWS if row.name in set(names)]


def run_row(
    row: BookRow,
    *,
    epochs: int | None = None,
    seed: int = 42,
    verbose: int = 1,
    save_model_to: Path | None = None,
) -> RowResult:
    """Train (or compute) one row and measure it on the book's validation split."""
    data = book_splits(row.targets, row.horizon)
    score = metrics.REPORT_METRICS[row.metric]
    if row.baseline is not None:
        forecast = baselines.BASELINES[row.baseline](data.x_valid, row.horizon)
        return RowResult(
            row, score(data.y_valid, forecast), epochs=0, preview=forecast[:PREVIEW_SERIES]
        )

    import keras

    from seqcast import training
    from seqcast.files import atomic_path
    from seqcast.models import get_entry

    entry = get_entry(row.model)
    epochs = row.epochs if epochs is None else epochs
    keras.utils.set_random_seed(seed)
    model = entry.build(n_steps=data.x_train.shape[1], horizon=row.horizon)
    model.compile(loss=entry.recipe.loss, optimizer=entry.recipe.make_optimizer())
    started = time.perf_counter()
    history = training.fit(
        model,
        data.x_train,
        data.y_train,
        epochs=epochs,
        validation_data=(data.x_valid, data.y_valid),
        seed=seed,
        verbose=verbose,
        description=f"{row.name:>15}",
    )
    wall = time.perf_counter() - started
    forecast = training.predict(model, data.x_valid)
    if save_model_to is not None:
        with atomic_path(save_model_to / f"{row.name}.keras") as tmp:
            model.save(tmp)
    return RowResult(
        row,
        score(data.y_valid, forecast),
        epochs=len(history.epoch),
        train_seconds=wall - history.compile_seconds,
        compile_seconds=history.compile_seconds,
        params=int(model.count_params()),
        history={k: list(map(float, v)) for k, v in history.history.items()},
        preview=forecast[:PREVIEW_SERIES],
    )
