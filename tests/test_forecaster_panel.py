"""A Forecaster over many series: one network, a transform per series, long-format forecasts."""

import warnings

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast import Forecaster
from seqcast.errors import SeqcastError, SeqcastWarning

FAST = {"window": 12, "horizon": 3, "epochs": 4, "verbose": 0, "seed": 0}


def store_table(scales=(10.0, 1e6, 0.1), lengths=(90, 80, 100), seed=0) -> pd.DataFrame:
    """Long format: monthly sales of stores whose sizes differ by up to ten million times."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, (scale, n) in enumerate(zip(scales, lengths)):
        dates = pd.date_range("2010-01-01", periods=n, freq="MS") + pd.DateOffset(months=3 * k)
        season = np.sin(np.arange(n) * 2 * np.pi / 12)
        sales = scale * (5 + season + 0.1 * rng.normal(size=n))
        region = ("north", "south", "north")[k % 3]
        rows.append(
            pd.DataFrame({"store": f"s{k}", "date": dates, "sales": sales, "region": region})
        )
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return store_table()


@pytest.fixture(scope="module")
def fitted(table) -> Forecaster:
    return Forecaster("gru", **FAST).fit(table, target="sales", id_column="store", valid=0.2)


def test_each_series_is_scaled_on_its_own_training_part(fitted, table):
    offsets = {
        sid: t.scaler.offset[0]
        for sid, t in zip(fitted.transforms_.ids, fitted.transforms_.transforms)
    }
    for sid, group in table.groupby("store"):
        n_train = fitted.n_trains_[sid]
        assert offsets[sid] == pytest.approx(group["sales"].iloc[:n_train].mean())
    # the network reads every series at order 1: the millions do not dominate the tens
    assert np.isfinite(fitted.history_["loss"]).all()


def test_predict_returns_a_long_table_in_each_series_units(fitted, table):
    forecast = fitted.predict()
    assert list(forecast.columns) == ["store", "date", "sales"]
    assert list(forecast["store"].unique()) == ["s0", "s1", "s2"]
    assert (forecast.groupby("store").size() == FAST["horizon"]).all()
    for sid, group in table.groupby("store"):
        rows = forecast[forecast["store"] == sid]
        low, high = group["sales"].min(), group["sales"].max()
        width = high - low
        assert rows["sales"].between(low - width, high + width).all(), sid
        # the first forecast date is the month after that store's last one
        assert rows["date"].iloc[0] == group["date"].iloc[-1] + pd.DateOffset(months=1)


def test_a_panel_of_one_is_the_single_series_fit(table):
    one = table[table["store"] == "s0"].set_index("date")["sales"]
    single = Forecaster("gru", **FAST).fit(one, valid=0.2)
    as_panel = Forecaster("gru", **FAST).fit({"s0": one}, valid=0.2)
    long = as_panel.predict()
    assert list(long.columns[:2]) == ["series", "date"]
    np.testing.assert_allclose(
        long.iloc[:, 2].to_numpy(), single.predict()["sales"].to_numpy(), rtol=1e-6
    )
    assert single.history_["loss"] == pytest.approx(as_panel.history_["loss"], rel=1e-6)


def test_a_saved_panel_model_forecasts_as_the_fitted_one(fitted, table, tmp_path):
    path = fitted.save(tmp_path / "stores.seqcast")
    loaded = Forecaster.load(path)
    want = fitted.predict(intervals=0.8)
    got = loaded.predict(table, intervals=0.8)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-6)
    assert isinstance(loaded.residuals_, dict) and set(loaded.residuals_) == {"s0", "s1", "s2"}


def test_a_series_not_fitted_on_is_forecast_by_its_own_scale(fitted, table):
    new = table[table["store"] == "s1"].assign(store="s9", sales=lambda f: f["sales"] / 1e5)
    forecast = fitted.predict(pd.concat([table, new]))
    rows = forecast[forecast["store"] == "s9"]
    assert len(rows) == FAST["horizon"]
    assert rows["sales"].between(new["sales"].min() / 2, new["sales"].max() * 2).all()


def test_an_id_embedding_reads_each_series_vector_and_refuses_unknown_series(table):
    model = Forecaster("gru", id_embedding=2, **FAST).fit(table, target="sales", id_column="store")
    assert any(layer.name == "series_embedding" for layer in model.model_._flatten_layers())
    assert len(model.predict()) == 3 * FAST["horizon"]
    new = table[table["store"] == "s1"].assign(store="s9")
    with pytest.raises(SeqcastError, match="series 's9' was not in the data"):
        model.predict(new)


def test_static_columns_are_read_as_categories(table):
    model = Forecaster("linear", **FAST).fit(
        table, target="sales", id_column="store", static=["region"]
    )
    assert model.transform_.categories.levels == {"region": ("north", "south")}
    assert model.static_ == ("region",)
    # target + two region columns
    assert model.model_.input_shape[-1] == 3


def test_too_short_a_series_is_named_left_out_and_forecast_by_a_baseline(table):
    tiny = table[table["store"] == "s0"].head(10).assign(store="tiny")
    short = pd.concat([table, tiny])
    with pytest.warns(SeqcastWarning) as caught:
        model = Forecaster("linear", **FAST).fit(short, target="sales", id_column="store")
    assert [str(w.message) for w in caught if w.category is SeqcastWarning] == [
        "left 1 series out of training, too short for a window of 12 plus a horizon of 3: "
        "tiny (10 points)"
    ]
    assert set(model.n_trains_) == {"s0", "s1", "s2"}
    with pytest.warns(SeqcastWarning, match=r"tiny \(10 points, naive\)$"):
        forecast = model.predict()
    assert list(forecast.columns) == ["store", "date", "sales", "method"]
    rows = forecast[forecast["store"] == "tiny"]
    assert rows["method"].tolist() == ["naive"] * 3  # monthly: less than a season of 12
    assert rows["sales"].tolist() == [tiny["sales"].iloc[-1]] * 3
    # the other series are forecast as by the model fitted without the short one
    alone = Forecaster("linear", **FAST).fit(table, target="sales", id_column="store").predict()
    network = forecast[forecast["method"] == "linear"].drop(columns="method")
    pd.testing.assert_frame_equal(network, alone)
    with pytest.warns(SeqcastWarning, match="left 1 series out of the backtest"):
        scored = model.backtest(short, start="2016-01-01", sarima=False)
    assert scored.ids == ["s0", "s1", "s2"]


def test_many_series_are_window_scaled_by_default_one_is_not(fitted, table):
    assert fitted.transform_.scaler.kind == "window"
    one = table[table["store"] == "s0"].set_index("date")["sales"]
    assert Forecaster("linear", **FAST).fit(one).transform_.scaler.kind == "standard"


def test_far_levels_warn_naming_the_series(table):
    # window scaling has no level to leave: the warning concerns the standard scaler
    model = Forecaster("linear", scaler="standard", **FAST)
    model.fit(table, target="sales", id_column="store", valid=0.2)
    far = table.assign(sales=np.where(table["store"] == "s2", table["sales"] * 100, table["sales"]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.predict(far)
    messages = [str(w.message) for w in caught]
    assert any("series 's2'" in m for m in messages), messages


def test_the_encoder_decoder_reads_known_covariates_of_each_series():
    rng = np.random.default_rng(1)
    rows = []
    for k in range(3):
        dates = pd.date_range("2020-01-01", periods=120, freq="D")
        promo = (rng.random(120) < 0.3).astype(float)
        sales = (k + 1) * (10 + 5 * promo + rng.normal(scale=0.1, size=120))
        rows.append(pd.DataFrame({"shop": f"p{k}", "date": dates, "sales": sales, "promo": promo}))
    table = pd.concat(rows, ignore_index=True)
    model = Forecaster("encoder_decoder", window=14, horizon=4, epochs=30, verbose=0, seed=0)
    model.fit(table, target="sales", id_column="shop", known_covariates=["promo"])
    dates = pd.date_range("2020-04-30", periods=4, freq="D")
    plan = pd.DataFrame(
        {
            "shop": np.repeat(["p0", "p1", "p2"], 4),
            "date": np.tile(dates, 3),
            "promo": [1.0, 0, 1, 0] * 3,
        }
    )
    forecast = model.predict(future=plan)
    # with a promotion planned, each shop's forecast is higher than without
    for k in range(3):
        values = forecast[forecast["shop"] == f"p{k}"]["sales"].to_numpy()
        assert values[0] > values[1] and values[2] > values[3], (k, values)
