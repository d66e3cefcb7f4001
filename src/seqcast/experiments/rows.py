"""What the book's and the course's rows share: the row's declared fields, its result, the cache.

A row is one line of a published table: a model (or a training-free
baseline), the metric the table reports and the figure it printed. The two
tables differ in how a row is run (the book's rows train on the book's
windowed splits with the compiled trainer; the course's go through the
``Forecaster``), so each row type has its own :meth:`Row.run`, and the runner
calls that method whatever the table.

Rows that train the same model share it within a run (the book's
``iterative`` row feeds ``deep_rnn_dense``'s one-step model its own
predictions). The models trained so far live in a :class:`TrainedModels`
that the caller creates and passes in, one per run or per worker's group of
rows, so nothing trained outlives the run that trained it.

>>> models = TrainedModels()
>>> first = models.get("key", lambda: TrainedModel("model", {"loss": [1.0]}, 2.0, 1.0))
>>> models.get("key", lambda: None) is first, len(models)
(True, 1)
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

PREVIEW_SERIES = 3  # validation series kept for the forecast plot


class Row(abc.ABC):
    """The fields every row of either table declares, and what a row can do.

    Subclasses are frozen dataclasses that declare these fields (each table
    in its own positional order, so that the tables read as tables).
    ``model`` names a zoo entry, ``baseline`` a training-free forecast;
    exactly one of them is set.
    """

    source: ClassVar[str]  # whose published figures the rows carry: "book" or "course"
    name: str
    metric: str  # a key of ``seqcast.metrics.REPORT_METRICS``
    published: float | None  # the table's figure; None: a row of ours, not in the table
    horizon: int
    model: str | None
    baseline: str | None
    note: str

    @property
    @abc.abstractmethod
    def epochs(self) -> int:
        """The epochs the row trains for by default (0 for a baseline)."""

    @property
    def is_forecast(self) -> bool:
        """True for the book's forecasting rows, whose forecasts the report plots."""
        return False

    @property
    def published_per_epoch(self) -> bool:
        """True when the published figure is the metric the training logs per epoch.

        The report then draws it as a line on the row's learning curve.
        """
        return False

    def training_key(self) -> Hashable | None:
        """What the row trains, as a key: rows with the same key share one trained model.

        None for rows that share nothing (baselines, the course's rows).
        """
        return None

    @abc.abstractmethod
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
        """Train (or compute) the row and measure it as its table does.

        ``epochs`` overrides the row's; ``callbacks`` are Keras callbacks for
        the training; ``trained`` holds the models already trained in this run
        (a fresh cache when None, so nothing is shared).
        """


@dataclass
class RowResult:
    """What one row gave: the figure, the cost, the learning curve and a few forecasts."""

    row: Row
    value: float
    epochs: int
    train_seconds: float = 0.0
    compile_seconds: float = 0.0
    params: int = 0
    history: dict[str, list[float]] = field(default_factory=dict)
    # forecasts (batch, horizon) at the end of the first PREVIEW_SERIES validation windows
    preview: np.ndarray | None = None
    # for models with dropout: the 5 % and 95 % MC-dropout quantiles of ``preview``
    preview_interval: tuple[np.ndarray, np.ndarray] | None = None
    # the model was trained for an earlier row of this run (iterative reuses deep_rnn_dense)
    reused: bool = False

    @property
    def ratio(self) -> float:
        """Ours over the published figure: below 1 beats it (NaN for rows the table lacks)."""
        if self.row.published is None:
            return float("nan")
        return self.value / self.row.published


@dataclass
class TrainedModel:
    """A model trained for a row, with what its training cost and logged."""

    model: Any
    history: dict[str, list[float]]
    train_seconds: float
    compile_seconds: float
    # set by the first row that reports it; later rows show it as shared, at no cost
    reported: bool = False


class TrainedModels:
    """The models trained in one run, by key, so that rows sharing one train it once.

    The key names everything the training depends on (model, data, epochs,
    seed), so a shared model is the model either row would have trained.
    """

    def __init__(self) -> None:
        self._models: dict[Hashable, TrainedModel] = {}

    def get(self, key: Hashable, train: Callable[[], TrainedModel]) -> TrainedModel:
        """The model trained under ``key``; ``train()`` makes it the first time."""
        if key not in self._models:
            self._models[key] = train()
        return self._models[key]

    def __len__(self) -> int:
        return len(self._models)
