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
from seqcast.experiments import course
from seqcast.experiments.book import BOOK_ROWS, ROWS_BY_NAME, BookRow

PREVIEW_SERIES = 3  # validation series kept for the forecast plot


@dataclass
class RowResult:
    """What one row gave: the figure, the cost, the learning curve and a few forecasts."""

    row: BookRow | course.CourseRow
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
        """Ours over the book's: below 1 beats the book (NaN for rows the book lacks)."""
        if self.row.published is None:
            return float("nan")
        return self.value / self.row.published


SUITES = {
    "book": (BOOK_ROWS, ROWS_BY_NAME),
    "course": (course.COURSE_ROWS, course.ROWS_BY_NAME),
}


def select_rows(names: Sequence[str] | None, suite: str = "book") -> list:
    """The rows called ``names`` (all rows when ``names`` is empty), in the table's order."""
    if suite not in SUITES:
        raise SeqcastError(f"unknown suite {suite!r}; choose one of: {', '.join(SUITES)}")
    rows, by_name = SUITES[suite]
    if not names:
        return list(rows)
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SeqcastError(
            f"unknown model {', '.join(map(repr, unknown))} in --models; choose from: "
            f"{', '.join(by_name)}"
        )
    return [row for row in rows if row.name in set(names)]


def run(row, **kwargs) -> RowResult:
    """Run a row of either table."""
    if isinstance(row, course.CourseRow):
        kwargs.pop("save_model_to", None)
        kwargs.pop("callbacks", None)
        return run_course_row(row, **kwargs)
    return run_row(row, **kwargs)


def training_of(row) -> tuple | None:
    """What a row trains, as a key: rows with the same key share one trained model.

    ``iterative`` feeds ``deep_rnn_dense``'s one-step model its own predictions,
    so both rows have the key ``("deep_rnn_dense", "one_step", 1)``. Baselines
    and the course's rows train nothing shared (``None``).
    """
    if not isinstance(row, BookRow) or row.model is None:
        return None
    if row.strategy == "iterative":
        return (row.model, "one_step", 1)
    return (row.model, row.targets, row.horizon)


def run_row(
    row: BookRow,
    *,
    epochs: int | None = None,
    seed: int = 42,
    verbose: int = 1,
    save_model_to: Path | None = None,
    callbacks: Sequence | None = None,
) -> RowResult:
    """Train (or compute) one row and measure it on the book's validation split.

    ``callbacks`` are Keras callbacks for the training (per-epoch hooks).
    """
    data = _dataset(row.targets, row.horizon)
    score = metrics.REPORT_METRICS[row.metric]
    if row.baseline is not None:
        forecast = baselines.BASELINES[row.baseline](data.x_valid, row.horizon)
        return RowResult(
            row, score(data.y_valid, forecast), epochs=0, preview=forecast[:PREVIEW_SERIES]
        )

    from seqcast import strategies

    epochs = row.epochs if epochs is None else epochs
    trained = _trained_model(*training_of(row), epochs, seed, verbose, callbacks)
    if row.strategy == "iterative":
        # A one-step model, fed its own predictions over the 10-step validation set.
        forecast = strategies.iterative(trained.model, data.x_valid, row.horizon)
        y_valid = data.y_valid
    else:
        y_valid = _align_targets(row.model, data.y_valid)
        forecast = strategies.direct(trained.model, data.x_valid)
    if save_model_to is not None:
        from seqcast.files import atomic_path

        with atomic_path(save_model_to / f"{row.name}.keras") as tmp:
            trained.model.save(tmp)
    first_use = not trained.reported
    trained.reported = True
    last_step = (slice(None), -1) if row.targets == "sequence" else (slice(None),)
    interval = None
    if row.strategy == "direct" and strategies.has_dropout(trained.model):
        mc = strategies.mc_dropout(
            trained.model, data.x_valid[:PREVIEW_SERIES], samples=100, seed=seed
        )
        interval = (mc.quantiles[0.05][last_step], mc.quantiles[0.95][last_step])
    return RowResult(
        row,
        score(y_valid, forecast),
        epochs=len(trained.history.get("loss", [])),
        # Training shared with an earlier row of this run costs nothing more.
        train_seconds=trained.train_seconds if first_use else 0.0,
        compile_seconds=trained.compile_seconds if first_use else 0.0,
        params=int(trained.model.count_params()),
        history=trained.history,
        # the forecast made at the end of each window: for seq2seq, the last step's
        preview=forecast[:PREVIEW_SERIES][last_step],
        preview_interval=interval,
        reused=not first_use,
    )


@dataclass
class _TrainedModel:
    model: object
    history: dict[str, list[float]]
    train_seconds: float
    compile_seconds: float
    reported: bool = False


# Models trained in this process, so rows sharing one (``iterative`` uses the
# ``deep_rnn_dense`` model) train it once: same seed, same model either way.
_TRAINED: dict[tuple, _TrainedModel] = {}


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


def _trained_model(
    name: str,
    targets: str,
    horizon: int,
    epochs: int,
    seed: int,
    verbose: int,
    callbacks: Sequence | None = None,
) -> _TrainedModel:
    key = (name, targets, horizon, epochs, seed)
    if key in _TRAINED:
        return _TRAINED[key]
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
    trained = _TrainedModel(
        model,
        {k: list(map(float, v)) for k, v in history.history.items()},
        train_seconds=wall - history.compile_seconds,
        compile_seconds=history.compile_seconds,
    )
    _TRAINED[key] = trained
    return trained


# --------------------------------------------------------------------------- the course's table


def _course_baseline(name: str, series: np.ndarray, origins: np.ndarray) -> np.ndarray:
    from seqcast.data.synthetic import COURSE_SEASON

    if name == "naive":
        return baselines.naive_forecast(series, origins, 1)
    if name == "moving_average_30":
        return baselines.moving_average_forecast(series, origins, 1, window=30)
    smooth = 10 if name == "diff_ma_smoothed" else None
    return baselines.differenced_moving_average_forecast(
        series, origins, 1, season=COURSE_SEASON, window=50, smooth_past=smooth
    )


def run_course_row(
    row: course.CourseRow, *, epochs: int | None = None, seed: int = 42, verbose: int = 1
) -> RowResult:
    """One method on the course's series: fit on ``series[:1000]``, MAE on the 461 after.

    ``preview`` holds the 461 one-step forecasts, for the report's plot.
    """

    from seqcast.data.synthetic import COURSE_SPLIT, course_series

    series = course_series()
    origins = np.arange(COURSE_SPLIT, len(series))
    actual = series[COURSE_SPLIT:]
    if row.baseline is not None:
        forecast = _course_baseline(row.baseline, series, origins)[:, 0]
        return RowResult(row, metrics.mae(actual, forecast), epochs=0, preview=forecast)

    from seqcast.forecaster import Forecaster

    settings = dict(row.settings)
    if epochs is not None:
        settings["epochs"] = epochs
    frame, covariates = course.course_frame(row.last_year_lead)
    forecaster = Forecaster(row.model, horizon=1, seed=seed, verbose=verbose, **settings)
    forecaster.fit(frame.loc[: COURSE_SPLIT - 1], covariates=covariates, valid=row.valid)
    scored = forecaster.backtest(frame, start=COURSE_SPLIT, compare=False)
    forecast = scored.forecasts[scored.model_name][:, 0]
    return RowResult(
        row,
        metrics.mae(actual, forecast),
        epochs=len(forecaster.history_["loss"]),
        train_seconds=forecaster.train_seconds_,
        compile_seconds=forecaster.compile_seconds_,
        params=int(forecaster.model_.count_params()),
        history=forecaster.history_,
        preview=forecast,
    )
