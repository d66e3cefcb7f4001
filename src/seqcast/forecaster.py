"""Forecast your own series: the chapter's models behind one scikit-learn style estimator.

``Forecaster`` ties the pieces together (reading and checking the data, scaling,
windowing, the zoo, the compiled trainer, the forecasting strategies, the
baselines and the metrics); it holds no modelling code of its own.

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
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seqcast import __version__, backend_check
from seqcast.data.dates import label, label_position, season_of
from seqcast.data.read import read_table
from seqcast.data.series import SeriesData, check_length, prepare_series
from seqcast.errors import SeqcastError

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import baselines, metrics, strategies, training  # noqa: E402
from seqcast.bundle import read_bundle, write_bundle  # noqa: E402
from seqcast.data.scaling import Scaler  # noqa: E402
from seqcast.data.windows import lazy_windows, windows_ending_at  # noqa: E402
from seqcast.evaluation import Backtest, LearningRateSweep  # noqa: E402
from seqcast.models import get_entry, make_optimizer  # noqa: E402

STRATEGIES = ("auto", "seq2seq", "direct", "iterative")
SCALERS = ("standard", "minmax", None)
_MANIFEST_KEYS = ("params", "strategy", "scaler", "target", "covariates")

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
        scaler: ``"standard"``, ``"minmax"`` or None, fitted on the training part.
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
        seed: seeds weights, dropout and shuffling: same seed, same model.
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
        scaler: str | None = "standard",
        epochs: int = 100,
        patience: int | None = 10,
        batch_size: int = 32,
        dropout: float = 0.0,
        difference: int | None = None,
        seed: int = 42,
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
        return self.model if isinstance(self.model, str) else getattr(self.model, "__name__", "?")

    # -- fitting
    def fit(
        self,
        data: Any,
        target: str | None = None,
        covariates: Sequence[str] = (),
        valid: float | str | pd.Timestamp | int | None = None,
        date_column: str | None = None,
        known_covariates: Sequence[str] = (),
    ) -> Forecaster:
        """Train on ``data`` (a path to CSV/Parquet, a DataFrame or a Series); returns self.

        ``covariates`` are other columns the model reads over the window, up
        to the forecast origin. ``known_covariates`` are columns whose future
        values are known when forecasting (holidays, day types, planned
        prices): the model reads them up to the end of the horizon, and
        ``predict`` needs them for the forecast dates (``future=``).

        ``valid`` holds back the end of the series to choose the epoch (early
        stopping on validation MAE): a fraction (``0.2``), or the first
        validation date (``"2019-01-01"``) or step. Without it every point
        trains and all ``epochs`` run.
        """
        self._check_params()
        covariates, known_covariates = _names(covariates), _names(known_covariates)
        frame = read_table(data, date_column=date_column)
        series = prepare_series(frame, target, [*covariates, *known_covariates])
        if self.strategy == "iterative" and series.covariates:
            raise SeqcastError(
                "the iterative strategy feeds the model its own forecasts, which cannot "
                "include covariates; use strategy='direct' or 'seq2seq', or drop the covariates"
            )
        lag = self.difference or 0
        n_train = _split_position(series, valid) - lag
        values = self._model_values(series.values, len(known_covariates))
        part = "the training part" if valid is not None else "the series"
        check_length(n_train, self.window, self._trained_horizon, part)
        scaler = Scaler.fit(self.scaler, values[:n_train])
        scaled = scaler.transform(values)

        keras.utils.set_random_seed(self.seed)
        model = self._build(series.values.shape[1])
        strategy = self._resolve_strategy(model)
        model.compile(loss=self.loss, optimizer=self._make_optimizer())
        x_train, y_train = self._windows(scaled[:n_train], model)
        validation = None
        callbacks = []
        if n_train < len(values):
            valid_part = scaled[n_train - self.window :]
            if len(valid_part) < self.window + self._trained_horizon:
                raise SeqcastError(
                    f"the validation part has {len(values) - n_train} points, fewer than the "
                    f"horizon {self._trained_horizon}; validate on more data or fit without valid"
                )
            validation = self._windows(valid_part, model)
            if self.patience:
                callbacks.append(
                    keras.callbacks.EarlyStopping(
                        monitor="val_forecast_mae",
                        mode="min",
                        patience=self.patience,
                        restore_best_weights=True,
                    )
                )
        history = training.fit(
            model,
            x_train,
            y_train,
            epochs=self.epochs,
            batch_size=self.batch_size,
            validation_data=validation,
            callbacks=callbacks,
            metrics=["forecast_mae"],  # seqcast.metrics.PER_SAMPLE
            seed=self.seed,
            verbose=self.verbose,
            description=self.model_name,
        )
        self.model_ = model
        self.strategy_ = strategy
        self.scaler_ = scaler
        self.columns_ = {
            "target": series.target,
            "covariates": list(covariates),
            "known_covariates": list(known_covariates),
        }
        self.series_ = series
        self.freq_ = series.freq
        self.n_train_ = n_train + lag  # a position in the data, not in its differences
        self.history_ = {k: [float(v) for v in vs] for k, vs in history.history.items()}
        self.train_seconds_ = history.train_seconds
        self.compile_seconds_ = history.compile_seconds
        self.residuals_ = self._validation_residuals(series) if validation else None
        return self

    def _validation_residuals(self, series: SeriesData) -> np.ndarray | None:
        """Actual minus forecast ``(origins, horizon)`` over the validation part, in data units.

        The spread of the errors the model makes, for intervals that include
        the noise of the series (MC dropout sees only the model's doubt). The
        validation part also chose the epoch, so they are a little optimistic.
        """
        origins = np.arange(self.n_train_, len(series.values) - self.horizon + 1)
        if len(origins) == 0:
            return None
        x, target = self._inputs_at(series, origins)
        forecast = self._undifference(target, origins, self._forecast_scaled(x))
        return target[origins[:, None] + np.arange(self.horizon)] - forecast

    @property
    def _trained_horizon(self) -> int:
        return 1 if self.strategy == "iterative" else self.horizon

    def _check_params(self) -> None:
        if self.strategy not in STRATEGIES:
            raise SeqcastError(
                f"unknown strategy {self.strategy!r}; use one of {', '.join(STRATEGIES[1:])}"
            )
        if self.scaler not in SCALERS:
            raise SeqcastError(f"unknown scaler {self.scaler!r}; use 'standard', 'minmax' or None")
        if self.difference is not None and (
            not isinstance(self.difference, (int, np.integer)) or self.difference < 1
        ):
            raise SeqcastError(
                f"difference must be a lag of at least 1 step (or None), got {self.difference!r}"
            )
        for name in ("window", "horizon", "epochs", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise SeqcastError(f"{name} must be a whole number of at least 1, got {value!r}")
        if isinstance(self.model, str):
            get_entry(self.model)  # unknown names fail here, listing the zoo

    def _build(self, features: int) -> keras.Model:
        horizon = self._trained_horizon
        if not isinstance(self.model, str):
            return self.model(n_steps=self.window, horizon=horizon, features=features)
        entry = get_entry(self.model)
        return entry.build_for_series(self.window, horizon, features, self.dropout)

    def _resolve_strategy(self, model: keras.Model) -> str:
        sequence_output = len(model.output_shape) == 3
        if self.strategy == "auto":
            return "seq2seq" if sequence_output else "direct"
        if (self.strategy == "seq2seq") != sequence_output:
            kind = "a forecast at every step" if sequence_output else "one forecast per window"
            raise SeqcastError(
                f"model {self.model_name!r} outputs {kind}, which does not fit the "
                f"{self.strategy} strategy; use strategy='auto'"
            )
        return self.strategy

    def _make_optimizer(self) -> keras.optimizers.Optimizer:
        return make_optimizer(
            self.optimizer,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            clipnorm=self.clipnorm,
        )

    def _windows(self, scaled: np.ndarray, model: keras.Model):
        """Lazy (inputs, targets) windows of ``scaled`` for this model's strategy.

        Nothing is copied per window: the trainer gathers each batch from the
        series on the device (``seqcast.data.windows.WindowedSeries``).
        """
        entry = get_entry(self.model) if isinstance(self.model, str) else None
        return lazy_windows(
            scaled,
            self.window,
            self._trained_horizon,
            sequence=len(model.output_shape) == 3,
            crop=entry.conv_front_end if entry is not None else None,
        )

    # -- forecasting
    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise SeqcastError("this Forecaster is not fitted yet; call fit(data) first")

    def _series_for(self, data: Any, date_column: str | None) -> SeriesData:
        if data is None:
            if getattr(self, "series_", None) is None:
                raise SeqcastError("give the data to forecast from (a loaded model keeps none)")
            return self.series_
        frame = read_table(data, date_column=date_column)
        series = prepare_series(frame, self.target_, [*self.covariates_, *self.known_])
        if self.freq_ and series.freq and series.freq != self.freq_:
            raise SeqcastError(
                f"the model was trained on data of frequency {self.freq_!r}, but this data has "
                f"frequency {series.freq!r}; resample it (df.resample('{self.freq_}').mean()) "
                "or fit a model on it"
            )
        return series

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

    def _forecast_scaled(self, x: np.ndarray) -> np.ndarray:
        """Scaled forecasts ``(n, horizon)`` from scaled input windows ``(n, window, features)``."""
        if self.strategy_ == "iterative":
            fixed = isinstance(self.model, str) and get_entry(self.model).fixed_length
            return strategies.iterative(self.model_, x, self.horizon, keep_length=fixed)
        if self.strategy_ == "seq2seq":
            return strategies.seq2seq(self.model_, x)
        return strategies.direct(self.model_, x)

    def predict(
        self,
        data: Any = None,
        *,
        intervals: float | None = None,
        interval_method: str = "auto",
        samples: int = 100,
        date_column: str | None = None,
        future: Any = None,
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
        ``future`` (a DataFrame or file with those columns and dates).
        """
        self._check_fitted()
        series = self._series_for(data, date_column)
        needed = self.window + (self.difference or 0)
        if len(series.values) < needed:
            lag = f" plus its differencing lag {self.difference}" if self.difference else ""
            raise SeqcastError(
                f"the data to forecast from has {len(series.values)} points, fewer than the "
                f"model's window of {self.window}{lag}; give at least {needed} points"
            )
        origin = np.array([len(series.values)])
        x, target = self._inputs_at(series, origin, self._future_values(series, future))
        scaled = self._forecast_scaled(x)
        point = self._undifference(target, origin, scaled)
        frame = pd.DataFrame({series.target: point[0]}, index=series.future_index(self.horizon))
        if intervals is not None:
            method = self._interval_method(intervals, interval_method)
            if method == "residuals":
                tails = ((1 - intervals) / 2, (1 + intervals) / 2)
                lower, upper = point + np.quantile(self.residuals_, tails, axis=0)[:, None]
            else:
                lower, upper = self._interval(x, intervals, samples)
                # Differenced: the band is the change's band on top of the point path.
                base = point - self.scaler_.inverse_target(scaled)
                lower, upper = lower + base, upper + base
            frame["lower"], frame["upper"] = lower[0], upper[0]
            frame.attrs["interval"] = {"level": intervals, "method": method}
        return frame

    def _interval_method(self, level: float, method: str) -> str:
        if not 0 < level < 1:
            raise SeqcastError(f"intervals must be a level between 0 and 1 (e.g. 0.9), got {level}")
        if method not in ("auto", "mc_dropout", "residuals"):
            raise SeqcastError(
                f"unknown interval method {method!r}; use 'auto', 'mc_dropout' or 'residuals'"
            )
        if method == "auto":
            method = "mc_dropout" if strategies.has_dropout(self.model_) else "residuals"
        if method == "residuals" and getattr(self, "residuals_", None) is None:
            raise SeqcastError(
                f"model {self.model_name!r} has neither dropout nor validation errors to draw "
                "an interval from; fit it with valid=... (--valid-from) or dropout=0.2 (--dropout)"
            )
        return method

    def _model_values(
        self, values: np.ndarray, known: int, future: np.ndarray | None = None
    ) -> np.ndarray:
        """What the model reads at each step: the data, with two changes.

        The target is differenced at lag ``difference``; the last ``known``
        columns (covariates known in advance) are moved ``horizon`` steps
        earlier, so that a window ending at the origin holds them up to the
        end of the horizon. Their last ``horizon`` rows come from ``future``
        when forecasting past the data, else repeat the last value (no
        training window reads those rows).
        """
        values = np.array(values, dtype="float32")
        if known:
            ahead = values[:, -known:].copy()  # a copy: the columns are overwritten below
            if future is not None:
                ahead = np.concatenate([ahead, future.astype("float32")])
            shifted = ahead[self.horizon : self.horizon + len(values)]
            values[:, -known:] = values[-1, -known:]
            values[: len(shifted), -known:] = shifted
        lag = self.difference
        if not lag:
            return values
        changed = values[lag:].copy()
        changed[:, 0] = values[lag:, 0] - values[:-lag, 0]
        return changed

    def _future_values(self, series: SeriesData, future: Any) -> np.ndarray | None:
        """The known covariates on the ``horizon`` dates after ``series``, checked."""
        if not self.known_:
            if future is not None:
                raise SeqcastError(
                    "future= gives known covariates, but this model was fitted without any "
                    "(fit(..., known_covariates=[...]))"
                )
            return None
        dates = series.future_index(self.horizon)
        span = f"{label(dates[0])} to {label(dates[-1])}"
        if future is None:
            raise SeqcastError(
                f"this model reads known covariates ({', '.join(self.known_)}) up to the end of "
                f"the horizon; give their values from {span} "
                "with future= (--future FILE)"
            )
        table = read_table(future)
        missing = [c for c in self.known_ if c not in table.columns]
        if missing:
            raise SeqcastError(
                f"the future values lack the column(s) {', '.join(missing)}; give "
                f"{', '.join(self.known_)} for {span}"
            )
        try:
            rows = table.loc[dates, list(self.known_)]
        except KeyError:
            raise SeqcastError(
                f"the future values must cover the {self.horizon} dates after the data, "
                f"{span}; some are missing"
            ) from None
        values = rows.to_numpy(dtype="float64")
        if not np.isfinite(values).all():
            raise SeqcastError("the future values of the known covariates have missing values")
        return values

    def _inputs_at(self, series: SeriesData, origins: np.ndarray, future=None):
        """Scaled model inputs for forecasts made at ``origins`` (positions in the data)."""
        lag = self.difference or 0
        scaled = self.scaler_.transform(self._model_values(series.values, len(self.known_), future))
        target = series.frame[series.target].to_numpy(dtype="float64")
        return windows_ending_at(scaled, origins - lag, self.window), target

    def _undifference(self, target: np.ndarray, origins: np.ndarray, scaled: np.ndarray):
        """Model outputs ``(n, horizon)`` back to the data's units, undoing the differencing.

        A differenced forecast is a change from ``lag`` steps earlier: a known
        value for the first ``lag`` steps, then the forecast itself.
        """
        change = self.scaler_.inverse_target(scaled)
        lag = self.difference
        if not lag:
            return change
        level = np.empty_like(change)
        for step in range(change.shape[1]):
            before = target[origins + step - lag] if step < lag else level[:, step - lag]
            level[:, step] = change[:, step] + before
        return level

    def _interval(self, x: np.ndarray, level: float, samples: int):
        if self.strategy_ == "iterative":
            raise SeqcastError("intervals need the direct or seq2seq strategy, not iterative")
        if not strategies.has_dropout(self.model_):
            raise SeqcastError(
                f"model {self.model_name!r} was trained without dropout, so it has no MC-dropout "
                "intervals; fit with dropout=0.2 (--dropout 0.2) to get them"
            )
        tails = ((1 - level) / 2, (1 + level) / 2)
        mc = strategies.mc_dropout(self.model_, x, samples=samples, seed=self.seed, quantiles=tails)
        bounds = []
        for q in tails:
            values = mc.quantiles[q]
            bounds.append(
                self.scaler_.inverse_target(values[:, -1] if values.ndim == 3 else values)
            )
        return bounds

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
    ) -> Backtest:
        """Rolling-origin evaluation: forecast from every ``stride``-th origin after ``start``.

        The model is the fitted one (not refitted per origin); each forecast
        sees only the values before its origin. The baselines (naive,
        seasonal naive, moving average, differencing, SARIMA fitted on the
        values before ``start``) forecast the same points, and the metrics
        are computed on the same footing (``compare=False`` scores the model
        alone; ``sarima=False`` skips only SARIMA, the slowest). ``start``
        defaults to the start of the validation part given to ``fit``.
        """
        self._check_fitted()
        series = self._series_for(data, date_column)
        values = series.values
        first = self._backtest_start(series, start)
        if not isinstance(stride, (int, np.integer)) or stride < 1:
            raise SeqcastError(f"stride must be a whole number of at least 1, got {stride!r}")
        origins = np.arange(first, len(values) - self.horizon + 1, stride)
        if len(origins) == 0:
            raise SeqcastError(
                f"no forecast origin fits: from {series.frame.index[first]} there are fewer than "
                f"horizon = {self.horizon} values left; start the backtest earlier"
            )
        season = season or season_of(series.freq)
        x, target = self._inputs_at(series, origins)
        model_label = self.model_name
        if self.difference:
            model_label += f" (difference {self.difference})"
        forecasts = {model_label: self._undifference(target, origins, self._forecast_scaled(x))}
        skipped = {}
        if compare:
            ran = baselines.series_baselines(
                target, origins, self.horizon, season=season, fit_end=first, include_sarima=sarima
            )
            forecasts.update(ran)
            for name in baselines.SERIES_BASELINES:
                if name in ran or (name == "sarima" and not sarima):
                    continue
                seasonal = name in ("seasonal_naive", "differenced_moving_average")
                skipped[name] = (
                    "the data has no season (season 1); pass season=N (--season N) if it has one"
                    if seasonal and season <= 1
                    else "too little history before the start for its season or window"
                )
        actual = target[origins[:, None] + np.arange(self.horizon)]
        history = target[:first]
        mase_ok = len(history) > season
        scores, per_horizon = {}, {}
        for name, forecast in forecasts.items():
            kwargs = {"y_train": history, "season": season} if mase_ok else {}
            scores[name] = metrics.forecast_scores(actual, forecast, **kwargs)
            per_horizon[name] = metrics.per_horizon_scores(actual, forecast, **kwargs)
        return Backtest(
            scores=pd.DataFrame.from_dict(scores, orient="index"),
            per_horizon=per_horizon,
            forecasts=forecasts,
            actual=actual,
            origins=series.frame.index[origins],
            model_name=model_label,
            season=season,
            skipped=skipped,
        )

    def _backtest_start(self, series: SeriesData, start: Any) -> int:
        if start is None:
            # The default, the validation start, only means something on the data fitted.
            if series is not self.series_ or self.n_train_ >= len(series.values):
                raise SeqcastError(
                    "say where the backtest starts (start='2019-01-01' / --start), or fit "
                    "with a validation part and backtest that same data"
                )
            return self.n_train_
        position = label_position(series.frame.index, start, "start")
        if position < self.window + (self.difference or 0):
            raise SeqcastError(
                f"the backtest start {start} leaves {position} points before it, fewer than the "
                f"window {self.window}; start later"
            )
        return position

    # -- persistence
    def save(self, path: str | Path) -> Path:
        """Write the fitted model and everything needed to forecast into one file.

        The bundle (``seqcast.bundle``) zips the ``.keras`` model with a JSON
        manifest (scaler, window, horizon, strategy, columns, frequency,
        version). It is written to a temporary file and renamed: a failed
        save leaves an earlier file at ``path`` as it was.
        """
        self._check_fitted()
        params = {k: v for k, v in self.get_params().items() if _jsonable(v)}
        manifest = {
            "seqcast_version": __version__,
            "params": {**params, "model": self.model_name},
            "strategy": self.strategy_,
            "scaler": {
                "kind": self.scaler_.kind,
                "offset": self.scaler_.offset,
                "scale": self.scaler_.scale,
            },
            "target": self.target_,
            "covariates": list(self.covariates_),
            "known_covariates": list(self.known_),
            "freq": self.freq_,
            "residuals": None if self.residuals_ is None else self.residuals_.tolist(),
            "history": self.history_,
        }
        return write_bundle(path, self.model_, manifest)

    @classmethod
    def load(cls, path: str | Path) -> Forecaster:
        """Read a file written by ``save``; a corrupt or foreign file is a clear error."""
        manifest, model = read_bundle(path, required=_MANIFEST_KEYS)
        try:
            forecaster = cls(**manifest["params"])
            scaler = manifest["scaler"]
            forecaster.scaler_ = Scaler(
                scaler["kind"], tuple(scaler["offset"]), tuple(scaler["scale"])
            )
            forecaster.columns_ = {
                "target": str(manifest["target"]),
                "covariates": list(manifest["covariates"]),
                "known_covariates": list(manifest.get("known_covariates", [])),
            }
        except (KeyError, TypeError, ValueError) as err:
            raise SeqcastError(
                f"'{path}' has a damaged manifest ({type(err).__name__}: {err}); "
                "fit the model again"
            ) from err
        forecaster.model_ = model
        forecaster.strategy_ = manifest["strategy"]
        forecaster.series_ = None
        forecaster.n_train_ = None
        forecaster.history_ = manifest.get("history", {})
        forecaster.freq_ = manifest.get("freq")
        residuals = manifest.get("residuals")
        forecaster.residuals_ = None if residuals is None else np.asarray(residuals, dtype=float)
        return forecaster

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
    ) -> LearningRateSweep:
        """The course's sweep: train ``epochs`` epochs with lr = ``min_lr * 10 ** (epoch / 20)``.

        Uses this Forecaster's model, loss, optimizer (SGD with momentum 0.9
        in the course) and scaling on all of ``data``; the model is thrown
        away. Returns the loss of each epoch and a suggested rate.
        """
        self._check_params()
        series = prepare_series(read_table(data, date_column=date_column), target, covariates)
        values = self._model_values(series.values, known=0)  # all read up to the origin
        check_length(len(values), self.window, self._trained_horizon)
        scaled = Scaler.fit(self.scaler, values).transform(values)
        keras.utils.set_random_seed(self.seed)
        model = self._build(values.shape[1])
        self._resolve_strategy(model)
        model.compile(loss=self.loss, optimizer=self._make_optimizer())

        def schedule(epoch: int, lr: float = 0.0) -> float:
            return float(min_lr * 10 ** (epoch / 20))

        x, y = self._windows(scaled, model)
        history = training.fit(
            model,
            x,
            y,
            epochs=epochs,
            batch_size=self.batch_size,
            callbacks=[keras.callbacks.LearningRateScheduler(schedule)],
            seed=self.seed,
            verbose=self.verbose,
            description="lr sweep",
        )
        losses = np.asarray(history.history["loss"], dtype="float64")
        rates = np.array([schedule(e) for e in range(len(losses))])
        return LearningRateSweep(rates, losses)


# --------------------------------------------------------------------------- helpers


def _names(columns: str | Sequence[str]) -> tuple[str, ...]:
    """Column names as a tuple; one name may be given as a plain string."""
    return (columns,) if isinstance(columns, str) else tuple(columns)


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


def _split_position(series: SeriesData, valid: Any) -> int:
    """Where the validation part starts (``len`` when there is none)."""
    n = len(series.values)
    if valid is None:
        return n
    if isinstance(valid, float) and not isinstance(valid, bool):
        if not 0 < valid < 1:
            raise SeqcastError(f"valid as a fraction must lie between 0 and 1, got {valid}")
        return n - max(1, round(n * valid))
    position = label_position(series.frame.index, valid, "valid")
    if position == 0:
        raise SeqcastError(f"valid {valid} is at or before the first point: nothing left to train")
    return position
