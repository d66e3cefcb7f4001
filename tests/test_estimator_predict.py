"""The table predict returns: one frame for one series, a long table for many."""

import numpy as np
import pandas as pd

from seqcast.data.panel import read_panel
from seqcast.estimator.predict import long_format


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
