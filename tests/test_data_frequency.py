"""Frequency: regular spacing found, each gap or irregular date reported where it is."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.frequency import season_of
from seqcast.data.read import read_table
from seqcast.data.series import prepare_series
from seqcast.errors import SeqcastError


def undated(index: pd.DatetimeIndex) -> pd.DataFrame:
    """One column of numbers on ``index`` with its freq dropped, as a user's data would come."""
    return pd.DataFrame({"y": np.arange(len(index), dtype=float)}, index=list(index))


def test_duplicated_dates():
    index = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-02", "2020-01-03"])
    with pytest.raises(SeqcastError, match=r"2020-01-02 appears more than once.*--duplicates"):
        prepare_series(undated(index))


def test_unsorted_dates():
    index = pd.to_datetime(["2020-01-01", "2020-01-07", "2020-01-03", "2020-01-04"])
    with pytest.raises(
        SeqcastError,
        match=r"dates are not in increasing order \(2020-01-07 comes before 2020-01-03\); sort",
    ):
        prepare_series(undated(index))


def test_gap_in_daily_dates():
    index = pd.date_range("2020-01-01", periods=12, freq="D").delete([5, 6, 7])
    with pytest.raises(SeqcastError) as caught:
        prepare_series(undated(index))
    message = str(caught.value)
    assert "after 2020-01-05 the next date is 2020-01-09" in message
    assert "daily ('D')" in message
    assert "--fill interpolate" in message


@pytest.mark.parametrize(
    ("freq", "start", "before", "after"),
    [
        ("MS", "2020-01-01", "2020-07-01", "2020-09-01"),
        ("ME", "2020-01-31", "2020-07-31", "2020-09-30"),
        ("YS", "1990-01-01", "1996-01-01", "1998-01-01"),
        ("W-SAT", "2020-01-04", "2020-02-15", "2020-02-29"),
    ],
)
def test_gap_in_calendar_dates_names_the_calendar_frequency(freq, start, before, after):
    index = pd.date_range(start, periods=20, freq=freq).delete(7)
    with pytest.raises(SeqcastError, match=f"after {before} the next date is {after}"):
        prepare_series(undated(index))


def test_dates_without_any_regular_frequency():
    index = pd.to_datetime(["2020-01-01", "2020-01-04", "2020-01-09", "2020-02-03", "2020-05-01"])
    with pytest.raises(SeqcastError, match="do not follow one regular frequency"):
        prepare_series(undated(index))


def test_gap_in_integer_steps():
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]}, index=[1, 2, 4, 5])
    with pytest.raises(SeqcastError, match="after step 2 the next is 4"):
        prepare_series(frame)


@pytest.mark.parametrize("freq", ["D", "W-SUN", "MS", "ME", "QS-JAN", "YS-JAN", "YE-DEC", "h"])
def test_common_frequencies_are_recognised(freq):
    index = pd.date_range("2001-01-01", periods=8, freq=freq)
    data = prepare_series(undated(index))
    assert data.freq == pd.tseries.frequencies.to_offset(freq).freqstr
    assert data.future_index(1)[0] == index[-1] + pd.tseries.frequencies.to_offset(freq)


def test_season_of_common_frequencies():
    assert [season_of(f) for f in ("h", "D", "B", "W-SUN", "MS", "ME", "QS-JAN")] == [
        24,
        7,
        5,
        52,
        12,
        12,
        4,
    ]
    assert season_of("YS-JAN") == season_of(None) == 1


@pytest.mark.parametrize(
    ("freq", "season"),
    [("D", 7), ("h", 24), ("MS", 12), ("ME", 12), ("W-SUN", 52), ("QE-DEC", 4), (None, 1)],
)
def test_season_of_a_frequency(freq, season):
    assert season_of(freq) == season


# ------------------------------------------------------------------------------ filling gaps

# A weather station's daily export with two days missing (the logger was down).
WEATHER = """date,temp,rain
2023-03-04,5.1,0.0
2023-03-05,6.3,1.2
2023-03-06,7.0,0.4
2023-03-09,8.2,0.0
2023-03-10,7.7,3.1
2023-03-11,6.9,0.0
"""

# Closing prices on business days, without Good Friday and Easter Monday 2024.
CLOSES = """Date;Close
2024-03-26;100,0
2024-03-27;101,0
2024-03-28;102,0
2024-04-02;103,0
2024-04-03;104,0
2024-04-04;105,0
"""


def test_a_daily_file_missing_two_days_is_refused_naming_fill(tmp_path):
    path = tmp_path / "weather.csv"
    path.write_text(WEATHER)
    with pytest.raises(SeqcastError) as caught:
        prepare_series(read_table(path), target="temp")
    assert str(caught.value) == (
        "the series has a gap: after 2023-03-06 the next date is 2023-03-09, while the data is "
        "otherwise daily ('D'); fill the missing dates with --fill interpolate (or ffill, zero; "
        "fill= in Python), or fix the file"
    )


@pytest.mark.parametrize(
    ("fill", "temps"),
    [("interpolate", [7.4, 7.8]), ("ffill", [7.0, 7.0]), ("zero", [0.0, 0.0])],
)
def test_a_daily_file_missing_two_days_is_filled(tmp_path, fill, temps):
    path = tmp_path / "weather.csv"
    path.write_text(WEATHER)
    data = prepare_series(read_table(path), target="temp", covariates=["rain"], fill=fill)
    assert data.freq == "D" and len(data) == 8
    assert np.allclose(data.frame["temp"].iloc[3:5], temps)
    assert data.filled_points.tolist() == [False] * 3 + [True] * 2 + [False] * 3
    assert data.filled.shape == data.values.shape
    assert data.notes == (f"filled 2 missing points (--fill {fill})",)


def test_business_days_with_holidays_declared_and_forward_filled(tmp_path):
    path = tmp_path / "closes.csv"
    path.write_text(CLOSES)
    frame = read_table(path)
    with pytest.raises(SeqcastError, match=r"after 2024-03-28 the next date is 2024-04-02.*--fill"):
        prepare_series(frame, freq="B")
    data = prepare_series(frame, freq="B", fill="ffill")
    assert data.freq == "B"
    assert [str(d.date()) for d in data.frame.index[2:5]] == [
        "2024-03-28",
        "2024-03-29",
        "2024-04-01",
    ]
    assert data.frame["Close"].tolist() == [100.0, 101, 102, 102, 102, 103, 104, 105]
    assert data.filled_points.sum() == 2
    assert str(data.future_index(1)[0].date()) == "2024-04-05"


def test_a_date_off_the_declared_frequency_is_named():
    days = pd.to_datetime(["2024-01-04", "2024-01-05", "2024-01-06", "2024-01-08"])  # a Saturday
    with pytest.raises(SeqcastError, match=r"the date 2024-01-06 is not on the business-daily"):
        prepare_series(undated(days), freq="B", fill="ffill")
    with pytest.raises(SeqcastError, match=r"unknown frequency 'fortnightly'; give a pandas"):
        prepare_series(undated(days), freq="fortnightly", fill="ffill")


def test_missing_integer_steps_and_blank_cells_are_filled():
    frame = pd.DataFrame({"y": [1.0, np.nan, 3.0, 6.0]}, index=[1, 2, 3, 6])
    data = prepare_series(frame, fill="interpolate")
    assert data.frame["y"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert data.filled_points.tolist() == [False, True, False, True, True, False]
    with pytest.raises(SeqcastError, match="unknown fill 'mean'; choose one of: none, interpolate"):
        prepare_series(frame, fill="mean")
