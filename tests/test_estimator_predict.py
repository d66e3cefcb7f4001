"""The table predict returns: one frame for one series, a long table for many."""

from types import SimpleNamespace

import numpy as np
import pandas as pd

from seqcast.data.panel import read_panel
from seqcast.estimator.predict import long_format, with_baselines


def panel():
    dates = pd.date_range("2024-01-01", periods=5, freq="D", name="date")
    return read_panel(
        {"a": pd.Series(np.arange(5.0), index=dates), "b": pd.Series(np.ones(5), index=dates)}
    )


def test_long_format_stacks_each_series_forecast_with_its_id():
    many = panel()
    dates = pd.date_range("2024-01-06", periods=2, freq="D", name="date")
    frames = [
        pd.DataFrame({"value": [1.0, 2.0]}, index=dates),
        pd.DataFrame({"value": [3.0, 4.0]}, index=dates),
    ]
    table = long_format(many, frames, intervals=None)
    assert list(table.columns) == ["series", "date", "value"]
    assert table["series"].tolist() == ["a", "a", "b", "b"]
    assert table["value"].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_a_short_series_baseline_rows_are_labelled_and_have_no_band():
    many = panel()  # a: 0 .. 4, b: ones
    dates = pd.date_range("2024-01-06", periods=2, freq="D", name="date")
    banded = pd.DataFrame({"value": [5.0, 6.0], "lower": [4.0, 5.0], "upper": [6.0, 7.0]}, dates)
    banded.attrs["interval"] = {"level": 0.8, "method": "residuals", "note": None}
    params = SimpleNamespace(model_name="gru", horizon=2)
    table = with_baselines(params, many, {"a": banded}, intervals=0.8, season=7)
    assert list(table.columns) == ["series", "date", "value", "lower", "upper", "method"]
    assert table["method"].tolist() == ["gru", "gru", "naive", "naive"]  # b: under a season
    assert table["value"].tolist() == [5.0, 6.0, 1.0, 1.0]
    assert table["lower"].isna().tolist() == [False, False, True, True]
    assert table.attrs["interval"] == {"level": 0.8, "method": "residuals", "note": None}
