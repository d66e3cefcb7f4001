"""Frequency: regular spacing found, each gap or irregular date reported where it is."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.frequency import season_of
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
