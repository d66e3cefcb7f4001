"""A panel's series too short for the model: left out of training and backtests, forecast by
a baseline; a lone series, or every series, too short is still one error."""

import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel import read_panel
from seqcast.errors import SeqcastError, SeqcastWarning
from seqcast.estimator.reading import one_series
from seqcast.estimator.short_series import (
    baseline_forecast,
    readable,
    scorable,
    subpanel,
    trainable,
)

PARAMS = SimpleNamespace(window=14, horizon=3, difference=None, strategy="direct")


def daily(n: int, start: str = "2024-01-01") -> pd.Series:
    index = pd.date_range(start, periods=n, freq="D", name="date")
    return pd.Series(np.arange(n, dtype=float), index=index)


def stores(**lengths: int):
    return read_panel({name: daily(n) for name, n in lengths.items()})


def test_a_series_too_short_for_one_window_is_left_out_of_training_and_named():
    panel = stores(big=40, tiny=3, mid=30)
    with pytest.warns(SeqcastWarning) as caught:
        trained, splits = trainable(PARAMS, panel, [40, 3, 30], "the series", stacklevel=1)
    assert [str(w.message) for w in caught] == [
        "left 1 series out of training, too short for a window of 14 plus a horizon of 3: "
        "tiny (3 points)"
    ]
    assert trained.ids == ("big", "mid") and splits == [40, 30]
    assert trained.get("mid") is panel.get("mid")


def test_the_training_part_and_the_differencing_lag_count():
    panel = stores(big=40, small=20)
    lagged = SimpleNamespace(**{**vars(PARAMS), "difference": 7})
    with pytest.warns(SeqcastWarning, match=r"plus the differencing lag 7: small \(16 points"):
        trainable(lagged, panel, [32, 16], "the training part", stacklevel=1)
    with pytest.warns(SeqcastWarning, match=r"small \(16 points before the validation part\)$"):
        trainable(PARAMS, panel, [32, 16], "the training part", stacklevel=1)


def test_every_series_too_short_is_one_error_naming_the_longest():
    panel = stores(a=5, b=9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an error, and no warning before it
        with pytest.raises(SeqcastError) as raised:
            trainable(PARAMS, panel, [5, 9], "the series", stacklevel=1)
    assert str(raised.value) == (
        "series 'b' has 9 points, but a window of 14 plus a horizon of 3 needs at least 17; "
        "use a shorter window or horizon, or more data"
    )


def test_a_lone_series_too_short_keeps_its_error():
    lone = one_series(stores(a=9).get("a"))
    with pytest.raises(SeqcastError, match=r"^the series has 9 points, but a window of 14"):
        trainable(PARAMS, lone, [9], "the series", stacklevel=1)


def test_series_shorter_than_the_window_are_warned_of_and_not_read():
    panel = stores(big=40, tiny=3, week=10)
    with pytest.warns(SeqcastWarning) as caught:
        assert readable(PARAMS, panel, season=7, stacklevel=1) == [0]
    assert str(caught[0].message) == (
        "2 series are shorter than the model's window of 14, so they get a baseline forecast "
        "instead, named in the 'method' column: tiny (3 points, naive), "
        "week (10 points, seasonal_naive)"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert readable(PARAMS, stores(a=3, b=5), season=7, stacklevel=1) == []  # refused
        assert readable(PARAMS, stores(a=30, b=15), season=7, stacklevel=1) == [0, 1]


def test_the_baseline_repeats_the_last_season_or_with_less_the_last_value():
    week = stores(week=10).get("week")  # values 0 .. 9
    frame, method = baseline_forecast(week, horizon=3, season=7)
    assert method == "seasonal_naive" and frame["value"].tolist() == [3.0, 4.0, 5.0]
    assert str(frame.index[0].date()) == "2024-01-11"
    frame, method = baseline_forecast(week, horizon=3, season=12)
    assert method == "naive" and frame["value"].tolist() == [9.0, 9.0, 9.0]


def test_a_backtest_leaves_out_the_series_with_no_origin():
    panel = stores(big=40, tiny=16, mid=30)
    with pytest.warns(SeqcastWarning) as caught:
        assert scorable(PARAMS, panel, None, stacklevel=1) == [0, 2]
    assert str(caught[0].message) == (
        "left 1 series out of the backtest, too short for a window of 14 plus a horizon of 3: "
        "tiny (16 points)"
    )
    # from the fitted data's validation part, a series left out of training has no start
    with pytest.warns(SeqcastWarning, match=r": tiny \(16 points\), mid \(30 points\)$"):
        assert scorable(PARAMS, panel, {"big": 32}, stacklevel=1) == [0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert scorable(PARAMS, stores(a=3, b=5), None, stacklevel=1) == [0, 1]  # its error


def test_a_subpanel_keeps_the_series_ids_and_statics_it_is_given():
    panel = stores(a=20, b=20, c=20)
    part = subpanel(panel, [2, 0])
    assert part.ids == ("c", "a") and list(part.statics.index) == ["c", "a"]
    assert subpanel(panel, [0, 1, 2]) is panel
