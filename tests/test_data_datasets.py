"""The built-in series: offline, regular, complete, and safe to modify."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.datasets import DATASETS, Dataset, dataset_names, load_dataset
from seqcast.data.series import prepare_series
from seqcast.data.synthetic import COURSE_SPLIT, course_series
from seqcast.errors import SeqcastError

# name: (points, first date, last date, freq)
EXPECTED = {
    "course": (1461, "2000-01-01", "2003-12-31", "D"),
    "sunspots": (309, "1700-01-01", "2008-01-01", "YS-JAN"),
    "co2": (526, "1958-03-01", "2001-12-01", "MS"),
    "elnino": (732, "1950-01-01", "2010-12-01", "MS"),
}


def test_names_in_listing_order():
    assert dataset_names() == ["course", "sunspots", "co2", "elnino"]
    assert list(DATASETS) == dataset_names()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_dataset_is_regular_complete_and_documented(name):
    data = load_dataset(name)
    n, first, last, freq = EXPECTED[name]
    assert isinstance(data, Dataset)
    assert data.name == name
    assert data.description and "\n" not in data.description
    assert data.source
    frame = data.frame
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.freqstr == freq
    assert len(frame) == n
    assert frame.index[0] == pd.Timestamp(first)
    assert frame.index[-1] == pd.Timestamp(last)
    assert frame.columns.tolist() == [data.target]
    assert frame.dtypes.iloc[0] == np.float64
    assert not frame.isna().any().any()
    assert frame.index[0] < data.valid_from < data.test_from <= frame.index[-1]
    assert data.valid_from in frame.index and data.test_from in frame.index
    # the validation and test parts each hold at least one full forecast
    n_valid = ((frame.index >= data.valid_from) & (frame.index < data.test_from)).sum()
    assert n_valid >= data.horizon and (frame.index >= data.test_from).sum() >= data.horizon
    assert data.season >= 1
    assert data.window + data.horizon < (frame.index < data.valid_from).sum()
    # what the data checks would say of it: the same frequency, nothing to fix
    assert prepare_series(frame, data.target).freq == freq


def test_course_matches_the_generator():
    data = load_dataset("course")
    np.testing.assert_array_equal(data.frame["value"].to_numpy(), course_series())
    assert data.test_from == data.frame.index[COURSE_SPLIT]  # the course's validation start
    assert (data.season, data.window, data.horizon) == (365, 20, 1)
    assert "nominal" in data.description


def test_known_values():
    assert load_dataset("sunspots").frame["sunspots"].iloc[0] == 5.0  # 1700
    co2 = load_dataset("co2").frame["co2"]
    assert 310 < co2.iloc[0] < 320 and 365 < co2.iloc[-1] < 375
    elnino = load_dataset("elnino").frame["sst"]
    assert elnino.iloc[0] == pytest.approx(23.11)  # January 1950
    assert elnino.iloc[11] == pytest.approx(21.80)  # December 1950
    assert elnino.iloc[12] == pytest.approx(24.19)  # January 1951


def test_returned_frames_cannot_corrupt_the_cache():
    first = load_dataset("co2")
    first.frame.iloc[0, 0] = -1.0
    assert load_dataset("co2").frame.iloc[0, 0] != -1.0


def test_unknown_name_lists_the_names():
    with pytest.raises(
        SeqcastError, match="unknown dataset 'mnist'; choose one of: course, sunspots"
    ):
        load_dataset("mnist")
