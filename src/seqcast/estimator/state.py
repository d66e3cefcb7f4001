"""Everything a fitted forecaster learns, as one value: :class:`FittedState`.

``Forecaster.fit`` builds one, ``Forecaster.load`` rebuilds one from a bundle
(``seqcast.bundle`` writes and reads it whole), and every fitted attribute
(``model_``, ``residuals_``, ``n_train_``...) is read from it
(``seqcast.estimator.attributes``). One series is a panel of one here too:
its residuals and training lengths are by id, as a panel's are.

>>> state = FittedState(model=None, strategy="direct", transforms=None,
...                     columns=Columns("y"), residuals={"y": 1.0})
>>> state.single, state.residuals_for("other"), state.columns.as_dict()["target"]
(True, 1.0, 'y')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from seqcast.data.dates import DateStyle
from seqcast.data.options import ReadOptions
from seqcast.data.panel import Panel
from seqcast.data.panel_transform import PanelTransform


class Parameters(Protocol):
    """What the steps read of the estimator: its parameters (``Forecaster.__init__``'s)."""

    model: Any
    window: int
    horizon: int
    strategy: str
    loss: str
    optimizer: Any
    learning_rate: float | None
    momentum: float | None
    clipnorm: float | None
    scaler: str | None
    epochs: int
    patience: int | None
    batch_size: int
    dropout: float
    difference: int | None
    ensemble: int
    id_embedding: int
    seed: int
    devices: int | None
    verbose: int

    @property
    def model_name(self) -> str: ...


@dataclass(frozen=True)
class Columns:
    """The columns a model reads: the target, covariates up to the origin, known, static."""

    target: str
    covariates: tuple[str, ...] = ()
    known: tuple[str, ...] = ()  # known in advance: read up to the end of the horizon
    static: tuple[str, ...] = ()  # one value per series of a panel

    def as_dict(self) -> dict[str, Any]:
        """As ``Forecaster.columns_`` has always shown them (lists, under these keys)."""
        return {
            "target": self.target,
            "covariates": list(self.covariates),
            "known_covariates": list(self.known),
            "static": list(self.static),
        }


@dataclass(frozen=True)
class FittedState:
    """What a forecaster learnt from its data, and what it needs to read and forecast more.

    ``model`` is the trained network (an ensemble's first member; ``members``
    every member's weights, or None); ``transforms`` the
    :class:`~seqcast.data.panel_transform.PanelTransform` of every series
    (one entry for one series); ``layout`` how the fitted data was laid out
    (``"single"`` for one series); ``reading`` the reading options fit was
    given that new data is read with too (fill, duplicates, date format);
    ``data`` the data fitted on and ``n_trains`` each series' training rows
    (None and empty for a loaded model); ``residuals`` each series'
    validation errors ``(origins, horizon)`` by id, None without validation;
    ``search`` what a :class:`~seqcast.search.ModelSearch` recorded;
    ``date_style`` how the data of a loaded model wrote its dates (a fitted
    one's ``data`` says it: :attr:`dates_written`), and ``data_end`` the last
    label it was fitted on (:attr:`fitted_until`).
    """

    model: Any
    strategy: str
    transforms: PanelTransform
    columns: Columns
    layout: str = "single"
    id_column: str = "series"
    freq: str | None = None
    reading: ReadOptions = field(default_factory=ReadOptions)
    history: dict[str, list[float]] = field(default_factory=dict)
    members: list | None = None
    member_histories: list[dict[str, list[float]]] = field(default_factory=list)
    stopped_by_report: bool = False
    train_seconds: float | None = None
    compile_seconds: float | None = None
    data: Panel | None = None
    n_trains: dict[str, int] = field(default_factory=dict)
    residuals: dict[str, Any] | None = None
    search: dict[str, Any] | None = None
    date_style: DateStyle = field(default_factory=DateStyle)
    data_end: str | int | None = None

    @property
    def fitted_until(self) -> str | int | None:
        """The last label of the data fitted on (the latest of its series), as a saved model
        keeps it: ISO text for a date, an int for a step; None where it is not known (a
        model saved before it was kept). A backtest's default start lies after it."""
        if self.data is None:
            return self.data_end
        end = max(series.frame.index[-1] for series in self.data)
        return end.isoformat() if isinstance(end, pd.Timestamp) else int(end)

    @property
    def dates_written(self) -> DateStyle:
        """How the data fitted on wrote its dates: new data's dates that do not tell, and the
        dates a user gives about them, are read so."""
        return self.data.date_style if self.data is not None else self.date_style

    @property
    def single(self) -> bool:
        """Whether the model was fitted on one series (its results come back unwrapped).

        As ``seqcast.estimator.reading.is_one_series`` says of the panel it was fitted on.
        """
        return self.layout == "single"

    def residuals_for(self, sid: str) -> Any:
        """Series ``sid``'s validation errors; a lone series' whatever its data is named."""
        if self.residuals is None:
            return None
        if self.single:
            return next(iter(self.residuals.values()), None)
        return self.residuals.get(sid)
