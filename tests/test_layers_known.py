"""KnownFuture picks out each forecast step's known covariates, where the transform puts them."""

import keras
import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.data.transform import SeriesTransform, model_values
from seqcast.errors import SeqcastError
from seqcast.layers import KnownFuture


def test_it_is_the_last_horizon_rows_of_the_last_known_columns():
    x = np.random.default_rng(0).normal(size=(2, 6, 4)).astype("float32")
    got = np.asarray(KnownFuture(horizon=3, known=2)(x))
    np.testing.assert_array_equal(got, x[:, 3:, 2:])
    layer = KnownFuture.from_config(KnownFuture(3, 2).get_config())
    assert (layer.horizon, layer.known) == (3, 2)


@pytest.mark.parametrize("difference", [None, 1])
def test_the_window_before_an_origin_holds_the_covariates_of_its_forecast_steps(difference):
    # The covariate's value at data row i is 1000 + i, so each value names its row.
    n, window, horizon = 30, 6, 4
    rows = np.arange(n, dtype="float64")
    frame = pd.DataFrame({"y": np.sin(rows), "plan": 1000 + rows})
    transform = SeriesTransform.fit(
        frame, 20, window=window, horizon=horizon, difference=difference, known=1, scaler=None
    )
    future = (1000 + np.arange(n, n + horizon, dtype="float64"))[:, None]  # the dates after
    origins = np.array([window + (difference or 0), 17, n - horizon, n])
    x = transform.inputs_at(frame, origins, future)
    got = np.asarray(KnownFuture(horizon, known=1)(x))[:, :, 0]
    # forecast step j of origin t is data row t + j - 1
    expected = 1000 + origins[:, None] + np.arange(horizon)
    np.testing.assert_array_equal(got, expected)
    # and the whole column moved horizon steps earlier, the target untouched
    values = model_values(frame.to_numpy(), horizon=horizon, known=1)
    np.testing.assert_array_equal(values[: n - horizon, 1], 1000 + rows[horizon:])
    np.testing.assert_array_equal(values[:, 0], frame["y"].to_numpy("float32"))


def test_a_window_shorter_than_the_horizon_is_refused_built_or_called():
    with pytest.raises(SeqcastError, match=r"window \(2 steps\) is shorter than the horizon \(3\)"):
        KnownFuture(3, 1)(keras.Input((2, 2)))
    with pytest.raises(SeqcastError, match=r"window \(2 steps\) is shorter than the horizon"):
        KnownFuture(3, 1)(np.zeros((1, 2, 2), "float32"))
    with pytest.raises(SeqcastError, match=r"known must be a whole number of at least 1"):
        KnownFuture(3, 0)
