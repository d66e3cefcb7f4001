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
