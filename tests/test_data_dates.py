"""Dates: found, parsed, and read back as labels and positions."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.dates import label, label_position, parse_label
from seqcast.data.read import read_table
from seqcast.data.series import prepare_series
from seqcast.errors import SeqcastError


def undated(index: pd.DatetimeIndex) -> pd.DataFrame:
    """One column of numbers on ``index`` with its freq dropped, as a user's data would come."""
    return pd.DataFrame({"y": np.arange(len(index), dtype=float)}, index=list(index))


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ bad input


def test_unparsable_date_column_names_column_and_value():
    frame = pd.DataFrame({"when": ["2020-01-01", "2020-01-02", "soon"], "y": [1, 2, 3]})
    with pytest.raises(SeqcastError, match=r"column 'when' .*not a date: 'soon' in row 3"):
        read_table(frame, date_column="when")


def test_empty_date_names_the_row():
    frame = pd.DataFrame({"when": ["2020-01-01", None, "2020-01-03"], "y": [1, 2, 3]})
    with pytest.raises(SeqcastError, match=r"column 'when' has an empty date in row 2"):
        read_table(frame, date_column="when")


def test_typo_in_auto_detected_date_column_is_reported_not_ignored(tmp_path):
    rows = "".join(f"2020-01-{day:02d},{day}\n" for day in range(1, 10))
    path = write_csv(tmp_path / "s.csv", "date,y\n" + rows + "2020-01-1O,10\n")
    with pytest.raises(SeqcastError, match=r"column 'date' .*not a date: '2020-01-1O' in row 10"):
        read_table(path)


def test_numbers_that_are_not_years_are_not_dates():
    frame = pd.DataFrame({"t": [1.6e9, 1.7e9], "y": [1, 2]})
    with pytest.raises(SeqcastError, match="column 't' holds numbers"):
        read_table(frame, date_column="t")


# ------------------------------------------------------------------------------ happy paths


def test_whole_number_years_as_date_column():
    frame = pd.DataFrame({"YEAR": [1700.0, 1701.0, 1702.0], "spots": [5.0, 11.0, 16.0]})
    data = prepare_series(read_table(frame, date_column="YEAR"))
    assert data.freq == "YS-JAN"
    assert data.frame.index[0] == pd.Timestamp("1700-01-01")


def test_period_index_becomes_dates():
    series = pd.Series([1.0, 2.0, 3.0], index=pd.period_range("2020-01", periods=3, freq="M"))
    assert prepare_series(read_table(series)).freq == "MS"


# ---------------------------------------------------------------------------------- labels


def test_labels_read_as_the_index_reads_them():
    dates = pd.date_range("2020-01-01", periods=5, freq="D")
    assert label(dates[2]) == "2020-01-03"
    assert parse_label(dates, "2020-01-03", "start") == dates[2]
    assert label_position(dates, "2020-01-02 12:00", "start") == 2
    assert label_position(pd.RangeIndex(0, 50, 10), "20", "valid") == 2


def test_labels_that_cannot_be_read_name_the_argument():
    dates = pd.date_range("2020-01-01", periods=5, freq="D")
    with pytest.raises(SeqcastError, match="start 'soon' is not a date; write it like 2019-01-01"):
        parse_label(dates, "soon", "start")
    with pytest.raises(SeqcastError, match="valid 'x' is not a step number"):
        parse_label(pd.RangeIndex(5), "x", "valid")
    with pytest.raises(SeqcastError, match="start 2021-01-01 is after the last point"):
        label_position(dates, "2021-01-01", "start")
