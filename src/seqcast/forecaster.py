"""Forecast your own series: the chapter's models behind one scikit-learn style estimator.

``Forecaster`` composes the pieces and holds no modelling code of its own:
the data are read and checked (``seqcast.data.read``, ``seqcast.data.series``),
mapped to model inputs by a :class:`~seqcast.data.transform.SeriesTransform`
fitted on the training part, cut into windows (``seqcast.data.windows``) for a zoo model
(``seqcast.models``) that the compiled trainer fits (``seqcast.training``);
forecasts come from a strategy (``seqcast.strategies``), intervals from
``seqcast.intervals``, backtests are scored in ``seqcast.backtest`` and a
fitted model is saved as a bundle (``seqcast.bundle``).

The module is longer than most (about 700 lines, 180 of them docstrings):
the estimator's user-facing documentation of its 17 parameters and of
fit / predict / backtest / lr_find lives here, each of those four methods
takes the reading options (date_format, sep, decimal, freq, fill,
duplicates) as keywords, as pandas users expect, and each step is a keyword
call into the modules above, one argument a line.

>>> import seqcast
>>> from seqcast import Forecaster
>>> from seqcast.data.datasets import load_dataset
>>> sunspots = load_dataset("sunspots")
>>> model = Forecaster("gru", window=22, horizon=5, epochs=3, verbose=0)
>>> model = model.fit(sunspots.frame, target="sunspots", valid="1950")
>>> model.predict().shape
(5, 1)
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seqcast import backend_check
from seqcast.checks import column_names, one_of, optional_positive_int, positive_int
from seqcast.choices import SCALERS, STRATEGIES
from seqcast.data.frequency import season_of
from seqcast.data.series import SeriesData, check_length
from seqcast.errors import SeqcastError, SeqcastWarning
from seqcast.spelling import argument

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import intervals as bands  # noqa: E402
from seqcast import metrics, network, training  # noqa: E402
from seqcast.backtest import (  # noqa: E402
    Backtest,
    actual_at,
    backtest_origins,
    score_backtest,
)
from seqcast.bundle import load_forecaster, save_forecaster  # noqa: E402
from seqcast.data.panel import Panel, read_panel  # noqa: E402
from seqcast.data.panel_transform import SERIES_INDEX, PanelTransform, with_statics  # noqa: E402
from seqcast.data.scaling import Scaler  # noqa: E402
from seqcast.data.transform import training_end  # noqa: E402
from seqcast.lr_sweep import LearningRateSweep, sweep_schedule  # noqa: E402
from seqcast.models import get_entry, make_optimizer  # noqa: E402
from seqcast.panel_backtest import PanelBacktest, score_panel  # noqa: E402
from seqcast.panel_forecasting import (  # noqa: E402
    Forecasts,
    Request,
    far_message,
    filled_target,
    forecast_requests,
    known_futures,
    long_format,
    named,
    of,
    one_series,
    refuse_partition_wide,
    resolved_scaler,
    statics_of,
    text_statics,
)


@dataclass(frozen=True)
class _Setup:
    """What fit and lr_find share: the fitted transforms, a compiled fresh model, its windows."""

    transform: PanelTransform
    scaled: list[np.ndarray]  # each series' scaled model values, whole
    n_trains: list[int]  # each series' training rows of ``scaled``
    model: keras.Model
    strategy: str
    x: Any
    y: Any
    build: Callable[[], keras.Model]  # another network like ``model`` (an ensemble's member)


# --------------------------------------------------------------------------- the estimator


class Forecaster:
    """A zoo model trained on windows of one series to forecast its next ``horizon`` values.

    Args:
        model: a zoo name (``seqcast models`` lists them) or a builder
            ``f(n_steps, horizon, features) -> keras.Model``.
        window: input steps per forecast.
        horizon: values forecast at once.
        strategy: ``"seq2seq"`` (a forecast at every step, for models that
            return sequences), ``"direct"`` (the model outputs the horizon),
            ``"iterative"`` (a one-step model fed its own forecasts, univariate
            only), or ``"auto"``: seq2seq for sequence models, else direct.
        loss: a Keras loss name, e.g. ``"mse"`` or ``"huber"``.
        optimizer: a Keras optimizer name or instance.
        learning_rate: the optimizer's rate (default: Keras's default for it).
        momentum: for SGD (the course uses 0.9).
        clipnorm: gradient clipping by norm, or None.
        scaler: ``"standard"``, ``"minmax"`` or None, fitted on the training part;
            or ``"window"``: standard, and the network reads each input window
            normalised by the window's own mean and standard deviation (per
            numeric column) and its forecasts are mapped back with the
            target's, as RevIN does, so it can forecast levels it never
            trained on (a rising CO2 curve) without ``difference``. For a
            seq2seq model the statistics are the whole window's at every
            step: the forecast (the last step) reads nothing after its
            origin, but the training targets of earlier steps are partly
            seen through them. ``"auto"`` (the default): ``"standard"`` for
            one series, ``"window"`` for many. One network over many series
            must not hinge on each one's level: series drift out of the range
            their training part had (employment rising for years), and a
            level the network never saw for that series is one it cannot
            forecast; normalising each window, as NeuralForecast's global
            models do, leaves it the shapes, which the series share.
        epochs: at most this many epochs.
        patience: stop after this many epochs without a better validation MAE
            and restore the best weights (only when ``fit`` gets ``valid``).
        batch_size: windows per gradient step.
        dropout: recurrent dropout of the recurrent layers, for MC-dropout
            intervals (zoo models whose builder takes it: lstm, gru).
        difference: model the change over this many steps instead of the level
            (1 for a trend, the season for a seasonal series), as the course's
            differencing does; forecasts are added back onto the values they
            change from. Networks cannot extrapolate a level they never saw in
            training (a rising CO2 curve); its changes they can.
        ensemble: train this many members together (one compiled program,
            each with its own initial weights and batch order, each stopping
            early on its own) and forecast their median: the median, not the
            mean, so that one member stuck in a poor minimum cannot drag a
            small ensemble's forecast. Their spread is the ``"ensemble"``
            interval method.
        id_embedding: for a panel, the size of a learned embedding of each
            series' id that the network reads at every step (0: none, the
            default, so that the model also forecasts series it was not
            fitted on, scaled by their own history).
        seed: seeds weights, dropout and shuffling: same seed, same model.
            Member ``m`` of an ensemble is built with ``seed + m``.
        devices: how many devices share each batch in training (data
            parallel, :mod:`seqcast.training.data_parallel`); None, the
            default: as many of this machine's as split the batch evenly.
            Across processes (``seqcast fit --num-processes``), that many each.
        verbose: 1 shows a progress bar.

    Example:

    >>> import pandas as pd, numpy as np
    >>> days = pd.date_range("2024-01-01", periods=200, freq="D")
    >>> sales = pd.Series(10 + np.sin(np.arange(200) / 3), index=days, name="sales")
    >>> model = Forecaster("gru", window=14, horizon=7, epochs=5, verbose=0).fit(sales, valid=0.2)
    >>> forecast = model.predict(intervals=0.9)   # intervals from the validation errors
    >>> list(forecast.columns), forecast.index[0].date()
    (['sales', 'lower', 'upper'], datetime.date(2024, 7, 19))
    """

    def __init__(
        self,
        model: str | Callable[..., keras.Model] = "lstm",
        *,
        window: int = 30,
        horizon: int = 1,
        strategy: str = "auto",
        loss: str = "mse",
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float | None = None,
        momentum: float | None = None,
        clipnorm: float | None = None,
        scaler: str | None = "auto",
        epochs: int = 100,
        patience: int | None = 10,
        batch_size: int = 32,
        dropout: float = 0.0,
        difference: int | None = None,
        ensemble: int = 1,
        id_embedding: int = 0,
        seed: int = 42,
        devices: int | None = None,
        verbose: int = 1,
    ):
        self.model = model
        self.window = window
        self.horizon = horizon
        self.strategy = strategy
        self.loss = loss
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.clipnorm = clipnorm
        self.scaler = scaler
        self.epochs = epochs
        self.patience = patience
        self.batch_size = batch_size
        self.dropout = dropout
        self.difference = difference
        self.ensemble = ensemble
        self.id_embedding = id_embedding
        self.devices = devices
        self.seed = seed
        self.verbose = verbose

    # -- scikit-learn conventions
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in inspect.signature(type(self)).parameters}

    def set_params(self, **params: Any) -> Forecaster:
        for name, value in params.items():
            if name not in self.get_params():
                raise SeqcastError(f"Forecaster has no parameter {name!r}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in inspect.signature(type(self)).parameters.items()}
        changed = [
            f"{k}={v!r}" for k, v in self.get_params().items() if k != "model" and v != defaults[k]
        ]
        return f"Forecaster({', '.join([repr(self.model_name), *changed])})"

    @property
    def model_name(self) -> str:
        return network.name_of(self.model)

    # -- fitting
    def fit(
        self,
        data: Any,
        target: str | None = None,
        covariates: Sequence[str] = (),
        valid: float | str | pd.Timestamp | int | None = None,
        date_column: str | None = None,
        known_covariates: Sequence[str] = (),
        *,
        id_column: str | None = None,
        targets: Sequence[str] | str | None = None,
        static: Sequence[str] = (),
        date_format: str | None = None,
        sep: str | None = None,
        decimal: str | None = None,
        freq: str | None = None,
        fill: str = "none",
        duplicates: str = "error",
        report: Callable[[int, float], bool] | None = None,
        partitioned: bool = False,
    ) -> Forecaster:
        """Train on ``data`` (a path to CSV/Parquet, a DataFrame or a Series); returns self.

        **Many series.** One network is trained on the windows of every
        series of a panel (a global model), each series scaled and
        differenced on its own training part (``seqcast.data.panel_transform``):
        a long table with one row per (series, date) and ``id_column`` naming
        the series (``"store"``), a wide one with a column per series
        (``targets=["A", "B"]``), a frame with a (series, date) MultiIndex,
        or a dict / list of Series (``seqcast.data.panel.read_panel``). The
        series may start and end on different dates. Every window of every
        series is drawn equally often (uniform over windows, not over
        series): a series with twice the history teaches the network twice
        as much, as a longer single series would, and short series are not
        repeated until they are overfitted. ``static`` names columns of a
        long table that are constant within each series (a region, a
        category): the network reads them at every step. ``predict`` and
        ``backtest`` then forecast every series; ``predict`` returns a long
        table (id, date, forecast).

        ``covariates`` are other columns the model reads over the window, up
        to the forecast origin. ``known_covariates`` are columns whose future
        values are known when forecasting (holidays, day types, planned
        prices): the model reads them up to the end of the horizon, and
        ``predict`` needs them for the forecast dates (``future=``).
        A covariate of text (a day type ``W``/``A``/``U``, a holiday name, a
        blank as a category of its own) is read as categories: one 0/1 input
        per category found in ``data`` (``seqcast.data.categories``), saved
        with the model; forecasting from a category it never saw is an error.

        ``valid`` holds back the end of the series to choose the epoch (early
        stopping on validation MAE): a fraction (``0.2``), or the first
        validation date (``"2019-01-01"``) or step. Without it every point
        trains and all ``epochs`` run. In a panel it applies to each series.

        ``date_column`` names the column of dates (default: found by name or
        value); ``date_format`` is how they are written, a strptime format
        such as ``"%d/%m/%Y"`` (default: read from the column; see
        :func:`seqcast.data.read.read_table`). ``predict``, ``backtest`` and
        ``lr_find`` take both too.

        Reading: ``sep`` / ``decimal`` say how a text file is written (found
        from its first lines otherwise); ``freq`` declares the frequency of the
        dates; ``fill`` fills missing dates (``"interpolate"``, ``"ffill"``,
        ``"zero"``; ``"none"`` refuses them); ``duplicates`` merges rows that
        repeat a date with different values (``"first"``, ``"last"``,
        ``"mean"``, ``"sum"``; ``"error"`` refuses them). ``fill``,
        ``duplicates`` and ``date_format`` are remembered (and saved) for
        ``predict`` / ``backtest`` on new data.

        Training runs its epochs on the device, returning to Python every few
        epochs (``seqcast.training.whole_fit``). ``report(epoch, val_mae)``,
        if given, is called then with the latest validation MAE (scaled; the
        median over an ensemble's members) and stops training by returning
        True, as a search's pruner does; ``stopped_by_report_`` says whether it did.

        **Many processes** (``jax.distributed``, ``seqcast fit --num-processes``):
        every process runs ``fit`` and each batch is split over all their
        devices. Either each gets the same ``data``, or, with ``partitioned``,
        each gets its own part of the series (``seqcast.data.partition``): the
        model is trained on all of them, as if one process had them all, but
        each process keeps only its own series (for forecasts, residuals and
        what it saves). Such a model reads no static columns, id embedding or
        text categories, which would need every series to be known at once.
        """
        self._check_params()
        covariates, known = column_names(covariates), column_names(known_covariates)
        static = column_names(static, "static covariate")
        panel = read_panel(
            data,
            target,
            [*covariates, *known],
            id_column=id_column,
            targets=targets,
            static=static,
            date_column=date_column,
            date_format=date_format,
            sep=sep,
            decimal=decimal,
            freq=freq,
            fill=fill,
            duplicates=duplicates,
        )
        if self.strategy == "iterative" and (panel.covariates or static or self.id_embedding):
            raise SeqcastError(
                "the iterative strategy feeds the model its own forecasts, which cannot "
                "include covariates; use strategy='direct' or 'seq2seq', or drop the covariates"
            )
        part = "the training part" if valid is not None else "the series"
        splits = [
            named(panel, sid, training_end, series.frame.index, valid)
            for sid, series in zip(panel.ids, panel)
        ]
        if partitioned:
            refuse_partition_wide(panel, self.id_embedding)
        setup = self._prepare(panel, splits, len(known), part)
        validation = self._validation_windows(panel, setup)
        fitted = training.fit_members(
            setup.model,
            setup.x,
            setup.y,
            members=self._more_members(setup),
            validation_data=validation,
            epochs=self.epochs,
            batch_size=self.batch_size,
            patience=self.patience or None,
            monitor="val_forecast_mae",
            metrics=["forecast_mae"],  # seqcast.metrics.PER_SAMPLE
            seed=self.seed,
            report=report,
            verbose=self.verbose,
            description=self.model_name,
            devices=self.devices,
            partitioned=partitioned,
        )
        self.model_, self.strategy_ = setup.model, setup.strategy
        self.transforms_, self.transform_ = setup.transform, setup.transform.first
        self.columns_ = {"target": panel.target, "covariates": list(covariates)}
        self.columns_["known_covariates"] = list(known)
        self.columns_["static"] = list(static)
        self.data_, self.layout_, self.id_column_ = panel, panel.layout, panel.id_column
        self.series_ = panel.series[0] if panel.layout == "single" else None
        self.freq_ = panel.freq
        self.fill_, self.duplicates_, self.date_format_ = fill, duplicates, date_format
        lag = setup.transform.lag  # positions in the data, not in its changes
        self.n_trains_ = {sid: n + lag for sid, n in zip(panel.ids, setup.n_trains)}
        self.n_train_ = self.n_trains_[panel.ids[0]] if self.series_ is not None else None
        self.history_ = fitted.histories[0]
        self.members_ = fitted.weights if self.ensemble > 1 else None
        self.member_histories_ = fitted.histories
        self.stopped_by_report_ = fitted.stopped_by_report
        self.train_seconds_ = fitted.train_seconds
        self.compile_seconds_ = fitted.compile_seconds
        self.search_ = None  # what chose these settings, when seqcast.search.ModelSearch did
        self.residuals_ = None
        if validation is not None:
            residuals = self._validation_residuals(panel)
            self.residuals_ = residuals.get(panel.ids[0]) if self.series_ is not None else residuals
        return self

    def _prepare(self, panel: Panel, splits: list[int], known: int, part: str) -> _Setup:
        """Fit each series' transform on its part before ``splits``; build, compile, window."""
        n_trains = [split - (self.difference or 0) for split in splits]
        for sid, n_train in zip(panel.ids, n_trains):
            check_length(n_train, self.window, self._trained_horizon, of(panel, sid, part))
        with_index = range(len(panel)) if self.id_embedding else [None] * len(panel)
        frames = [
            with_statics(series.frame, statics_of(panel, sid), known, index)
            for sid, series, index in zip(panel.ids, panel, with_index)
        ]
        transform = PanelTransform.fit(
            frames,
            panel.ids,
            n_trains,
            window=self.window,
            horizon=self.horizon,
            difference=self.difference,
            known=known,
            scaler=resolved_scaler(self.scaler, panel),
            categorical=[*panel.series[0].categorical, *text_statics(panel)],
            statics=tuple(panel.statics.columns),
            id_embedding=bool(self.id_embedding),
        )
        scaled = [fitted.scaled(frame) for fitted, frame in zip(transform.transforms, frames)]
        keras.utils.set_random_seed(self.seed)
        # the features the network reads: each text covariate counts once per category
        features, horizon = scaled[0].shape[1], self._trained_horizon
        window_scaling = transform.window_scaling(frames[0].columns)
        embedding = None
        if self.id_embedding:
            column = transform.categories.sources(frames[0].columns).index(SERIES_INDEX)
            embedding = (len(panel), int(self.id_embedding), column)

        def build_network() -> keras.Model:
            return network.build(
                self.model,
                window=self.window,
                horizon=horizon,
                features=features,
                dropout=self.dropout,
                window_scaling=window_scaling,
                known=transform.first.known,  # encoded: a text one is a column per category
                id_embedding=embedding,
            )

        model = build_network()
        strategy = network.resolve_strategy(model, self.strategy, self.model_name)
        optimizer = make_optimizer(
            self.optimizer,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            clipnorm=self.clipnorm,
        )
        model.compile(loss=self.loss, optimizer=optimizer)
        x, y = self._windows([values[:n] for values, n in zip(scaled, n_trains)], model)
        return _Setup(transform, scaled, n_trains, model, strategy, x, y, build_network)

    def _validation_windows(self, panel: Panel, setup: _Setup) -> tuple[Any, Any] | None:
        """The windows of every series' validation part (after its training part), or None."""
        parts = []
        for sid, scaled, n_train in zip(panel.ids, setup.scaled, setup.n_trains):
            if n_train >= len(scaled):
                continue
            valid_part = scaled[n_train - self.window :]
            if len(valid_part) < self.window + self._trained_horizon:
                raise SeqcastError(
                    f"{of(panel, sid, 'the validation part')} has {len(scaled) - n_train} "
                    f"points, fewer than the horizon {self._trained_horizon}; validate on more "
                    f"data or fit without {argument('valid')}"
                )
            parts.append(valid_part)
        return self._windows(parts, setup.model) if parts else None

    def _more_members(self, setup: _Setup) -> list[keras.Model]:
        """Networks 1 .. ensemble-1, built like ``setup.model`` with seeds ``seed + m``."""
        networks = []
        for member in range(1, self.ensemble):
            keras.utils.set_random_seed(self.seed + member)
            networks.append(setup.build())
        return networks

    def _validation_residuals(self, panel: Panel) -> dict[str, np.ndarray]:
        """Actual minus forecast ``(origins, horizon)`` over each validation part, in data units.

        The spread of the errors the model makes, for intervals that include
        the noise of the series (MC dropout sees only the model's doubt).
        """
        requests = []
        for sid, series in zip(panel.ids, panel):
            origins = self._validation_origins(sid, series)
            if len(origins):
                requests.append(Request(sid, series, origins))
        residuals = {}
        for request, result in zip(requests, self._forecast_at(panel, requests)):
            actual = actual_at(_target(request.series), request.origins, self.horizon)
            residuals[request.sid] = actual - result.point
        return residuals

    def validation_wape(self) -> float | None:
        """The validation errors over every series relative to their values: WAPE.

        Sum of absolute errors over sum of absolute actual values, every
        series and horizon step pooled: series in other units can be
        summed this way, unlike their MAEs. None without a validation part.
        """
        residuals = self.residuals_
        if residuals is None or self.data_ is None:
            return None
        if not isinstance(residuals, dict):
            residuals = {self.data_.ids[0]: residuals}
        actual, error = [], []
        for sid, series in zip(self.data_.ids, self.data_):
            if sid in residuals:
                origins = self._validation_origins(sid, series)
                actual.append(actual_at(_target(series), origins, self.horizon).ravel())
                error.append(residuals[sid].ravel())
        actual_all = np.concatenate(actual)
        return metrics.wape(actual_all, actual_all - np.concatenate(error)) / 100

    def _validation_origins(self, sid: str, series: SeriesData) -> np.ndarray:
        """The forecast origins of series ``sid``'s validation part (after its training part)."""
        return np.arange(self.n_trains_[sid], len(series) - self.horizon + 1)

    @property
    def _trained_horizon(self) -> int:
        return 1 if self.strategy == "iterative" else self.horizon

    def _check_params(self) -> None:
        one_of(self.strategy, STRATEGIES, "strategy")
        one_of(self.scaler, SCALERS, "scaler")
        optional_positive_int(self.difference, "difference")
        for name in ("window", "horizon", "epochs", "batch_size", "ensemble"):
            positive_int(getattr(self, name), name)
        positive_int(self.id_embedding, "id_embedding", minimum=0)
        if isinstance(self.model, str):
            get_entry(self.model)  # unknown names fail here, listing the zoo

    # -- forecasting
    def _windows(self, scaled: list[np.ndarray], model: keras.Model) -> tuple[Any, Any]:
        window, horizon = self.window, self._trained_horizon
        return network.training_windows(scaled, model, self.model, window=window, horizon=horizon)

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise SeqcastError("this Forecaster is not fitted yet; call fit(data) first")

    def read(
        self,
        data: Any = None,
        *,
        date_column: str | None = None,
        date_format: str | None = None,
        sep: str | None = None,
        decimal: str | None = None,
        freq: str | None = None,
        fill: str | None = None,
        duplicates: str | None = None,
    ) -> SeriesData | Panel:
        """``data`` read and checked as the fitted data was: what ``predict`` forecasts from.

        A model fitted on one series reads one series (a :class:`SeriesData`);
        one fitted on a panel reads a panel (a :class:`~seqcast.data.panel.Panel`,
        by the same id column, series columns and static columns).
        Each reading option left at None is as fitted: ``date_format``,
        ``fill`` and ``duplicates`` as given to ``fit``, the frequency fit
        found when filling, ``sep`` and ``decimal`` found from the file.
        ``data=None`` is the data fitted on; data that this returned comes
        back as it is, so that ``predict`` and ``backtest`` can take data
        read once for other uses too (a plot of it).
        """
        panel = self._read_panel(
            data,
            date_column=date_column,
            date_format=date_format,
            sep=sep,
            decimal=decimal,
            freq=freq,
            fill=fill,
            duplicates=duplicates,
        )
        return panel.series[0] if panel.layout == "single" else panel

    def _read_panel(self, data: Any = None, **reading: Any) -> Panel:
        """:meth:`read`, always as a panel (one series is a panel of one)."""
        self._check_fitted()
        if isinstance(data, Panel):
            return data
        if isinstance(data, SeriesData):
            return one_series(data)
        if data is None:
            if getattr(self, "data_", None) is None:
                raise SeqcastError("give the data to forecast from (a loaded model keeps none)")
            return self.data_
        fill = reading.pop("fill") or getattr(self, "fill_", "none")
        date_format = reading.pop("date_format") or getattr(self, "date_format_", None)
        duplicates = reading.pop("duplicates") or getattr(self, "duplicates_", "error")
        freq = reading.pop("freq") or (self.freq_ if fill != "none" else None)
        panel = read_panel(
            data,
            None if self.layout_ == "wide" else self.target_,  # wide: a column per series
            [*self.covariates_, *self.known_],
            id_column=self.id_column_ if self.layout_ in ("long", "multiindex") else None,
            targets=list(self.transforms_.ids) if self.layout_ == "wide" else None,
            static=self.static_,
            date_format=date_format,
            # data filled at fit is put on the fitted frequency, unless told otherwise
            freq=freq,
            fill=fill,
            duplicates=duplicates,
            categorical=tuple(self.transform_.categories.levels),
            **reading,
        )
        if self.freq_ and panel.freq and panel.freq != self.freq_:
            raise SeqcastError(
                f"the model was trained on data of frequency {self.freq_!r}, but this data has "
                f"frequency {panel.freq!r}; resample it (df.resample('{self.freq_}').mean()) "
                "or fit a model on it"
            )
        return panel

    @property
    def target_(self) -> str:
        return self.columns_["target"]

    @property
    def covariates_(self) -> tuple[str, ...]:
        """Covariates read up to the forecast origin."""
        return tuple(self.columns_["covariates"])

    @property
    def known_(self) -> tuple[str, ...]:
        """Covariates known in advance, read up to the end of the horizon."""
        return tuple(self.columns_["known_covariates"])

    @property
    def static_(self) -> tuple[str, ...]:
        """Static covariates: one value per series of a panel."""
        return tuple(self.columns_.get("static", ()))

    @property
    def scaler_(self) -> Scaler:
        """The scaling fitted on the training part (of the first series, for a panel)."""
        return self.transform_.scaler

    def _forecast_at(self, panel: Panel, requests: list[Request]) -> list[Forecasts]:
        """The forecasts at each request's origins (``panel_forecasting.forecast_requests``)."""
        return forecast_requests(
            panel,
            requests,
            transforms=self.transforms_,
            network_model=self.model_,
            strategy=self.strategy_,
            model=self.model,
            horizon=self.horizon,
            members=getattr(self, "members_", None),
        )

    def predict(
        self,
        data: Any = None,
        *,
        intervals: float | None = None,
        interval_method: str = "auto",
        samples: int = 100,
        date_column: str | None = None,
        date_format: str | None = None,
        future: Any = None,
        sep: str | None = None,
        decimal: str | None = None,
        freq: str | None = None,
        fill: str | None = None,
        duplicates: str | None = None,
    ) -> pd.DataFrame:
        """Forecast the ``horizon`` values after the end of ``data`` (default: the fitted data).

        Returns a DataFrame indexed by the future dates (or steps) with the
        point forecast in a column named after the target; with ``intervals``
        (e.g. 0.9) also ``lower``/``upper`` columns, by ``interval_method``:
        ``"mc_dropout"`` (``samples`` stochastic passes; the model needs
        dropout: ``Forecaster(dropout=0.2)``; it measures the model's doubt,
        not the noise of the series), ``"residuals"`` (the point forecast plus
        the quantiles of the errors made on the validation part, per horizon
        step: noise included; needs ``fit(valid=...)``) or ``"auto"`` (MC
        dropout for a model with dropout, else residuals). A model fitted with
        ``known_covariates`` needs their values on the forecast dates:
        ``future`` (a DataFrame or file with those columns and dates; for a
        panel, with the id column too).

        A model fitted on a panel forecasts every series of ``data`` and
        returns a long table: the id column, the date, the forecast (and
        ``lower`` / ``upper``), ``horizon`` rows per series, in the order of
        the series. A series the model was not fitted on is forecast too
        (scaled by its own history), unless the model reads an id embedding.

        ``data`` and the reading options are as in :meth:`read` (a file,
        a frame, or data ``read`` returned); ``date_format`` also reads ``future``.

        Data far outside the training range (a series now ten times larger)
        gets a :class:`~seqcast.errors.SeqcastWarning`: the forecasts would
        stay near the old level (``SeriesTransform.far_outside`` says what far is).

        A residual band is where the actual values fell around the forecasts
        on the validation part. For a biased model it may lie wholly above
        (or below) the point forecast at some steps: the model under- (or
        over-) forecast there, and the band says where the values will likely
        be. Centring it on the forecast would hide the bias and cover less
        than it promises, so it is left as it is and
        ``frame.attrs["interval"]["note"]`` says so in a sentence (None when
        the band holds the forecast at every step).
        """
        panel = self._read_panel(
            data,
            date_column=date_column,
            date_format=date_format,
            sep=sep,
            decimal=decimal,
            freq=freq,
            fill=fill,
            duplicates=duplicates,
        )
        needed = self.window + (self.difference or 0)
        futures = self._futures(panel, future, date_format)
        requests = []
        for sid, series in zip(panel.ids, panel):
            if len(series) < needed:
                lag = f" plus its differencing lag {self.difference}" if self.difference else ""
                raise SeqcastError(
                    f"{of(panel, sid, 'the data to forecast from')} has {len(series)} points, "
                    f"fewer than the model's window of {self.window}{lag}; give at least "
                    f"{needed} points"
                )
            requests.append(Request(sid, series, np.array([len(series)]), futures.get(sid)))
        self._warn_if_far(panel, requests)
        results = self._forecast_at(panel, requests)
        frames = []
        for request, result in zip(requests, results):
            dates = request.series.future_index(self.horizon)
            frame = pd.DataFrame({panel.target: result.point[0]}, index=dates)
            if intervals is not None:
                method, note = self._band(
                    frame, request, result, intervals, interval_method, samples
                )
                frame.attrs["interval"] = {"level": intervals, "method": method, "note": note}
            frames.append(frame)
        if panel.layout == "single":
            return frames[0]
        return long_format(panel, frames, intervals)

    def _band(
        self,
        frame: pd.DataFrame,
        request: Request,
        result: Forecasts,
        intervals: float,
        interval_method: str,
        samples: int,
    ) -> tuple[str, str | None]:
        """Add ``lower`` / ``upper`` to one series' forecast ``frame``; the method and a note."""
        residuals = getattr(self, "residuals_", None)
        if isinstance(residuals, dict):
            residuals = residuals.get(request.sid)
        method, lower, upper = bands.forecast_band(
            intervals,
            interval_method,
            point=result.point,
            scaled=result.scaled,
            x=result.x,
            model=self.model_,
            residuals=residuals,
            members=result.levels if getattr(self, "members_", None) else None,
            scaler=result.transform.scaler,
            strategy=self.strategy_,
            samples=samples,
            seed=self.seed,
            model_name=self.model_name,
        )
        frame["lower"], frame["upper"] = lower[0], upper[0]
        return method, bands.one_sided_note(result.point[0], lower[0], upper[0], intervals, method)

    def _futures(self, panel: Panel, future: Any, date_format: str | None) -> dict[str, Any]:
        """Each series' known covariates on its forecast dates, encoded (empty without any)."""
        return known_futures(
            panel,
            future,
            self.known_,
            self.horizon,
            self.transform_.categories,
            id_column=self.id_column_,
            date_format=date_format,
        )

    def _warn_if_far(self, panel: Panel, requests: list[Request]) -> None:
        """Warn when the inputs at the requested origins lie far outside the training range."""
        message = far_message(panel, requests, self.transforms_)
        if message:
            warnings.warn(message, SeqcastWarning, stacklevel=3)

    # -- evaluation
    def backtest(
        self,
        data: Any = None,
        *,
        start: Any = None,
        stride: int = 1,
        season: int | None = None,
        sarima: bool = True,
        compare: bool = True,
        date_column: str | None = None,
        date_format: str | None = None,
        sep: str | None = None,
        decimal: str | None = None,
        freq: str | None = None,
        fill: str | None = None,
        duplicates: str | None = None,
        n_jobs: int | None = 1,
    ) -> Backtest | PanelBacktest:
        """Rolling-origin evaluation: forecast from every ``stride``-th origin after ``start``.

        The model is the fitted one (not refitted per origin); each forecast
        sees only the values before its origin. The baselines (naive,
        seasonal naive, moving average, differencing, SARIMA fitted on the
        values before ``start``) forecast the same points, and the metrics
        are computed on the same footing (``compare=False`` scores the model
        alone; ``sarima=False`` skips only SARIMA, the slowest). ``start``
        defaults to the start of the validation part given to ``fit``.

        A model fitted on a panel is scored on every series and returns a
        :class:`~seqcast.panel_backtest.PanelBacktest`: per series, and in
        aggregate (mean MASE over the series, WAPE, MAE, sMAPE), beside
        per-series naive, seasonal naive, AutoETS and AutoARIMA
        (statsforecast), each fitted on that series' values before ``start``
        (``sarima=False`` skips the two fitted ones).

        ``n_jobs`` worker processes fit a panel's AutoETS and AutoARIMA
        (``None``: one per core). More than one spawns fresh Python processes,
        which import the calling script again: from a script, only with its
        work under ``if __name__ == "__main__":`` (the command line, a
        notebook and the default of one need nothing).

        ``data`` is read as in ``predict``. Values filled in (``fill``) are
        never scored as actual values: the forecasts of them are left out of
        every metric (``Backtest.unscored`` counts them).
        """
        panel = self._read_panel(
            data,
            date_column=date_column,
            date_format=date_format,
            sep=sep,
            decimal=decimal,
            freq=freq,
            fill=fill,
            duplicates=duplicates,
        )
        fitted_data = panel is getattr(self, "data_", None)
        requests = []
        for sid, series in zip(panel.ids, panel):
            n_train = self.n_trains_.get(sid) if fitted_data else None
            origins = named(
                panel,
                sid,
                backtest_origins,
                series.frame.index,
                start,
                default=n_train if n_train is not None and n_train < len(series) else None,
                horizon=self.horizon,
                stride=stride,
                window=self.window,
                lag=self.difference or 0,
            )
            requests.append(Request(sid, series, origins))
        self._warn_if_far(panel, requests)
        name = self.model_name
        if self.difference:
            name += f" (difference {self.difference})"
        results = self._forecast_at(panel, requests)
        season = season or season_of(panel.freq)
        if panel.layout != "single":
            return score_panel(
                [_target(request.series) for request in requests],
                [request.origins for request in requests],
                [request.series.frame.index for request in requests],
                list(panel.ids),
                {name: [result.point for result in results]},
                season=season,
                fit_ends=[int(request.origins[0]) for request in requests],
                freq=panel.freq,
                baselines=compare and (True if sarima else ("naive", "seasonal_naive")),
                filled=_filled_or_none([request.series for request in requests]),
                id_column=panel.id_column,
                n_jobs=n_jobs,
            )
        series, origins = requests[0].series, requests[0].origins
        return score_backtest(
            _target(series),
            origins,
            series.frame.index,
            {name: results[0].point},
            season=season,
            first=int(origins[0]),
            compare=compare,
            sarima=sarima,
            filled=filled_target(series),
        )

    # -- persistence
    def save(self, path: str | Path) -> Path:
        """Write the fitted model and everything needed to forecast into one file.

        The bundle (``seqcast.bundle``) zips the ``.keras`` model with a JSON
        manifest (scaler, window, horizon, strategy, columns, frequency,
        version). It is written to a temporary file and renamed: a failed
        save leaves an earlier file at ``path`` as it was.
        """
        self._check_fitted()
        return save_forecaster(path, self)

    @classmethod
    def load(cls, path: str | Path) -> Forecaster:
        """Read a file written by ``save``; a corrupt or foreign file is a clear error."""
        return load_forecaster(cls, path)

    # -- learning-rate sweep
    def lr_find(
        self,
        data: Any,
        target: str | None = None,
        covariates: Sequence[str] = (),
        *,
        min_lr: float = 1e-8,
        epochs: int = 100,
        date_column: str | None = None,
        date_format: str | None = None,
        sep: str | None = None,
        decimal: str | None = None,
        freq: str | None = None,
        fill: str = "none",
        duplicates: str = "error",
    ) -> LearningRateSweep:
        """The course's sweep: train ``epochs`` epochs with lr = ``min_lr * 10 ** (epoch / 20)``.

        Uses this Forecaster's model, loss, optimizer (SGD with momentum 0.9
        in the course) and scaling on all of ``data``; the model is thrown
        away. Returns the loss of each epoch and a suggested rate. The data is
        read as in ``fit`` (``sep``, ``decimal``, ``freq``, ``fill``, ``duplicates``).
        """
        self._check_params()
        panel = read_panel(
            data,
            target,
            covariates,
            date_column=date_column,
            date_format=date_format,
            sep=sep,
            decimal=decimal,
            freq=freq,
            fill=fill,
            duplicates=duplicates,
        )
        # Every column is read up to the origin: no known covariates, no validation part.
        splits = [len(series) for series in panel]
        setup = self._prepare(panel, splits, known=0, part="the series")
        schedule = sweep_schedule(min_lr)
        history = training.fit(
            setup.model,
            setup.x,
            setup.y,
            epochs=epochs,
            batch_size=self.batch_size,
            callbacks=[keras.callbacks.LearningRateScheduler(schedule)],
            seed=self.seed,
            verbose=self.verbose,
            description="lr sweep",
            devices=self.devices,
        )
        losses = np.asarray(history.history["loss"], dtype="float64")
        rates = np.array([schedule(e) for e in range(len(losses))])
        return LearningRateSweep(rates, losses)


def _filled_or_none(panel: list[SeriesData]) -> list[np.ndarray] | None:
    """Each series' filled-in target values, or None when no series had any filled."""
    filled = [filled_target(series) for series in panel]
    if all(mask is None for mask in filled):
        return None
    return [np.zeros(len(s), bool) if m is None else m for s, m in zip(panel, filled)]


def _target(series: SeriesData) -> np.ndarray:
    """The target column in float64, the units forecasts and actual values are compared in."""
    return series.frame[series.target].to_numpy(dtype="float64")
