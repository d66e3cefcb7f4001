"""The backtest's bookkeeping: which target values were filled in, series by series."""

import numpy as np
import pandas as pd

from seqcast.data.series_data import SeriesData
from seqcast.estimator.score import filled_or_none, filled_target


def series(filled=None) -> SeriesData:
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0], "x": [0.0, 1.0, 0.0]})
    return SeriesData(frame, "y", ("x",), None, filled=filled)


def test_the_filled_target_is_the_first_column_of_the_filled_mask():
    mask = np.array([[False, True], [True, False], [False, False]])
    assert filled_target(series(mask)).tolist() == [False, True, False]
    assert filled_target(series()) is None


def test_no_series_filled_is_none_else_a_mask_for_every_series():
    assert filled_or_none([series(), series()]) is None
    mask = np.array([[True, False], [False, False], [False, False]])
    masks = filled_or_none([series(), series(mask)])
    assert [m.tolist() for m in masks] == [[False, False, False], [True, False, False]]


def test_one_series_and_a_panel_are_scored_by_the_one_scorer(monkeypatch):
    import seqcast.estimator.score as score
    from seqcast import Forecaster

    calls = []

    def recorded(*args, **kwargs):
        calls.append(kwargs["one_series"])
        return scorer(*args, **kwargs)

    scorer = score.score_panel
    monkeypatch.setattr(score, "score_panel", recorded)
    days = pd.date_range("2020-01-01", periods=40, freq="D", name="date")
    values = 10 + np.sin(np.arange(40) * 2 * np.pi / 7)
    one = pd.DataFrame({"y": values}, index=days)
    panel = pd.concat([one.assign(shop=name) for name in ("a", "b")]).reset_index()
    settings = {"window": 5, "horizon": 2, "epochs": 1, "verbose": 0}
    alone = Forecaster("linear", **settings).fit(one).backtest(one, start="2020-02-01")
    many = Forecaster("linear", **settings).fit(panel, target="y", id_column="shop")
    many = many.backtest(panel, start="2020-02-01", sarima=False)
    assert calls == [True, False]
    assert not alone.many and many.many and many.ids == ["a", "b"]
