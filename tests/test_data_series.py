"""Reading and checking a user's series: every bad input gets a SeqcastError that names it."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.read import read_table
from seqcast.data.series import SeriesData, check_length, prepare_series
from seqcast.errors import SeqcastError


def daily(values, start="2020-01-01", **columns) -> pd.DataFrame:
    index = pd.date_range(start, periods=len(values), freq="D", name="date")
    return pd.DataFrame({"y": values, **columns}, index=index)


def undated(index: pd.DatetimeIndex) -> pd.DataFrame:
    """One column of numbers on ``index`` with its freq dropped, as a user's data would come."""
    return pd.DataFrame({"y": np.arange(len(index), dtype=float)}, index=list(index))


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ bad input


def test_missing_values_are_counted_and_dated():
    frame = daily([1.0, np.nan, 3.0, None, 5.0])
    with pytest.raises(SeqcastError, match=r"column 'y' has 2 missing values.*2020-01-02"):
        prepare_series(frame)


def test_blank_text_cells_count_as_missing():
    with pytest.raises(SeqcastError, match=r"column 'y' has 1 missing value.*row 2"):
        prepare_series(pd.DataFrame({"y": ["1", " ", "3"]}))


def test_missing_covariate_value_names_the_covariate():
    frame = daily([1.0, 2.0, 3.0], x=[1.0, 2.0, np.nan])
    with pytest.raises(SeqcastError, match=r"column 'x' has 1 missing value.*2020-01-03"):
        prepare_series(frame, target="y", covariates=["x"])


def test_duplicated_dates():
    index = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-02", "2020-01-03"])
    with pytest.raises(SeqcastError, match=r"2020-01-02 appears more than once.*groupby"):
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
    assert "asfreq('D')" in message


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


def test_non_numeric_target_names_the_value_and_date():
    frame = daily(["1", "2.5", "abc", "4"])
    with pytest.raises(
        SeqcastError, match=r"column 'y' is not numeric: it holds 'abc' at 2020-01-03"
    ):
        prepare_series(frame)


def test_infinite_value():
    with pytest.raises(SeqcastError, match=r"column 'y' has an infinite value at row 2"):
        prepare_series(pd.DataFrame({"y": [1.0, np.inf, 3.0]}))


def test_date_column_as_target():
    frame = pd.DataFrame({"y": pd.date_range("2020-01-01", periods=3)})
    with pytest.raises(SeqcastError, match="column 'y' holds datetime64"):
        prepare_series(frame, target="y")


def test_unknown_target_lists_the_columns():
    frame = daily([1.0, 2.0, 3.0], x=[4.0, 5.0, 6.0])
    with pytest.raises(SeqcastError, match=r"unknown target column 'sales'; the columns are: y, x"):
        prepare_series(frame, target="sales")


def test_unknown_covariate_lists_the_columns():
    frame = daily([1.0, 2.0, 3.0], x=[4.0, 5.0, 6.0])
    with pytest.raises(SeqcastError, match=r"unknown covariate column 'z'; the columns are: y, x"):
        prepare_series(frame, target="y", covariates=["z"])


def test_target_listed_as_covariate():
    frame = daily([1.0, 2.0, 3.0], x=[4.0, 5.0, 6.0])
    with pytest.raises(SeqcastError, match="'y' is both the target and a covariate"):
        prepare_series(frame, target="y", covariates=["y"])


def test_several_columns_without_target():
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3], "c": [1, 2, 3]})
    with pytest.raises(
        SeqcastError, match=r"several columns \(a, b, c\); choose the one to forecast with target"
    ):
        prepare_series(frame)


def test_too_few_points():
    with pytest.raises(SeqcastError, match="the series has 2 points"):
        prepare_series(pd.DataFrame({"y": [1.0, 2.0]}))


def test_unknown_date_column_lists_the_columns():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    with pytest.raises(SeqcastError, match=r"unknown column 'foo' .*; the columns are: a, b"):
        read_table(frame, date_column="foo")


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


def test_two_date_like_columns_are_ambiguous():
    frame = pd.DataFrame({"date": ["2020-01-01"], "time": ["2020-01-01"], "y": [1]})
    with pytest.raises(SeqcastError, match=r"several columns look like dates \(date, time\)"):
        read_table(frame)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    with pytest.raises(SeqcastError, match=r"there is no file .*nope\.csv"):
        read_table(path)


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(SeqcastError, match="is a folder"):
        read_table(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.touch()
    with pytest.raises(SeqcastError, match=r"empty\.csv' is empty"):
        read_table(path)


def test_header_without_rows(tmp_path):
    path = write_csv(tmp_path / "header.csv", "date,y\n")
    with pytest.raises(SeqcastError, match=r"header\.csv' has no data rows"):
        read_table(path)


def test_corrupt_parquet(tmp_path):
    path = tmp_path / "x.parquet"
    path.write_bytes(b"this is not parquet at all" * 10)
    with pytest.raises(
        SeqcastError, match=r"cannot read '.*x.parquet' as Parquet: .*a Parquet file"
    ):
        read_table(path)


def test_corrupt_gzip_csv(tmp_path):
    path = tmp_path / "x.csv.gz"
    path.write_bytes(b"\x00\x01junk" * 20)
    with pytest.raises(SeqcastError, match=r"cannot read '.*x.csv.gz' as CSV"):
        read_table(path)


def test_ragged_csv(tmp_path):
    path = write_csv(tmp_path / "ragged.csv", "a,b\n1,2\n3,4,5,6\n")
    with pytest.raises(SeqcastError, match="as CSV: Expected 2 fields in line 3"):
        read_table(path)


def test_unknown_extension(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(SeqcastError, match=r"format of '.*data.xlsx'.*\.csv"):
        read_table(path)


def test_unreadable_source_type():
    with pytest.raises(SeqcastError, match="cannot read a list"):
        read_table([1, 2, 3])


def test_check_length():
    check_length(25, window=20, horizon=5)
    with pytest.raises(
        SeqcastError,
        match=r"the series has 24 points, but a window of 20 plus a horizon of 5 needs at least 25",
    ):
        check_length(24, window=20, horizon=5)
    with pytest.raises(SeqcastError, match="the training part has 3 points"):
        check_length(3, window=2, horizon=2, what="the training part")
    with pytest.raises(SeqcastError, match="window must be a whole number of at least 1, got 0"):
        check_length(10, window=0, horizon=1)


def test_future_index_checks_its_arguments():
    data = prepare_series(daily([1.0, 2.0, 3.0]))
    with pytest.raises(SeqcastError, match="horizon must be a whole number of at least 1, got 0"):
        data.future_index(0)
    with pytest.raises(SeqcastError, match="'after' must be a date"):
        data.future_index(1, after="someday")


# ------------------------------------------------------------------------------ happy paths


def test_csv_with_date_column_auto_detected(tmp_path):
    path = write_csv(tmp_path / "s.csv", "Date,sales\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n")
    frame = read_table(path)
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.name == "Date"
    assert frame.columns.tolist() == ["sales"]
    data = prepare_series(frame)
    assert data.target == "sales"
    assert data.freq == "D"
    assert data.frame.index.freq == "D"


def test_csv_with_explicit_date_column(tmp_path):
    path = write_csv(tmp_path / "s.tsv", "when\tsales\n2020-01-01\t1\n2020-01-02\t2\n")
    frame = read_table(path, date_column="when")
    assert frame.index.name == "when"
    assert frame.index[1] == pd.Timestamp("2020-01-02")
    assert frame.columns.tolist() == ["sales"]


def test_csv_written_by_pandas_with_its_index(tmp_path):
    original = daily([1.0, 2.0, 3.0])
    original.to_csv(tmp_path / "s.csv.gz")
    frame = read_table(tmp_path / "s.csv.gz")
    pd.testing.assert_index_equal(frame.index, original.index, exact=False, check_freq=False)


def test_whole_number_years_as_date_column():
    frame = pd.DataFrame({"YEAR": [1700.0, 1701.0, 1702.0], "spots": [5.0, 11.0, 16.0]})
    data = prepare_series(read_table(frame, date_column="YEAR"))
    assert data.freq == "YS-JAN"
    assert data.frame.index[0] == pd.Timestamp("1700-01-01")


def test_parquet_round_trip(tmp_path):
    original = daily([1.0, 2.0, 3.0, 4.0], x=[0.5, 0.25, 0.125, 0.0])
    original.to_parquet(tmp_path / "s.parquet")
    frame = read_table(str(tmp_path / "s.parquet"))
    pd.testing.assert_frame_equal(frame, original, check_freq=False)


def test_series_with_datetime_index():
    index = pd.date_range("2021-03-01", periods=5, freq="D")
    series = pd.Series([1, 2, 3, 4, 5], index=index, name="visits")
    data = prepare_series(read_table(series))
    assert data.target == "visits"
    assert data.freq == "D"
    assert data.values.dtype == np.float32
    assert data.values[:, 0].tolist() == [1, 2, 3, 4, 5]
    unnamed = read_table(pd.Series([1.0, 2.0]))
    assert unnamed.columns.tolist() == ["value"]


def test_frame_without_dates_counts_steps():
    frame = read_table(pd.DataFrame({"y": [3, 1, 4, 1, 5]}))
    assert isinstance(frame.index, pd.RangeIndex)
    data = prepare_series(frame)
    assert data.freq is None
    assert isinstance(data.frame.index, pd.RangeIndex)
    assert list(data.future_index(3)) == [5, 6, 7]
    assert list(data.future_index(2, after=2)) == [3, 4]


def test_own_integer_steps_continue_by_their_step():
    data = prepare_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=[10, 20, 30]))
    assert list(data.future_index(2)) == [40, 50]


def test_monthly_data_is_regular_and_continues_with_month_starts(tmp_path):
    months = pd.date_range("2019-11-01", periods=6, freq="MS").strftime("%Y-%m-%d")
    path = write_csv(
        tmp_path / "m.csv", "month,y\n" + "".join(f"{m},{i}\n" for i, m in enumerate(months))
    )
    data = prepare_series(read_table(path))
    assert data.freq == "MS"
    future = data.future_index(3)
    assert list(future) == list(pd.to_datetime(["2020-05-01", "2020-06-01", "2020-07-01"]))
    assert future.freq == "MS"


@pytest.mark.parametrize("freq", ["D", "W-SUN", "MS", "ME", "QS-JAN", "YS-JAN", "YE-DEC", "h"])
def test_common_frequencies_are_recognised(freq):
    index = pd.date_range("2001-01-01", periods=8, freq=freq)
    data = prepare_series(undated(index))
    assert data.freq == pd.tseries.frequencies.to_offset(freq).freqstr
    assert data.future_index(1)[0] == index[-1] + pd.tseries.frequencies.to_offset(freq)


def test_period_index_becomes_dates():
    series = pd.Series([1.0, 2.0, 3.0], index=pd.period_range("2020-01", periods=3, freq="M"))
    assert prepare_series(read_table(series)).freq == "MS"


def test_covariates_follow_the_target():
    frame = daily([1.0, 2.0, 3.0], a=[10, 20, 30], b=["7", "8", "9"], flag=[True, False, True])
    data = prepare_series(frame, target="a", covariates=("flag", "b"))
    assert isinstance(data, SeriesData)
    assert data.frame.columns.tolist() == ["a", "flag", "b"]
    assert data.covariates == ("flag", "b")
    assert all(dtype == np.float64 for dtype in data.frame.dtypes)
    assert data.values.shape == (3, 3)
    assert data.values[0].tolist() == [10.0, 1.0, 7.0]


def test_one_numeric_column_is_the_target():
    frame = daily([1.0, 2.0, 3.0], note=["a", "b", "c"])
    assert prepare_series(frame).target == "y"


def test_callers_objects_are_not_modified():
    frame = pd.DataFrame({"date": ["2020-01-01", "2020-01-02", "2020-01-03"], "y": ["1", "2", "3"]})
    before = frame.copy(deep=True)
    data = prepare_series(read_table(frame))
    pd.testing.assert_frame_equal(frame, before)
    data.values[0, 0] = 99.0  # a fresh array each time
    assert data.values[0, 0] == 1.0
