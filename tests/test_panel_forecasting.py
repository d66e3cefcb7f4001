"""A forecaster's bookkeeping of many series: names in messages, long tables, future by id."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel import read_panel
from seqcast.errors import SeqcastError
from seqcast.panel_forecasting import (
    future_by_series,
    long_format,
    named,
    of,
    one_series,
    refuse_partition_wide,
    text_statics,
)


def panel():
    dates = pd.date_range("2024-01-01", periods=5, freq="D", name="date")
    return read_panel(
        {"a": pd.Series(np.arange(5.0), index=dates), "b": pd.Series(np.ones(5), index=dates)}
    )


def test_messages_name_a_series_of_a_panel_but_not_a_lone_series():
    many = panel()
    lone = one_series(many.get("a"))
    assert of(many, "b", "the training part") == "the training part of series 'b'"
    assert of(lone, "a", "the training part") == "the training part"

    def fails():
        raise SeqcastError("the series has 2 points")

    with pytest.raises(SeqcastError, match=r"^series 'b': the series has 2 points$"):
        named(many, "b", fails)
    with pytest.raises(SeqcastError, match=r"^the series has 2 points$"):
        named(lone, "a", fails)


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


def test_the_future_of_many_series_is_split_by_id():
    future = pd.DataFrame(
        {"store": ["x", "y", "x"], "date": ["2024-01-06"] * 3, "promo": [1, 0, 1]}
    )
    split = future_by_series(future, "store")
    assert sorted(split) == ["x", "y"] and len(split["x"]) == 2
    with pytest.raises(SeqcastError, match="no 'shop' column"):
        future_by_series(future, "shop")


def test_text_statics_are_the_non_numeric_ones():
    dates = pd.date_range("2024-01-01", periods=4, freq="D").tolist()
    table = pd.DataFrame(
        {
            "id": ["a"] * 4 + ["b"] * 4,
            "date": dates * 2,
            "y": np.arange(8.0),
            "region": ["n"] * 4 + ["s"] * 4,
            "size": [1.0] * 4 + [2.0] * 4,
        }
    )
    many = read_panel(table, "y", id_column="id", static=["region", "size"])
    assert text_statics(many) == ["region"]


def test_a_partitioned_fit_refuses_what_needs_every_series(monkeypatch):
    import jax

    dates = pd.date_range("2024-01-01", periods=4, freq="D").tolist()
    table = pd.DataFrame(
        {
            "id": ["a"] * 4 + ["b"] * 4,
            "date": dates * 2,
            "y": np.arange(8.0),
            "day": ["w", "h"] * 4,
            "size": [1.0] * 4 + [2.0] * 4,
        }
    )
    with_static = read_panel(table, "y", id_column="id", static=["size"])
    with_text = read_panel(table, "y", ["day"], id_column="id")
    plain = read_panel(table, "y", id_column="id")
    refuse_partition_wide(with_static, id_embedding=4)  # one process holds every series
    monkeypatch.setattr(jax, "process_count", lambda: 2)
    with pytest.raises(SeqcastError, match=r"static columns \(size\) or an id embedding"):
        refuse_partition_wide(with_static, id_embedding=4)
    with pytest.raises(SeqcastError, match=r"text covariates \(day\)"):
        refuse_partition_wide(with_text, id_embedding=0)
    refuse_partition_wide(plain, id_embedding=0)
