"""Forecast your own series: the chapter's models behind one scikit-learn style estimator.

``Forecaster`` is a facade: it keeps the parameters and their documentation,
and each method calls the named steps of ``seqcast.estimator`` (read,
prepare, train, forecast, score) in turn. The data are read once per call
(``seqcast.estimator.reading``: one :class:`~seqcast.data.options.ReadOptions`),
as a :class:`~seqcast.data.panel.Panel` whatever the number of series (one
series is a panel of one, unwrapped only in what goes back to the user);
everything a fit learns is one :class:`~seqcast.estimator.state.FittedState`
(``state_``), which the bundle (``seqcast.bundle``) writes and reads whole,
and of which every fitted attribute (``model_``, ``residuals_``...) is a view.

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

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from seqcast import backend_check
from seqcast.data.options import ReadOptions
from seqcast.data.series import SeriesData
from seqcast.errors import SeqcastError

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import network  # noqa: E402
from seqcast.backtest import Backtest  # noqa: E402
from seqcast.bundle import load_forecaster, save_forecaster  # noqa: E402
from seqcast.data.panel import Panel  # noqa: E402
from seqcast.estimator import forecast, predict, reading, score, train  # noqa: E402
from seqcast.estimator.attributes import FittedAttributes  # noqa: E402
from seqcast.estimator.params import Parameterised  # noqa: E402
from seqcast.estimator.prepare import check_params  # noqa: E402
from seqcast.estimator.state import FittedState  # noqa: E402
from seqcast.lr_sweep import LearningRateSweep  # noqa: E402
from seqcast.panel_backtest import PanelBacktest  # noqa: E402


class Forecaster(Parameterised, FittedAttributes):
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
        # each parameter stored as given, under its own name (scikit-learn's rule)
        for name, value in dict(locals()).items():
            if name != "self":
                setattr(self, name, value)

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
        options: ReadOptions | None = None,
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
        table (id, date, forecast). A series too short to give one
        training window is left out of training, with a
        :class:`~seqcast.errors.SeqcastWarning` naming it (an error only
        when every series is; a lone series too short is one too).

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
        ``predict`` / ``backtest`` on new data. ``options`` (a
        :class:`~seqcast.data.options.ReadOptions`) says them all at once, as
        every method that reads takes it; a keyword given goes over it.

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
        check_params(self)
        columns = reading.columns_given(target, covariates, known_covariates, static)
        options = reading.options_of(locals(), unsaid=reading.FIT_DEFAULTS)
        layout = {"id_column": id_column, "targets": targets}
        panel, columns = reading.read_given(data, columns, options, **layout)
        self.state_ = train.train(self, panel, columns, valid, options, report, partitioned)
        return self

    def validation_wape(self) -> float | None:
        """The validation errors over every series relative to their values: WAPE.

        Sum of absolute errors over sum of absolute actual values, every
        series and horizon step pooled: series in other units can be
        summed this way, unlike their MAEs. None without a validation part.
        """
        return forecast.validation_wape(self, self.state_)

    # -- forecasting
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
        options: ReadOptions | None = None,
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
        panel = self._read_panel(data, reading.options_of(locals()))
        return panel.series[0] if reading.is_one_series(panel) else panel

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
        options: ReadOptions | None = None,
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
        A series shorter than the window (plus the ``difference`` lag) gets a
        baseline forecast instead, with a
        :class:`~seqcast.errors.SeqcastWarning` naming it: seasonal naive
        (the last season of ``seqcast.data.frequency.season_of(freq)``
        repeated), or naive (the last value) where it holds less than a
        season; the table then has a ``method`` column on every row (the
        model's name, ``"seasonal_naive"`` or ``"naive"``), to join back on
        the id and date and tell them apart, and the baseline rows have no
        interval (``lower`` / ``upper`` NaN). A lone series that short is an
        error, and so is a panel whose every series is.

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
        options = reading.options_of(locals())
        panel = self._read_panel(data, options)
        return predict.forecast_table(
            self,
            self.state_,
            panel,
            intervals=intervals,
            interval_method=interval_method,
            samples=samples,
            future=future,
            date_format=options.date_format,
        )

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
        options: ReadOptions | None = None,
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
        (``sarima=False`` skips the two fitted ones). A series too short for
        one origin (the window, the ``difference`` lag and the horizon), or,
        from the default start, one left out of training, is left out of the
        backtest with a :class:`~seqcast.errors.SeqcastWarning` naming it.

        ``n_jobs`` worker processes fit a panel's AutoETS and AutoARIMA
        (``None``: one per core). More than one spawns fresh Python processes,
        which import the calling script again: from a script, only with its
        work under ``if __name__ == "__main__":`` (the command line, a
        notebook and the default of one need nothing).

        ``data`` is read as in ``predict``. Values filled in (``fill``) are
        never scored as actual values: the forecasts of them are left out of
        every metric (``Backtest.unscored`` counts them).
        """
        panel = self._read_panel(data, reading.options_of(locals()))
        return score.backtest(
            self,
            self.state_,
            panel,
            start=start,
            stride=stride,
            season=season,
            sarima=sarima,
            compare=compare,
            n_jobs=n_jobs,
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
        options: ReadOptions | None = None,
    ) -> LearningRateSweep:
        """The course's sweep: train ``epochs`` epochs with lr = ``min_lr * 10 ** (epoch / 20)``.

        Uses this Forecaster's model, loss, optimizer (SGD with momentum 0.9
        in the course) and scaling on all of ``data``; the model is thrown
        away. Returns the loss of each epoch and a suggested rate. The data is
        read as in ``fit`` (``sep``, ``decimal``, ``freq``, ``fill``, ``duplicates``).
        """
        check_params(self)
        options = reading.options_of(locals(), unsaid=reading.FIT_DEFAULTS)
        panel, _ = reading.read_given(data, reading.columns_given(target, covariates), options)
        return train.sweep(self, panel, min_lr, epochs)

    # -- what the steps share
    def _check_fitted(self) -> FittedState:
        if not hasattr(self, "model_"):
            raise SeqcastError("this Forecaster is not fitted yet; call fit(data) first")
        return self.state_

    def _read_panel(self, data: Any, options: ReadOptions) -> Panel:
        """:meth:`read`, always as a panel (one series is a panel of one)."""
        return reading.read_as_fitted(self._check_fitted(), data, options)

    def _forecast_at(
        self, panel: Panel, requests: list[forecast.Request]
    ) -> list[forecast.Forecasts]:
        """The forecasts at each request's origins (``estimator.forecast.forecast_requests``)."""
        return forecast.forecast_at(self, self.state_, panel, requests)
