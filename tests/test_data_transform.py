"""SeriesTransform: values <-> model inputs <-> levels, fitted on the training part."""

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.data.scaling import Scaler
from seqcast.data.series import prepare_series
from seqcast.data.transform import SeriesTransform, known_future, model_values, training_end
from seqcast.errors import SeqcastError


def test_undifferencing_adds_each_change_to_the_value_it_changes_from():
    transform = SeriesTransform(
        window=4, horizon=5, difference=2, known=0, scaler=Scaler(None, (0.0,), (1.0,))
    )
    target = np.arange(20.0) ** 2
    origins = np.array([10, 15])
    # the true changes over 2 steps of t**2 at t = origin + step are 4 t - 4
    true_changes = np.array([[4.0 * (o + s) - 4 for s in range(5)] for o in origins])
    levels = transform.to_levels(np.append(target, np.arange(20, 25.0) ** 2), origins, true_changes)
    np.testing.assert_allclose(levels, [[(o + s) ** 2 for s in range(5)] for o in origins])


def test_the_shift_of_known_covariates_leaves_the_caller_data_alone():
    values = np.array([[0.0, 10], [1, 11], [2, 12], [3, 13]], dtype="float32")
    shifted = model_values(values, horizon=2, known=1, future=np.array([[14.0], [15.0]]))
    np.testing.assert_array_equal(shifted[:, 1], [12, 13, 14, 15])
    np.testing.assert_array_equal(shifted[:, 0], values[:, 0])
    np.testing.assert_array_equal(values[:, 1], [10, 11, 12, 13])  # untouched
    np.testing.assert_array_equal(model_values(values, horizon=2, known=1)[:, 1], [12, 13, 13, 13])


def _values(n: int = 60) -> np.ndarray:
    t = np.arange(n, dtype="float64")
    return np.stack([100 + 0.5 * t + np.sin(t), np.cos(t / 3), (t % 5 == 0) * 1.0], axis=1)


def test_inputs_at_match_a_numpy_reference():
    """Differencing, the known-covariate shift, scaling and windows, written out by hand."""
    values = _values()
    lag, horizon, window, n_train = 2, 3, 6, 40
    transform = SeriesTransform.fit(
        values, n_train, window=window, horizon=horizon, difference=lag, known=1
    )
    # by hand: shift the last column `horizon` rows earlier (repeat its last value), then
    # difference the target at `lag`, then standardise with the training rows' statistics
    promo = np.r_[values[horizon:, 2], np.repeat(values[-1, 2], horizon)]
    model = np.stack([values[lag:, 0] - values[:-lag, 0], values[lag:, 1], promo[lag:]], axis=1)
    mean, std = model[:n_train].mean(axis=0), model[:n_train].std(axis=0)
    np.testing.assert_allclose(transform.scaler.offset, mean, rtol=1e-5)
    np.testing.assert_allclose(transform.scaler.scale, std, rtol=1e-5)
    origins = np.array([10, 33, 60])
    x = transform.inputs_at(values, origins)
    assert x.shape == (3, window, 3) and x.dtype == np.float32
    scaled = (model - mean) / std
    for row, origin in zip(x, origins):
        np.testing.assert_allclose(row, scaled[origin - lag - window : origin - lag], atol=1e-5)


@pytest.mark.parametrize("scaler", ["standard", "minmax", None])
@pytest.mark.parametrize("difference", [None, 1, 3])
def test_levels_round_trip_through_the_model_values(scaler, difference):
    """Scaling the true future changes and taking them back to levels gives the true values."""
    values = _values()[:, :1]
    horizon = 4
    transform = SeriesTransform.fit(
        values, 30, window=5, horizon=horizon, difference=difference, scaler=scaler
    )
    target = values[:, 0]
    origins = np.array([20, 41, 56])
    scaled = transform.scaled(values)[:, 0]  # row r is the data row r + lag
    lag = transform.lag
    outputs = np.array([scaled[o - lag : o - lag + horizon] for o in origins])
    levels = transform.to_levels(target, origins, outputs)
    np.testing.assert_allclose(levels, [target[o : o + horizon] for o in origins], rtol=1e-5)


def test_the_transform_is_frozen_and_fitted_on_the_training_rows_only():
    values = _values()
    early = SeriesTransform.fit(values, 20, window=5, horizon=1)
    late = SeriesTransform.fit(values, 50, window=5, horizon=1)
    assert early.scaler.offset[0] < late.scaler.offset[0]  # the trend: later rows are higher
    with pytest.raises(AttributeError):
        early.window = 7


def test_training_end_from_a_fraction_a_date_or_nothing():
    index = pd.date_range("2020-01-01", periods=100, freq="D")
    assert training_end(index, None) == 100
    assert training_end(index, 0.2) == 80
    assert training_end(index, 0.001) == 99  # at least one validation point
    assert training_end(index, "2020-03-01") == 60
    with pytest.raises(SeqcastError, match="valid must be a number between 0 and 1"):
        training_end(index, 1.5)
    with pytest.raises(SeqcastError, match="nothing left to train"):
        training_end(index, "2020-01-01")


def test_known_future_values_are_checked():
    index = pd.date_range("2022-01-01", periods=10, freq="D")
    series = prepare_series(
        pd.DataFrame({"y": np.arange(10.0), "promo": 0.0}, index=index), "y", ["promo"]
    )
    dates = pd.date_range("2022-01-11", periods=2, freq="D")
    future = pd.DataFrame({"promo": [1.0, 0.0]}, index=dates)
    np.testing.assert_array_equal(known_future(series, future, ("promo",), 2), [[1.0], [0.0]])
    assert known_future(series, None, (), 2) is None
    with pytest.raises(SeqcastError, match="fitted without any"):
        known_future(series, future, (), 2)
    with pytest.raises(SeqcastError, match="from 2022-01-11 to 2022-01-12 with future="):
        known_future(series, None, ("promo",), 2)
    with pytest.raises(SeqcastError, match="lack 1 of the 3 dates after the data: 2022-01-13;"):
        known_future(series, future, ("promo",), 3)
    with pytest.raises(SeqcastError, match="have missing values"):
        known_future(series, future.assign(promo=[1.0, np.nan]), ("promo",), 2)


# ------------------------------------------------------------------------------ text covariates


def _shop(n: int = 28) -> pd.DataFrame:
    """Sales by day type: W on weekdays, A on Saturdays, U on Sundays and a holiday."""
    index = pd.date_range("2024-01-01", periods=n, freq="D", name="date")
    day = np.where(index.day_of_week < 5, "W", np.where(index.day_of_week == 5, "A", "U"))
    day[0] = "U"  # New Year's Day
    sales = np.select([day == "W", day == "A"], [100.0, 60.0], 30.0) + np.arange(n) * 0.1
    frame = pd.DataFrame({"sales": sales, "day": day}, index=index)
    return prepare_series(frame, "sales", ["day"]).frame


def test_text_covariates_are_one_hot_and_not_scaled():
    frame = _shop()
    transform = SeriesTransform.fit(frame, 21, window=5, horizon=2, categorical=["day"])
    assert transform.categories.levels == {"day": ("A", "U", "W")}
    assert transform.categories.names(frame.columns) == ["sales", "day=A", "day=U", "day=W"]
    encoded = transform.encode(frame)
    assert encoded.shape == (28, 4)
    np.testing.assert_array_equal(encoded[:3, 1:], [[0, 1, 0], [0, 0, 1], [0, 0, 1]])
    # the target is standardised; the 0/1 columns stay 0/1 (a rare category stays 1, not 10)
    assert transform.scaler.offset[1:] == (0.0, 0.0, 0.0)
    assert transform.scaler.scale[1:] == (1.0, 1.0, 1.0)
    np.testing.assert_array_equal(transform.scaled(frame)[:3, 1:], encoded[:3, 1:])
    assert transform.inputs_at(frame, np.array([10, 28])).shape == (2, 5, 4)


def test_a_known_text_covariate_shifts_all_its_category_columns():
    frame = _shop()
    transform = SeriesTransform.fit(frame, 21, window=5, horizon=2, known=1, categorical=["day"])
    assert transform.known == 3  # one known column, three categories
    future = known_future(
        prepare_series(frame, "sales", ["day"]),
        pd.DataFrame({"day": ["U", "W"]}, index=pd.date_range("2024-01-29", periods=2)),
        ("day",),
        2,
        transform.categories,
    )
    np.testing.assert_array_equal(future, [[0, 1, 0], [0, 0, 1]])
    shifted = transform.model_values(frame, future)
    np.testing.assert_array_equal(shifted[-2:, 1:], future)  # the horizon's day types


def test_an_unseen_category_names_the_column_the_value_its_date_and_the_known_ones():
    frame = _shop()
    transform = SeriesTransform.fit(frame, 21, window=5, horizon=2, categorical=["day"])
    later = frame.copy()
    later.iloc[[9, 12], 1] = "H"
    with pytest.raises(
        SeqcastError,
        match=r"column 'day' holds 'H' \(first at 2024-01-10\), a category the model did not "
        r"see in training; it knows 'A', 'U', 'W'; fit the model again",
    ):
        transform.encode(later)


def test_far_outside_the_training_range_is_said_and_in_range_is_not():
    frame = _shop()
    transform = SeriesTransform.fit(frame, 21, window=5, horizon=2, categorical=["day"])
    origins = np.array([28])
    assert transform.far_outside(frame, origins) is None
    assert transform.far_outside(frame.assign(sales=frame["sales"] * 1.2), origins) is None
    message = transform.far_outside(frame.assign(sales=frame["sales"] * 10), origins)
    assert message.startswith("column 'sales' goes from 327 to 1025 in the inputs, far ")
    assert "outside its range from 30 to 101.8 in training" in message
    assert "difference=1 (--difference 1)" in message
    assert "scaler='window' (--scaler window)" in message
    old = SeriesTransform(5, 2, None, 0, transform.scaler, transform.categories)  # no bounds
    assert old.far_outside(frame.assign(sales=frame["sales"] * 10), origins) is None


def test_window_scaling_names_the_numeric_columns_and_warns_of_no_range():
    frame = _shop().assign(price=lambda f: np.arange(len(f), dtype=float))
    transform = SeriesTransform.fit(
        frame, 21, window=5, horizon=2, categorical=["day"], scaler="window"
    )
    assert transform.window_scaled and transform.scaler.kind == "window"
    assert transform.window_scaling(frame.columns) == [0, 4]  # sales, price; not day=A/U/W
    assert transform.far_outside(frame.assign(sales=frame["sales"] * 10), np.array([28])) is None
    standard = SeriesTransform.fit(frame, 21, window=5, horizon=2, categorical=["day"])
    assert not standard.window_scaled and standard.window_scaling(frame.columns) is None


def test_a_short_future_file_says_which_dates_it_lacks(tmp_path):
    """An export of the planned promotions that stops a day after the data ends."""
    index = pd.date_range("2024-02-20", "2024-03-01", freq="D")
    series = prepare_series(
        pd.DataFrame({"sales": np.arange(11.0), "promo": 0.0}, index=index), "sales", ["promo"]
    )
    planned = tmp_path / "promotions.csv"
    planned.write_text("date,promo\n2024-03-01,0\n2024-03-02,1\n")
    with pytest.raises(SeqcastError) as caught:
        known_future(series, planned, ("promo",), 3)
    assert str(caught.value) == (
        "the future values lack 2 of the 3 dates after the data: 2024-03-03, 2024-03-04; "
        "give promo for 2024-03-02 to 2024-03-04"
    )
    planned.write_text("date,promo\n2024-03-02,1\n2024-03-02,1\n2024-03-03,0\n")
    with pytest.raises(SeqcastError, match="give 2024-03-02 more than once; keep one row"):
        known_future(series, planned, ("promo",), 2)


def test_messages_name_the_arguments_as_the_caller_writes_them():
    from seqcast.spelling import spelled_as

    index = pd.date_range("2020-01-01", periods=10, freq="D")
    series = prepare_series(pd.DataFrame({"y": np.arange(10.0)}, index=index), "y")
    with pytest.raises(SeqcastError, match=r"^valid 2020-01-01 is at or before the first point"):
        training_end(index, "2020-01-01")
    with spelled_as(
        {"valid": "--valid-from", "future=": "--future", "known_covariates=": "--known"}
    ):
        with pytest.raises(SeqcastError, match=r"^--valid-from 2020-01-01 is at or before the"):
            training_end(index, "2020-01-01")
        with pytest.raises(SeqcastError, match=r"^--valid-from 'soon' is not a date"):
            training_end(index, "soon")
        with pytest.raises(SeqcastError) as caught:
            known_future(series, pd.DataFrame({"promo": [1.0]}), (), 1)
    assert str(caught.value) == (
        "--future gives known covariates, but this model was fitted without any; leave "
        "--future out, or fit with known covariates (--known)"
    )
