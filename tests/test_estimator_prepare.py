"""What a fit reads of a panel before it trains: statics, partitioned refusals."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel import read_panel
from seqcast.errors import SeqcastError
from seqcast.estimator.prepare import refuse_partition_wide, resolved_scaler, text_statics


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


def test_auto_scaling_is_standard_for_one_series_window_for_many():
    one = read_panel({"a": pd.Series(np.arange(5.0))})
    many = read_panel({"a": pd.Series(np.arange(5.0)), "b": pd.Series(np.ones(5))})
    assert resolved_scaler("auto", one) == "standard"
    assert resolved_scaler("auto", many) == "window"
    assert resolved_scaler(None, many) is None
