"""The "Sequences, Time Series and Prediction" course's table, one row per method, and its runner.

The source of the figures: "Sequences, Time Series and Prediction", the fourth
course of DeepLearning.AI's TensorFlow Developer specialization on Coursera,
taught by Laurence Moroney, and its week notebooks (week 1: naive and
moving-average forecasts; week 2: a dense network on windows; week 3: RNNs
and LSTMs; week 4: a Conv1D + LSTM model). ``COURSE_ROWS`` holds the
validation MAE each notebook prints (and, for the statistical forecasts, the
MSE) as data.

The series is the course's (``seqcast.data.synthetic.course_series``): train
on ``series[:1000]``, score one-step forecasts of ``series[1000:]`` (461
points) by MAE, as the course's notebooks do.

The course's own models run with the course's recipe (raw values, SGD with
momentum, fixed epochs, no early stopping). The rows marked *ours* are
seqcast's practitioner defaults (standard scaling, Adam), chosen without
looking at the scored points (``scripts/course_model_search.py``).

>>> result = ROWS_BY_NAME["naive"].run(verbose=0)
>>> round(result.value, 4), result.preview.shape
(5.9379, (461,))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from seqcast import baselines, metrics
from seqcast.experiments.rows import Row, RowResult, TrainedModels

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CourseRow(Row):
    """One method of the course's table: a baseline, or a zoo model with its training settings.

    ``settings`` are ``Forecaster`` arguments; ``valid`` is what ``fit`` holds
    back for early stopping (None: fixed epochs). ``last_year_lead`` adds a
    second input channel, the series ``365 - lead`` steps earlier, so that
    the window ending at ``t`` also shows last year's values from ``t - 365 -
    window + lead`` to ``t - 365 + lead`` (the same dates a year ago, and the
    ``lead`` days after them).
    """

    source: ClassVar[str] = "course"
    name: str
    published: float | None  # validation MAE; None: not in the course
    published_mse: float | None = None
    baseline: str | None = None
    model: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    valid: float | None = None
    last_year_lead: int | None = None
    note: str = ""
    metric: str = "mae"
    horizon: int = 1

    @property
    def epochs(self) -> int:
        return int(self.settings.get("epochs", 0))

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
        """One method on the course's series: fit on ``series[:1000]``, MAE on the 461 after.

        ``preview`` holds the 461 one-step forecasts, for the report's plot.
        The ``Forecaster`` trains the model (nothing is shared between rows),
        so ``save_model_to``, ``callbacks`` and ``trained`` are not used.
        """
        from seqcast.data.synthetic import COURSE_SPLIT, course_series

        series = course_series()
        origins = np.arange(COURSE_SPLIT, len(series))
        actual = series[COURSE_SPLIT:]
        if self.baseline is not None:
            forecast = _baseline(self.baseline, series, origins)[:, 0]
            return RowResult(self, metrics.mae(actual, forecast), epochs=0, preview=forecast)

        from seqcast.forecaster import Forecaster

        settings = dict(self.settings)
        if epochs is not None:
            settings["epochs"] = epochs
        frame, covariates = course_frame(self.last_year_lead)
        forecaster = Forecaster(self.model, horizon=1, seed=seed, verbose=verbose, **settings)
        forecaster.fit(frame.loc[: COURSE_SPLIT - 1], covariates=covariates, valid=self.valid)
        scored = forecaster.backtest(frame, start=COURSE_SPLIT, compare=False)
        forecast = scored.forecasts[scored.model_name][:, 0]
        return RowResult(
            self,
            metrics.mae(actual, forecast),
            epochs=len(forecaster.history_["loss"]),
            train_seconds=forecaster.train_seconds_,
            compile_seconds=forecaster.compile_seconds_,
            params=int(forecaster.model_.count_params()),
            history=forecaster.history_,
            preview=forecast,
        )


def _baseline(name: str, series: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """The week-1 forecasts, one step ahead from each origin."""
    from seqcast.data.synthetic import COURSE_SEASON

    if name == "naive":
        return baselines.naive_forecast(series, origins, 1)
    if name == "moving_average_30":
        return baselines.moving_average_forecast(series, origins, 1, window=30)
    smooth = 10 if name == "diff_ma_smoothed" else None
    return baselines.differenced_moving_average_forecast(
        series, origins, 1, season=COURSE_SEASON, window=50, smooth_past=smooth
    )


def _course(lr: float, epochs: int, loss: str = "mse", **settings: Any) -> dict[str, Any]:
    """The course's recipe: raw values, SGD(lr, momentum 0.9), fixed epochs."""
    return dict(
        scaler=None, optimizer="sgd", learning_rate=lr, momentum=0.9, loss=loss,
        epochs=epochs, patience=None, **settings,
    )  # fmt: skip


def _ours(epochs: int, **settings: Any) -> dict[str, Any]:
    """seqcast's defaults (standard scaling, Adam 1e-3) for a fixed number of epochs."""
    return dict(epochs=epochs, patience=None, **settings)


def course_frame(last_year_lead: int | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The course's series as a frame indexed by time step, and its covariates.

    With ``last_year_lead``, a ``last_year`` column holds the series
    ``season - lead`` steps earlier (see ``CourseRow``); its first rows, which
    have no last year, are dropped, so the index starts there.
    """
    import pandas as pd

    from seqcast.data.synthetic import COURSE_SEASON, course_series

    frame = pd.DataFrame({"value": course_series()})
    if last_year_lead is None:
        return frame, []
    frame["last_year"] = frame["value"].shift(COURSE_SEASON - last_year_lead)
    return frame.dropna(), ["last_year"]


# One row per line, on purpose: this is a table.
# fmt: off
COURSE_ROWS: tuple[CourseRow, ...] = (
    # Week 1: statistical forecasts (must match the course to 4 digits).
    CourseRow("naive", 5.9379086, 61.827534, baseline="naive", note="last value"),
    CourseRow("moving_average_30", 7.142419, 106.674576, baseline="moving_average_30"),
    CourseRow("diff_ma_past", 5.8393106, 52.97366, baseline="diff_ma_past", note="differencing (365) + MA 50 + past value"),  # noqa: E501
    CourseRow("diff_ma_smoothed", 4.569442, 33.452267, baseline="diff_ma_smoothed", note="differencing + MA 50 + smoothed past (10)"),  # noqa: E501
    # Weeks 2-4: the course's neural models, with the course's recipes (window 20).
    CourseRow("dense", 5.11, model="dense", settings=_course(1e-6, 100, window=20), note="Dense(1) on the window"),  # noqa: E501
    CourseRow("dnn", 4.93, model="dnn", settings=_course(8e-6, 500, window=20), note="Dense(10, relu) ×2, Dense(1)"),  # noqa: E501
    CourseRow("bidirectional_lstm", 8.51, model="bidirectional_lstm", settings=_course(1e-5, 100, "huber", window=20), note="Bidirectional LSTM(32) ×2, Dense, ×100"),  # noqa: E501
    CourseRow("conv_lstm", 5.01, model="conv_lstm", settings=_course(1e-5, 500, "huber", window=20, batch_size=16), note="Conv1D(32, 5) + LSTM(32) ×2, seq2seq targets, ×200"),  # noqa: E501
    # Ours: seqcast's defaults, each chosen by scripts/course_model_search.py on
    # series[800:1000] (trained on [:800]) before being scored here.
    CourseRow("dnn_adam", None, model="dnn", settings=_ours(300, window=20), note="ours: the course's DNN, scaled, Adam"),  # noqa: E501
    CourseRow("gru_adam", None, model="gru", settings=_ours(100, window=30), note="ours: GRU(20) ×2 seq2seq, scaled, Adam"),  # noqa: E501
    CourseRow("gru_last_year", None, model="gru", settings=_ours(100, window=20, loss="huber"), last_year_lead=10, note="ours: gru_adam plus last year's values as a second channel"),  # noqa: E501
)
# fmt: on

ROWS_BY_NAME = {row.name: row for row in COURSE_ROWS}
