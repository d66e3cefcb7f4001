"""The one result type: a backtest of one series or of many, each shown as it always was."""

import numpy as np
import pandas as pd
import pytest

from seqcast.backtesting import Backtest, PanelBacktest

SCORES = pd.DataFrame({"MAE": [1.0, 2.0], "MASE": [0.5, 0.4]}, index=["model", "naive"])


def one_series(**kwargs):
    origins = pd.RangeIndex(5, 7)
    return Backtest(SCORES, {}, {}, np.zeros((2, 3)), origins, "model", season=1, **kwargs)


def many_series(**kwargs):
    per_series = pd.DataFrame({"series": ["a", "b"], "method": "model", "MASE": [0.5, np.nan]})
    settings = {"per_series": per_series, "actual": [np.zeros((1, 2))] * 2, "ids": ["a", "b"]}
    return PanelBacktest(scores=SCORES, origins=[[0], [1]], model_name="model", **settings,
                         **kwargs)  # fmt: skip


def test_one_series_has_no_per_series_and_says_where_its_scores_are():
    result = one_series()
    with pytest.raises(AttributeError, match="a backtest of one series has no per_series"):
        result.per_series  # noqa: B018
    assert not hasattr(result, "per_series") and hasattr(many_series(), "per_series")


def test_the_winner_is_by_mae_for_one_series_and_by_mase_for_many():
    assert one_series().winner() == "model" and many_series().winner() == "naive"
    assert many_series().winner("MAE") == "model"


def test_each_kind_writes_itself_as_it_always_has():
    assert repr(one_series()).startswith("Backtest(scores=")
    assert ", per_horizon={}, forecasts={}, actual=array(" in repr(one_series())
    assert repr(one_series()).endswith(", skipped={}, unscored=0)")
    assert repr(many_series()).startswith("PanelBacktest(scores=")
    assert repr(many_series()).endswith(", targets=[], freq=None)")


def test_unscored_counts_the_filled_values_of_every_series():
    masks = [np.array([[True, False]]), np.array([[True, True]])]
    assert many_series(filled=masks).unscored == 3 and many_series().unscored == 0
    assert one_series(unscored=4).unscored == 4
    assert many_series().horizon == 2 and one_series().horizon == 3
