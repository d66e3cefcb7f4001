"""Forecaster: fit / predict / backtest / save / load / lr_find on small synthetic series."""

import json
import os
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.bundle import FORMAT as BUNDLE_FORMAT
from seqcast.data.frequency import season_of
from seqcast.errors import SeqcastError, SeqcastWarning
from seqcast.estimator.forecast import Request
from seqcast.forecaster import Forecaster
from seqcast.intervals import one_sided_note

N = 300
WINDOW = 14
HORIZON = 3
FAST = {"window": WINDOW, "horizon": HORIZON, "epochs": 3, "verbose": 0, "seed": 0}


def daily_frame(n: int = N, seed: int = 0, **extra) -> pd.DataFrame:
    """A weekly sine on a trend with a little noise, one point a day from 2020-01-01."""
    t = np.arange(n)
    noise = np.random.default_rng(seed).normal(size=n)
    values = 10 + 0.02 * t + np.sin(2 * np.pi * t / 7) + 0.1 * noise
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"y": values, **extra}, index=index)


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return daily_frame()


@pytest.fixture(scope="module")
def linear(series) -> Forecaster:
    """A direct one-shot linear model, validated on the last 20 % (60 points)."""
    return Forecaster("linear", **FAST).fit(series, valid=0.2)


@pytest.fixture(scope="module")
def gru_dropout(series) -> Forecaster:
    """A small sequence model with dropout, for seq2seq and MC-dropout intervals.

    A short window keeps the recurrent graphs quick to compile.
    """
    params = {**FAST, "window": 5, "epochs": 2}
    return Forecaster("gru", dropout=0.2, **params).fit(series)


# ------------------------------------------------------------------------------ fit / predict


def test_fit_returns_self_and_predict_labels_the_days_after_the_end(series):
    model = Forecaster("linear", **FAST)
    assert model.fit(series) is model
    forecast = model.predict()
    assert isinstance(forecast, pd.DataFrame)
    assert forecast.columns.tolist() == ["y"]
    expected = pd.date_range("2020-10-27", periods=HORIZON, freq="D")
    assert series.index[-1] == pd.Timestamp("2020-10-26")
    assert forecast.index.equals(expected)
    assert forecast.index.freqstr == "D"
    assert np.isfinite(forecast["y"]).all()


def test_monthly_dates_continue_at_month_starts():
    frame = daily_frame(120)
    frame.index = pd.date_range("2000-01-01", periods=120, freq="MS", name="month")
    forecast = Forecaster("linear", **FAST).fit(frame).predict()
    assert [d.strftime("%Y-%m-%d") for d in forecast.index] == [
        "2010-01-01",
        "2010-02-01",
        "2010-03-01",
    ]


def test_date_format_reaches_every_reading_of_the_data(tmp_path):
    # Month starts written 01/MM/YYYY read day-first or month-first: the format says which.
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    rows = "".join(f"{m:%d/%m/%Y},{1 + i % 4}\n" for i, m in enumerate(months))
    path = tmp_path / "monthly.csv"
    path.write_text("date,sales\n" + rows, encoding="utf-8")
    params = {**FAST, "window": 3, "horizon": 2, "epochs": 2}
    with pytest.raises(SeqcastError, match="reads two ways"):
        Forecaster("linear", **params).fit(path)
    model = Forecaster("linear", **params).fit(path, date_format="%d/%m/%Y")
    assert model.freq_ == "MS"
    forecast = model.predict(path, date_format="%d/%m/%Y")
    assert forecast.index[0] == pd.Timestamp("2024-01-01")
    result = model.backtest(path, start="2023-08-01", compare=False, date_format="%d/%m/%Y")
    assert len(result.origins) > 0
    sweep = Forecaster("linear", **params).lr_find(path, epochs=2, date_format="%d/%m/%Y")
    assert len(sweep.losses) == 2
    # the format is remembered, also by a saved model: new data needs no format again
    saved = Forecaster.load(model.save(tmp_path / "m.seqcast"))
    assert saved.predict(path).index.equals(forecast.index)
    assert model.predict(path).index.equals(forecast.index)


def test_integer_steps_continue_by_their_step():
    frame = daily_frame(200).reset_index(drop=True)
    frame.index = pd.Index(np.arange(100, 100 + 2 * 200, 2), name="step")  # 100, 102, ... 498
    forecast = Forecaster("linear", **FAST).fit(frame).predict()
    assert forecast.index.tolist() == [500, 502, 504]
    assert forecast.index.name == "step"
    assert forecast.columns.tolist() == ["y"]


def test_data_read_once_forecasts_as_the_data_itself(linear, series):
    cut = series.iloc[:250]
    read = linear.read(cut)
    assert read.target == "y" and read.frame.index.equals(cut.index)
    assert linear.read(read) is read  # what read returns is taken as it is
    pd.testing.assert_frame_equal(linear.predict(read), linear.predict(cut))
    assert linear.read() is linear.series_
    with pytest.raises(SeqcastError, match="not fitted yet"):
        Forecaster("linear").read(cut)


def test_predict_from_other_data_forecasts_after_its_end(linear, series):
    cut = series.iloc[:200]
    forecast = linear.predict(cut)
    assert forecast.index[0] == series.index[200]
    with pytest.raises(SeqcastError, match=r"fewer than the model's window of 14"):
        linear.predict(series.iloc[:10])


def test_unfitted_model_cannot_predict():
    with pytest.raises(SeqcastError, match="not fitted"):
        Forecaster("linear").predict()


# ------------------------------------------------------------------------------ strategies


def test_auto_strategy_is_seq2seq_for_a_sequence_model(gru_dropout):
    assert gru_dropout.strategy_ == "seq2seq"
    assert len(gru_dropout.model_.output_shape) == 3  # a forecast at every step
    assert gru_dropout.predict().shape == (HORIZON, 1)


@pytest.mark.parametrize("name", ["dnn", "linear"])
def test_auto_strategy_is_direct_for_a_vector_model(name, series):
    model = Forecaster(name, **FAST).fit(series)
    assert model.strategy_ == "direct"
    assert model.model_.output_shape == (None, HORIZON)
    assert model.predict().shape == (HORIZON, 1)


def _rollout(model: Forecaster, scaled_window: np.ndarray, slide: bool) -> np.ndarray:
    """Feed model_ its own one-step forecasts by hand: the reference for iterative."""
    net = model.model_
    weights = [v.value for v in net.trainable_variables]
    state = [v.value for v in net.non_trainable_variables]
    x = scaled_window[None].astype("float32")
    steps = []
    for _ in range(model.horizon):
        # stateless_call, unlike __call__, lets a recurrent net see more steps than it was built
        # for, as the growing input of the iterative strategy needs.
        y, _ = net.stateless_call(weights, state, x, training=False)
        y = np.asarray(y)  # (1, 1)
        steps.append(float(y[0, 0]))
        x = np.concatenate([x[:, 1:] if slide else x, y[:, None, :]], axis=1).astype("float32")
    return np.array(steps)


@pytest.mark.parametrize(
    ("name", "window", "slide"), [("linear", WINDOW, True), ("deep_rnn_dense", 5, False)]
)
def test_iterative_feeds_a_one_step_model_its_own_forecasts(name, window, slide, series):
    """A fixed-length model (Flatten) slides its window; a recurrent one sees it grow."""
    settings = {**FAST, "epochs": 2, "window": window}
    model = Forecaster(name, strategy="iterative", **settings).fit(series)
    assert model.strategy_ == "iterative"
    assert model.model_.output_shape == (None, 1)  # trained one step ahead
    forecast = model.predict()
    assert forecast.shape == (HORIZON, 1)
    last = model.scaler_.transform(series.to_numpy()[-window:])
    expected = model.scaler_.inverse_target(_rollout(model, last, slide))
    np.testing.assert_allclose(forecast["y"].to_numpy(), expected, rtol=1e-5)


def test_iterative_refuses_covariates(series):
    frame = series.assign(x=np.cos(np.arange(N)))
    with pytest.raises(SeqcastError, match=r"iterative.*covariates"):
        Forecaster("linear", strategy="iterative", **FAST).fit(frame, target="y", covariates=["x"])


@pytest.mark.parametrize(
    ("name", "strategy"),
    [
        ("lstm", "direct"),
        ("seq2seq", "iterative"),
        ("dnn", "seq2seq"),
        ("deep_rnn_dense", "seq2seq"),
    ],
)
def test_a_strategy_that_does_not_fit_the_model_is_refused(name, strategy, series):
    with pytest.raises(SeqcastError, match=rf"does not fit the {strategy} strategy"):
        Forecaster(name, strategy=strategy, **FAST).fit(series)


# ------------------------------------------------------------------------------ covariates


def test_covariates_train_and_forecast_the_target_only(series):
    frame = series.assign(temperature=np.cos(2 * np.pi * np.arange(N) / 7))
    model = Forecaster("linear", **FAST).fit(frame, target="y", covariates=["temperature"])
    assert model.model_.input_shape == (None, WINDOW, 2)
    assert model.covariates_ == ("temperature",)
    forecast = model.predict()
    assert forecast.columns.tolist() == ["y"] and len(forecast) == HORIZON
    with pytest.raises(
        SeqcastError,
        match=r"^the model was fitted with covariate 'temperature'; the data has only: y; ",
    ):
        model.predict(series)  # the covariate is missing from the new data


def test_an_unknown_covariate_is_named(series):
    with pytest.raises(SeqcastError, match=r"unknown covariate column 'rain'.*the columns are: y"):
        Forecaster("linear", **FAST).fit(series, target="y", covariates=["rain"])


# ------------------------------------------------------------------------------ scaling


@pytest.mark.parametrize(
    ("scaler", "level", "amplitude"),
    [
        ("standard", 1000.0, 50.0),
        ("minmax", 1000.0, 50.0),
        (None, 0.0, 1.0),  # unscaled: data already in unit range
    ],
)
def test_scalers_forecast_in_the_units_of_the_data(scaler, level, amplitude):
    t = np.arange(300)
    values = level + amplitude * np.sin(2 * np.pi * t / 20)
    index = pd.date_range("2020-01-01", periods=300, freq="D")
    frame = pd.DataFrame({"y": values[:280]}, index=index[:280])
    model = Forecaster(
        "linear", window=20, horizon=5, epochs=5, learning_rate=0.01, scaler=scaler, verbose=0
    ).fit(frame)
    train = values[:280]
    if scaler == "standard":
        np.testing.assert_allclose(model.scaler_.offset[0], train.mean(), rtol=1e-6)
        np.testing.assert_allclose(model.scaler_.scale[0], train.std(), rtol=1e-5)
    elif scaler == "minmax":
        np.testing.assert_allclose(model.scaler_.offset[0], train.min(), rtol=1e-6)
        np.testing.assert_allclose(model.scaler_.scale[0], np.ptp(train), rtol=1e-5)
    else:
        assert model.scaler_.offset == (0.0,) and model.scaler_.scale == (1.0,)
    forecast = model.predict()["y"].to_numpy()
    # A linear model on 20 lags can continue a sine: the forecast follows the next 5 values
    # to within a quarter of the amplitude, in the data's units (around 1000, not around 0).
    assert np.abs(forecast - values[280:285]).max() < 0.25 * amplitude


# ------------------------------------------------------------------------------ determinism


def test_same_seed_same_forecast_other_seed_other_forecast(series):
    first = Forecaster("linear", **{**FAST, "seed": 7}).fit(series).predict()
    again = Forecaster("linear", **{**FAST, "seed": 7}).fit(series).predict()
    other = Forecaster("linear", **{**FAST, "seed": 8}).fit(series).predict()
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert not np.allclose(first["y"], other["y"])


# ------------------------------------------------------------------------------ early stopping


def test_early_stopping_restores_the_weights_of_the_best_validation_epoch(series):
    epochs = 40
    model = Forecaster(
        "linear",
        window=WINDOW,
        horizon=HORIZON,
        epochs=epochs,
        patience=2,
        learning_rate=0.3,  # large enough that the validation error goes up again
        verbose=0,
        seed=0,
    ).fit(daily_frame(seed=1), valid=0.3)
    history = model.history_
    assert {"loss", "val_loss", "forecast_mae", "val_forecast_mae"} <= set(history)
    val_mae = np.array(history["val_forecast_mae"])
    assert len(val_mae) < epochs, "patience 2 should have stopped training early"
    best = int(np.argmin(val_mae))
    assert best == len(val_mae) - 3  # stopped after 2 epochs without improvement
    assert val_mae[-1] > val_mae[best]
    # The restored weights score the best validation MAE: the backtest from the validation
    # start forecasts exactly the validation windows (in data units; scale back).
    backtest = model.backtest(compare=False)
    assert len(backtest.origins) == N - model.n_train_ - HORIZON + 1
    scaled_mae = backtest.scores.loc["linear", "MAE"] / model.scaler_.scale[0]
    np.testing.assert_allclose(scaled_mae, val_mae[best], rtol=1e-5)


def test_without_valid_every_epoch_runs_and_there_is_no_validation_history(series):
    model = Forecaster("linear", **{**FAST, "epochs": 4, "patience": 1}).fit(series)
    assert len(model.history_["loss"]) == 4
    assert "val_forecast_mae" not in model.history_


# ------------------------------------------------------------------------------ save / load


@pytest.mark.parametrize("fixture", ["linear", "gru_dropout"])
def test_save_and_load_give_the_same_forecast(fixture, request, series, tmp_path):
    model = request.getfixturevalue(fixture)
    path = model.save(tmp_path / "model.seqcast")
    assert path == tmp_path / "model.seqcast"
    with zipfile.ZipFile(path) as bundle:
        assert sorted(bundle.namelist()) == ["manifest.json", "model.keras"]  # no members
        manifest = json.loads(bundle.read("manifest.json"))
    assert manifest["format"] == BUNDLE_FORMAT
    assert manifest["target"] == "y" and manifest["freq"] == "D"
    assert manifest["strategy"] == model.strategy_
    loaded = Forecaster.load(path)
    assert loaded.get_params() == model.get_params()
    assert loaded.strategy_ == model.strategy_ and loaded.scaler_ == model.scaler_
    pd.testing.assert_frame_equal(loaded.predict(series), model.predict(), check_exact=True)
    assert [p.name for p in tmp_path.iterdir()] == ["model.seqcast"]
    with pytest.raises(SeqcastError, match="give the data to forecast from"):
        loaded.predict()


def test_a_failed_save_keeps_the_earlier_file_and_leaves_no_temporary(series, tmp_path):
    model = Forecaster("linear", **FAST).fit(series)
    path = tmp_path / "model.seqcast"
    model.save(path)
    before = path.read_bytes()

    def broken_save(*args, **kwargs):
        raise RuntimeError("disk full")

    retrained = Forecaster("linear", **{**FAST, "seed": 5}).fit(series)
    retrained.model_.save = broken_save
    with pytest.raises(RuntimeError, match="disk full"):
        retrained.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.seqcast"]


def test_loading_a_bundle_with_a_corrupt_model(linear, tmp_path):
    good = linear.save(tmp_path / "good.seqcast")
    with zipfile.ZipFile(good) as bundle:
        manifest = bundle.read("manifest.json")
    path = tmp_path / "bad.seqcast"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("manifest.json", manifest)
        bundle.writestr("model.keras", np.random.default_rng(0).bytes(400))
    with pytest.raises(SeqcastError, match="is not a readable seqcast model bundle"):
        Forecaster.load(path)


# ------------------------------------------------------------------------------ intervals


def test_intervals_from_mc_dropout(gru_dropout):
    forecast = gru_dropout.predict(intervals=0.9, samples=32)
    assert forecast.columns.tolist() == ["y", "lower", "upper"]
    assert len(forecast) == HORIZON
    assert (forecast["lower"] <= forecast["upper"]).all()
    assert (forecast["upper"] - forecast["lower"]).min() > 0  # dropout makes the samples differ
    narrow = gru_dropout.predict(intervals=0.5, samples=32)
    # Same seed, same samples: the 50 % band lies inside the 90 % one.
    assert (narrow["lower"] >= forecast["lower"]).all()
    assert (narrow["upper"] <= forecast["upper"]).all()
    pd.testing.assert_series_equal(narrow["y"], forecast["y"])


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.9])
def test_an_interval_level_outside_0_1_is_refused(level, gru_dropout):
    with pytest.raises(SeqcastError, match="between 0 and 1"):
        gru_dropout.predict(intervals=level)


def test_mc_dropout_intervals_need_dropout(linear):
    with pytest.raises(SeqcastError, match=r"without dropout.*dropout=0\.2"):
        linear.predict(intervals=0.9, interval_method="mc_dropout")


def test_residual_intervals_are_the_validation_errors_around_the_forecast(linear, series):
    forecast = linear.predict(intervals=0.8)  # no dropout: "auto" takes the residuals
    residuals = linear.residuals_
    assert residuals.shape == (60 - HORIZON + 1, HORIZON)  # one row per validation origin
    point = forecast["y"].to_numpy()
    # the note says where the band misses the forecast (this short-trained model is biased)
    note = one_sided_note(point, forecast["lower"], forecast["upper"], 0.8, "residuals")
    assert forecast.attrs["interval"] == {"level": 0.8, "method": "residuals", "note": note}
    np.testing.assert_allclose(forecast["lower"], point + np.quantile(residuals, 0.1, axis=0))
    np.testing.assert_allclose(forecast["upper"], point + np.quantile(residuals, 0.9, axis=0))
    without = Forecaster("linear", **FAST).fit(series)  # neither valid nor dropout
    with pytest.raises(SeqcastError, match="neither dropout nor validation errors"):
        without.predict(intervals=0.9)


def test_residual_intervals_cover_about_what_they_promise():
    """On points neither training nor validation saw, a 90 % band holds about 90 % of them."""
    t = np.arange(1200)
    noise = np.random.default_rng(3).normal(size=len(t))
    frame = pd.DataFrame({"y": 5 * np.sin(2 * np.pi * t / 24) + noise})
    model = Forecaster("linear", window=48, horizon=1, epochs=30, verbose=0)
    model.fit(frame.iloc[:900], valid=0.25)
    low, high = np.quantile(model.residuals_[:, 0], [0.05, 0.95])
    test = model.backtest(frame, start=900, compare=False)
    errors = test.actual[:, 0] - test.forecasts["linear"][:, 0]
    coverage = np.mean((errors >= low) & (errors <= high))
    assert 0.83 < coverage < 0.97, coverage


def test_dropout_on_a_model_without_a_dropout_setting_is_refused(series):
    with pytest.raises(SeqcastError, match="no dropout setting; use lstm, gru, encoder_decoder"):
        Forecaster("linear", dropout=0.2, **FAST).fit(series)


# ------------------------------------------------------------------------------ backtest


def test_backtest_scores_the_model_first_then_the_baselines(linear, series):
    result = linear.backtest(sarima=False)
    assert season_of("D") == 7 and result.season == 7
    methods = result.scores.index.tolist()
    assert methods[0] == "linear" and result.model_name == "linear"
    assert {"naive", "seasonal_naive"} <= set(methods[1:])
    assert "sarima" not in methods
    assert result.scores.columns.tolist() == ["MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE"]
    assert np.isfinite(result.scores.to_numpy()).all()
    first = linear.n_train_
    assert first == 240  # 20 % of 300 held out
    n_origins = N - HORIZON + 1 - first
    assert len(result.origins) == n_origins
    assert result.origins[0] == series.index[first]
    for name, forecast in result.forecasts.items():
        assert forecast.shape == (n_origins, HORIZON), name
    y = series["y"].to_numpy()
    expected_actual = np.array([y[o : o + HORIZON] for o in range(first, first + n_origins)])
    np.testing.assert_allclose(result.actual, expected_actual)
    # naive repeats the last value before each origin
    np.testing.assert_allclose(
        result.forecasts["naive"], np.repeat(y[first - 1 : first - 1 + n_origins, None], 3, 1)
    )
    assert result.winner() in methods
    text = str(result)
    assert "linear" in text and "naive" in text and f"{n_origins} origins" in text


def test_backtest_forecasts_equal_predict_on_the_data_cut_at_each_origin(linear, series):
    result = linear.backtest(compare=False)
    for k in (0, 17, len(result.origins) - 1):
        origin = series.index.get_loc(result.origins[k])
        forecast = linear.predict(series.iloc[:origin])
        assert forecast.index[0] == result.origins[k]
        np.testing.assert_allclose(
            result.forecasts["linear"][k], forecast["y"].to_numpy(), rtol=1e-6
        )


def test_backtest_stride_and_start(linear, series):
    every = linear.backtest(compare=False)
    strided = linear.backtest(compare=False, stride=5)
    assert strided.origins.equals(every.origins[::5])
    np.testing.assert_allclose(strided.forecasts["linear"], every.forecasts["linear"][::5])
    late = linear.backtest(start="2020-10-01", compare=False)
    assert late.origins[0] == pd.Timestamp("2020-10-01")
    assert len(late.origins) == N - HORIZON + 1 - series.index.get_loc("2020-10-01")


def test_backtest_without_season_skips_the_seasonal_baselines(linear):
    result = linear.backtest(season=1, sarima=False)
    assert "seasonal_naive" not in result.scores.index
    assert "naive" in result.scores.index
    assert "season 1" in result.skipped["seasonal_naive"]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2020-01-05", "leaves 4 points before it, fewer than the window 14"),
        ("2021-03-01", "after the last point of the data"),
        ("2020-10-26", "fewer than horizon = 3 values left"),
        ("someday", "is not a date"),
    ],
)
def test_backtest_start_out_of_range(start, message, linear):
    with pytest.raises(SeqcastError, match=message):
        linear.backtest(start=start, compare=False)


def test_backtest_bad_stride(linear):
    with pytest.raises(SeqcastError, match="stride must be a whole number"):
        linear.backtest(stride=0, compare=False)


# ------------------------------------------------------------------------------ lr_find


def test_lr_find_sweeps_the_course_schedule(series):
    model = Forecaster("linear", window=WINDOW, horizon=1, optimizer="sgd", momentum=0.9, verbose=0)
    sweep = model.lr_find(series, min_lr=1e-6, epochs=30)
    assert len(sweep.losses) == 30
    np.testing.assert_allclose(sweep.learning_rates, 1e-6 * 10 ** (np.arange(30) / 20))
    assert np.isfinite(sweep.losses).all()
    best = int(np.argmin(sweep.losses))
    assert sweep.learning_rates[0] <= sweep.suggestion <= sweep.learning_rates[best]
    with pytest.raises(SeqcastError, match="not fitted"):
        model.predict()  # the sweep's model is thrown away


def test_lr_find_stops_when_the_loss_diverges(series):
    model = Forecaster("linear", window=WINDOW, horizon=1, optimizer="sgd", momentum=0.9, verbose=0)
    with pytest.warns(UserWarning, match="the training loss became"):
        sweep = model.lr_find(series, min_lr=0.1, epochs=40)
    assert 1 < len(sweep.losses) < 40
    assert len(sweep.learning_rates) == len(sweep.losses)
    assert not np.isfinite(sweep.losses[-1])
    finite = np.isfinite(sweep.losses)
    best = int(np.argmin(np.where(finite, sweep.losses, np.inf)))
    assert sweep.learning_rates[0] <= sweep.suggestion <= sweep.learning_rates[best]


# ------------------------------------------------------------------------------ bad input


def _with_values(values, dates=None) -> pd.DataFrame:
    index = dates if dates is not None else pd.date_range("2020-01-01", periods=len(values))
    return pd.DataFrame({"y": values}, index=index)


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (
            _with_values(np.r_[np.arange(50.0), np.nan, np.arange(49.0)]),
            {},
            r"column 'y' has 1 missing value \(the first at 2020-02-20\)",
        ),
        (
            _with_values(
                np.arange(100.0),
                pd.DatetimeIndex(
                    [
                        *pd.date_range("2020-01-01", periods=50),
                        *pd.date_range("2020-02-19", periods=50),
                    ]
                ),
            ),
            {},
            r"the date 2020-02-19 appears more than once",
        ),
        (
            _with_values(["1.5"] * 40 + ["lots"] + ["2.5"] * 59),
            {},
            r"column 'y' is not numeric: it holds 'lots' at 2020-02-10",
        ),
        (
            _with_values(np.arange(16.0)),
            {},
            r"has 16 points, but a window of 14 plus a horizon of 3 needs at least 17",
        ),
        (
            _with_values(np.arange(100.0)),
            {"target": "sales"},
            r"unknown target column 'sales'; the columns are: y",
        ),
    ],
    ids=["nan", "duplicated-dates", "non-numeric", "too-short", "unknown-target"],
)
def test_bad_data_is_a_seqcast_error_that_names_the_problem(data, kwargs, message):
    with pytest.raises(SeqcastError, match=message):
        Forecaster("linear", **FAST).fit(data, **kwargs)


def test_a_validation_part_shorter_than_the_horizon(series):
    with pytest.raises(SeqcastError, match="the validation part has 2 points"):
        Forecaster("linear", **FAST).fit(series, valid="2020-10-25")


@pytest.mark.parametrize("valid", [0.0, 1.0, 1.5])
def test_a_validation_fraction_outside_0_1(valid, series):
    with pytest.raises(SeqcastError, match="between 0 and 1"):
        Forecaster("linear", **FAST).fit(series, valid=valid)


# ------------------------------------------------------------------------------ parameters


def test_get_params_set_params_round_trip():
    model = Forecaster("gru", window=12, horizon=4, scaler="minmax", dropout=0.1, seed=3)
    params = model.get_params()
    assert params["model"] == "gru" and params["window"] == 12 and params["scaler"] == "minmax"
    clone = Forecaster().set_params(**params)
    assert clone.get_params() == params
    assert repr(clone) == repr(model)
    assert repr(model).startswith("Forecaster('gru', window=12, horizon=4")
    assert clone.set_params(window=20) is clone and clone.window == 20
    with pytest.raises(SeqcastError, match="no parameter 'windows'"):
        clone.set_params(windows=20)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"window": 0}, "window must be a whole number of at least 1, got 0"),
        ({"window": 2.5}, "window must be a whole number"),
        ({"horizon": 0}, "horizon must be a whole number"),
        ({"horizon": "3"}, "horizon must be a whole number"),
        ({"epochs": 0}, "epochs must be a whole number"),
        ({"strategy": "recursive"}, "unknown strategy 'recursive'"),
        ({"scaler": "robust"}, "unknown scaler 'robust'"),
        ({"model": "lstmm"}, "unknown model 'lstmm'; choose one of:.*lstm"),
        ({"optimizer": "adamm"}, "unknown optimizer 'adamm'"),
    ],
)
def test_bad_parameters_are_refused(params, message, series):
    settings = {**FAST, **{k: v for k, v in params.items() if k != "model"}}
    with pytest.raises(SeqcastError, match=message):
        Forecaster(params.get("model", "linear"), **settings).fit(series)


# ------------------------------------------------------------------------------ differencing


def test_a_differenced_model_follows_a_trend_beyond_the_training_range():
    """A level it never saw defeats a GRU; its changes it has seen (the CO2 lesson)."""
    t = np.arange(400)
    noise = 0.3 * np.random.default_rng(1).normal(size=len(t))
    frame = pd.DataFrame({"y": 0.5 * t + np.sin(2 * np.pi * t / 12) + noise})
    errors = {}
    for lag in (None, 1):
        model = Forecaster("gru", window=24, horizon=3, epochs=30, difference=lag, verbose=0)
        model.fit(frame.iloc[:300], valid=0.2)
        errors[lag] = model.backtest(frame, start=300, compare=False).scores["MAE"].iloc[0]
    assert errors[1] < 0.5 * errors[None], errors
    bad = Forecaster("linear", difference=0)
    with pytest.raises(SeqcastError, match="difference"):
        bad.fit(frame)


# ------------------------------------------------------------------------------ known covariates


def promo_frame(n: int = 400) -> pd.DataFrame:
    """Sales that jump by 8 on promotion days, which are planned (known in advance)."""
    rng = np.random.default_rng(0)
    promo = (rng.random(n) < 0.2).astype(float)
    t = np.arange(n)
    sales = 20 + np.sin(2 * np.pi * t / 7) + 8 * promo + 0.5 * rng.normal(size=n)
    index = pd.date_range("2022-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"sales": sales, "promo": promo}, index=index)


def test_known_covariates_are_read_up_to_the_end_of_the_horizon():
    frame = promo_frame()
    errors = {}
    for kind in ("covariates", "known_covariates"):
        model = Forecaster("gru", window=14, horizon=3, epochs=40, verbose=0)
        model.fit(frame.iloc[:320], valid=0.2, **{kind: ["promo"]})
        errors[kind] = model.backtest(frame, start=frame.index[320], compare=False)
    past = errors["covariates"].scores["MAE"].iloc[0]
    known = errors["known_covariates"].scores["MAE"].iloc[0]
    # Read only up to the origin, the promotions of the horizon are a surprise.
    assert known < 0.5 * past, (known, past)
    future_dates = pd.date_range(frame.index[-1] + pd.Timedelta(days=1), periods=3, freq="D")
    future = pd.DataFrame({"promo": [1.0, 0.0, 1.0]}, index=future_dates)
    forecast = model.predict(frame, future=future)["sales"].to_numpy()
    assert forecast[0] - forecast[1] > 4 and forecast[2] - forecast[1] > 4  # promotion days
    with pytest.raises(SeqcastError, match="future="):
        model.predict(frame)
    with pytest.raises(SeqcastError, match=r"lack 1 of the 3 dates after the data: [0-9-]+;"):
        model.predict(frame, future=future.iloc[:2])
    with pytest.raises(SeqcastError, match="lack the column"):
        model.predict(frame, future=future.rename(columns={"promo": "price"}))


def test_a_failed_refit_leaves_the_fitted_model_whole():
    frame = promo_frame(200)
    model = Forecaster("linear", window=14, horizon=3, epochs=2, verbose=0)
    model.fit(frame, known_covariates=["promo"])
    dates = pd.date_range(frame.index[-1] + pd.Timedelta(days=1), periods=3, freq="D")
    future = pd.DataFrame({"promo": [1.0, 0.0, 1.0]}, index=dates)
    before = model.predict(frame, future=future)
    # data that reads well, then a bad setting: the failure comes after the data checks
    with pytest.raises(SeqcastError, match="between 0 and 1"):
        model.fit(frame, covariates=["promo"], valid=1.5)
    assert model.known_ == ("promo",) and model.covariates_ == ()
    pd.testing.assert_frame_equal(model.predict(frame, future=future), before)


# ------------------------------------------------------------------------------ gaps, duplicates


def test_fit_remembers_fill_and_duplicates_for_new_data(tmp_path):
    frame = daily_frame(120)
    gappy = frame.drop(pd.date_range("2020-03-10", periods=2))  # two days missing
    doubled = pd.concat([gappy, gappy.iloc[[20]]]).sort_index()  # and a repeated row
    model = Forecaster("linear", window=5, horizon=2, epochs=2, verbose=0)
    model.fit(doubled, fill="interpolate")
    assert model.series_.notes == (
        "dropped 1 exact duplicate row (same date, same values)",
        "filled 2 missing points (--fill interpolate)",
    )
    path = model.save(tmp_path / "m.seqcast")
    loaded = Forecaster.load(path)
    assert (loaded.fill_, loaded.duplicates_) == ("interpolate", "error")
    assert loaded.predict(doubled).index[0] == frame.index[-1] + pd.Timedelta(days=1)
    result = loaded.backtest(doubled, start="2020-03-01", compare=False)
    assert result.unscored == 4  # each filled day, forecast 1 and 2 steps ahead
    with pytest.raises(SeqcastError, match=r"has a gap: after 2020-03-09 .*--fill interpolate"):
        loaded.predict(gappy, fill="none")


# ------------------------------------------------------------------------------ text covariates

TINY = {"window": 5, "horizon": 2, "epochs": 2, "verbose": 0, "seed": 0}


def shop_csv(path, n: int = 120):
    """A shop's export: sales by day type (W weekdays, A Saturdays, U Sundays and holidays)."""
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    day = np.where(index.day_of_week < 5, "W", np.where(index.day_of_week == 5, "A", "U"))
    day[[0, 89]] = "U"  # New Year's Day, Easter Monday
    noise = np.random.default_rng(0).normal(size=n)
    sales = np.select([day == "W", day == "A"], [100.0, 60.0], 30.0) + 2 * noise
    rows = [f"{d:%Y-%m-%d},{s:.2f},{t}" for d, s, t in zip(index, sales, day)]
    path.write_text("date,sales,daytype\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_text_day_type_covariate_is_read_as_categories(tmp_path):
    data = shop_csv(tmp_path / "shop.csv")
    model = Forecaster("linear", **TINY).fit(data, target="sales", covariates=["daytype"])
    assert model.transform_.categories.levels == {"daytype": ("A", "U", "W")}
    assert model.model_.input_shape[-1] == 4  # sales + one input per day type
    forecast = model.predict(data)
    assert forecast.columns.tolist() == ["sales"] and np.isfinite(forecast["sales"]).all()
    later = pd.read_csv(data, index_col="date")
    later.iloc[-3, 1] = "X"
    with pytest.raises(
        SeqcastError,
        match=r"column 'daytype' holds 'X' \(first at 2024-04-27\), a category the model did "
        r"not see in training; it knows 'A', 'U', 'W'",
    ):
        model.predict(later)


def test_a_known_text_covariate_takes_its_future_values_as_text(tmp_path):
    data = shop_csv(tmp_path / "shop.csv")
    model = Forecaster("linear", **TINY).fit(data, target="sales", known_covariates=["daytype"])
    assert model.transform_.known == 3 and model.model_.input_shape[-1] == 4
    dates = pd.date_range("2024-04-30", periods=2, freq="D")
    forecast = model.predict(data, future=pd.DataFrame({"daytype": ["W", "U"]}, index=dates))
    assert forecast.index.equals(dates) and np.isfinite(forecast["sales"]).all()
    with pytest.raises(SeqcastError, match=r"column 'daytype' holds 'H' \(first at 2024-05-01\)"):
        model.predict(data, future=pd.DataFrame({"daytype": ["W", "H"]}, index=dates))


def test_text_categories_survive_save_and_load(tmp_path):
    data = shop_csv(tmp_path / "shop.csv")
    model = Forecaster("linear", **TINY).fit(data, target="sales", covariates=["daytype"])
    loaded = Forecaster.load(model.save(tmp_path / "shop.seqcast"))
    assert loaded.transform_.categories == model.transform_.categories
    assert loaded.transform_.bounds == model.transform_.bounds
    pd.testing.assert_frame_equal(loaded.predict(data), model.predict(data))


# ------------------------------------------------------------------------------ far from training


def test_data_far_outside_the_training_range_is_warned_about(linear, series):
    from seqcast.errors import SeqcastWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # in range: no warning at all
        linear.predict(series)
        linear.predict(series * 1.3)
    with pytest.warns(
        SeqcastWarning, match=r"column 'y' goes from 1\d\d.* to 1\d\d.* in the inputs"
    ):
        linear.predict(series * 10)
    with pytest.warns(SeqcastWarning, match=r"far outside its range from 9.* to 1\d.* in training"):
        linear.backtest(series * 10, start=series.index[250], compare=False)


# ------------------------------------------------------------------------------ one-sided bands


def test_a_band_wholly_above_the_forecast_is_noted(series):
    """A model that under-forecast the validation part: its band lies above its forecast."""
    model = Forecaster("linear", **FAST).fit(series, valid=0.2)
    errors = model.residuals_
    model.residuals_ = errors - np.median(errors, axis=0)  # unbiased: the band holds the forecast
    assert model.predict(intervals=0.9).attrs["interval"]["note"] is None
    model.residuals_ = np.abs(errors) + 0.5  # every validation error positive
    forecast = model.predict(intervals=0.9)
    assert (forecast["lower"] > forecast["y"]).all()  # left as it is: not centred
    assert forecast.attrs["interval"]["note"].startswith(
        "the 90% band lies above the forecast at steps 1-3: the model under-forecast the "
        "validation part"
    )


# ------------------------------------------------------------------------------ ensembles


@pytest.fixture(scope="module")
def ensemble(series) -> Forecaster:
    return Forecaster("linear", ensemble=3, **{**FAST, "epochs": 6}).fit(series, valid=0.2)


def test_an_ensemble_forecasts_the_median_of_its_members(ensemble, series):
    assert len(ensemble.members_) == 3 and len(ensemble.member_histories_) == 3
    data = ensemble.read()
    request = Request(data.target, data, np.array([len(data)]))
    levels = ensemble._forecast_at(ensemble.data_, [request])[0].levels
    assert levels.shape == (3, 1, HORIZON)
    assert not np.allclose(levels[0], levels[1])  # members differ
    np.testing.assert_allclose(ensemble.predict()["y"], np.median(levels[:, 0], axis=0))
    # member 0 alone is the one-model fit with the same seed
    single = Forecaster("linear", **{**FAST, "epochs": 6}).fit(series, valid=0.2)
    np.testing.assert_allclose(single.predict()["y"], levels[0, 0], rtol=1e-5)


def test_the_ensemble_band_is_the_spread_of_the_members(ensemble):
    forecast = ensemble.predict(intervals=0.8, interval_method="ensemble")
    assert forecast.attrs["interval"]["method"] == "ensemble"
    assert (forecast["lower"] <= forecast["y"]).all() and (forecast["y"] <= forecast["upper"]).all()
    assert (forecast["upper"] > forecast["lower"]).all()


def test_the_ensemble_band_needs_an_ensemble(linear):
    with pytest.raises(SeqcastError, match=r"not an ensemble.*ensemble=10"):
        linear.predict(intervals=0.8, interval_method="ensemble")


def test_an_ensemble_saves_and_loads_every_member(ensemble, series, tmp_path):
    path = ensemble.save(tmp_path / "ensemble.seqcast")
    with zipfile.ZipFile(path) as bundle:
        assert "arrays.npz" in bundle.namelist()
    loaded = Forecaster.load(path)
    assert len(loaded.members_) == 3
    pd.testing.assert_frame_equal(
        loaded.predict(series, intervals=0.8, interval_method="ensemble"),
        ensemble.predict(intervals=0.8, interval_method="ensemble"),
        check_exact=True,
    )


def test_ensemble_size_is_checked(series):
    with pytest.raises(SeqcastError, match="ensemble"):
        Forecaster("linear", ensemble=0, **FAST).fit(series)


def test_report_can_stop_the_fit_early(series):
    seen = []

    def report(epoch, val_mae):
        seen.append((epoch, val_mae))
        return True

    model = Forecaster("linear", **{**FAST, "epochs": 50, "patience": None})
    model.fit(series, valid=0.2, report=report)
    assert model.stopped_by_report_ and len(seen) == 1
    assert len(model.history_["loss"]) == seen[0][0] < 50
    assert seen[0][1] == pytest.approx(model.history_["val_forecast_mae"][-1])


# ------------------------------------------------------------------------------ window scaling


@pytest.mark.parametrize(
    ("model", "strategy", "columns"),
    [
        ("linear", "direct", {}),
        ("gru", "auto", {"covariates": ["price"], "known_covariates": ["promo"]}),
        ("conv_gru", "auto", {}),
        ("deep_rnn_dense", "iterative", {}),
    ],
)
def test_window_scaling_forecasts_a_shifted_series_shifted(model, strategy, columns):
    """Each window is normalised by its own mean: 1000 more in, 1000 more out, unwarned."""
    frame = promo_frame(200).assign(price=lambda f: 3 + np.cos(np.arange(len(f)) / 5))
    params = {**FAST, "window": 8, "strategy": strategy, "scaler": "window"}
    fitted = Forecaster(model, **params).fit(frame, "sales", valid=0.2, **columns)
    assert fitted.model_.name.endswith("_window_scaled")
    dates = pd.date_range(frame.index[-1] + pd.Timedelta(days=1), periods=HORIZON, freq="D")
    future = pd.DataFrame({"promo": [1.0, 0.0, 1.0]}, index=dates) if columns else None
    shifted = frame.assign(sales=frame["sales"] + 1000)
    before = fitted.predict(frame, future=future)["sales"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "far outside the training range"
        after = fitted.predict(shifted, future=future)["sales"].to_numpy()
    # float32 rounding of values near 1000 is all that differs (eps 1.2e-7, relative)
    np.testing.assert_allclose(after, before + 1000, atol=1000 * 10 * np.finfo("float32").eps)


def test_without_window_scaling_the_shifted_series_is_not_followed():
    """The test above tells: the same model scaled globally stays near its trained level."""
    frame = promo_frame(200)
    fitted = Forecaster("linear", **{**FAST, "window": 8}).fit(frame, "sales", valid=0.2)
    with pytest.warns(SeqcastWarning, match="far outside"):
        after = fitted.predict(frame.assign(sales=frame["sales"] + 1000))["sales"].to_numpy()
    before = fitted.predict(frame)["sales"].to_numpy()
    assert np.abs(after - before - 1000).min() > 100


def test_a_window_scaled_forecaster_saves_and_loads(tmp_path):
    frame = promo_frame(200)
    model = Forecaster("gru", **{**FAST, "window": 8, "scaler": "window"})
    fitted = model.fit(frame, "sales", valid=0.2)
    loaded = Forecaster.load(fitted.save(tmp_path / "m.seqcast"))
    assert loaded.scaler == "window" and loaded.scaler_.kind == "window"
    pd.testing.assert_frame_equal(loaded.predict(frame), fitted.predict(frame))
    assert loaded.model_.get_layer("window_normalize").columns == (0,)


def test_an_ensemble_of_window_scaled_members_follows_a_shift(series):
    """Every member is built like the first: window-scaled too, so the median shifts."""
    model = Forecaster("linear", ensemble=2, scaler="window", **FAST).fit(series, valid=0.2)
    shifted = series + 1000.0
    np.testing.assert_allclose(
        model.predict(shifted)["y"], model.predict(series)["y"] + 1000.0, rtol=1e-5
    )
