"""Messages that name the series of a panel, and leave a lone series' alone."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel import read_panel
from seqcast.errors import SeqcastError
from seqcast.estimator.naming import named, of
from seqcast.estimator.reading import one_series


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
    assert of(many, "b", "the series") == "series 'b'"  # never "the series of series 'b'"
    assert of(lone, "a", "the series") == "the series"

    def fails():
        raise SeqcastError("the series has 2 points")

    with pytest.raises(SeqcastError, match=r"^series 'b': the series has 2 points$"):
        named(many, "b", fails)
    with pytest.raises(SeqcastError, match=r"^the series has 2 points$"):
        named(lone, "a", fails)
