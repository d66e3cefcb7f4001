"""Checking a read series: every column or value that stops a forecast gets a SeqcastError."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.read import read_table
from seqcast.data.series import SeriesData, check_length, prepare_series, read_series
from seqcast.errors import SeqcastError


def daily(values, start="2020-01-01", **columns) -> pd.DataFrame:
    index = pd.date_range(start, periods=len(values), freq="D", name="date")
    return pd.DataFrame({"y": values, **columns}, index=index)


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


# ------------------------------------------------------------------------------ duplicate rows

# A public export that repeats some rows: 2021-05-02 twice alike, 2021-05-03 twice with different
# values (a correction appended to the file).
REPEATS = """date,cases,tests
2021-05-01,10,100
2021-05-02,12,110
2021-05-02,12,110
2021-05-03,9,90
2021-05-04,15,130
2021-05-03,11,95
"""


def test_exact_duplicate_rows_are_dropped_with_a_note(tmp_path):
    text = "".join(line for line in REPEATS.splitlines(keepends=True) if "11,95" not in line)
    data = prepare_series(read_table(write_csv(tmp_path / "r.csv", text)), target="cases")
    assert data.frame["cases"].tolist() == [10.0, 12.0, 9.0, 15.0]
    assert data.notes == ("dropped 1 exact duplicate row (same date, same values)",)


def test_conflicting_duplicates_are_refused_naming_the_flag(tmp_path):
    frame = read_table(write_csv(tmp_path / "r.csv", REPEATS))
    with pytest.raises(SeqcastError) as caught:
        prepare_series(frame, target="cases")
    assert str(caught.value) == (
        "the date 2021-05-03 appears more than once with different values; keep one row per "
        "date with --duplicates first (or last, mean, sum; duplicates= in Python), or fix the file"
    )


@pytest.mark.parametrize(
    ("policy", "cases", "tests"),
    [("first", 9, 90), ("last", 11, 95), ("mean", 10, 92.5), ("sum", 20, 185)],
)
def test_conflicting_duplicates_are_merged_by_the_policy(tmp_path, policy, cases, tests):
    frame = read_table(write_csv(tmp_path / "r.csv", REPEATS))
    data = prepare_series(frame, target="cases", covariates=["tests"], duplicates=policy)
    assert data.frame.index.is_monotonic_increasing and len(data) == 4
    assert data.frame.loc["2021-05-03"].tolist() == [cases, tests]
    assert data.notes == (
        "dropped 1 exact duplicate row (same date, same values)",
        f"merged 2 rows that repeat 1 date by their {policy} (--duplicates {policy})",
    )
    with pytest.raises(
        SeqcastError, match="unknown duplicates 'median'; choose one of: error, first"
    ):
        prepare_series(frame, target="cases", duplicates="median")


# ------------------------------------------------------------------------------ text covariates

SHOP_CSV = """\ufeffdate,sales,daytype,holiday,price
2024-12-23,120.5,W,,9.5
2024-12-24,80.25,A,Christmas Eve,9.5
2024-12-25,30,U,Christmas Day,9.5
2024-12-26,35.5,U,,tbd
2024-12-27,118,W ,,9.75
"""


def test_a_text_covariate_is_kept_as_categories_and_a_blank_is_one(tmp_path):
    """Day types W/A/U and a mostly blank holiday column, as a shop's export writes them."""
    frame = read_table(write_csv(tmp_path / "shop.csv", SHOP_CSV))
    data = prepare_series(frame, target="sales", covariates=["daytype", "holiday"])
    assert data.categorical == ("daytype", "holiday")
    assert data.frame["daytype"].tolist() == ["W", "A", "U", "U", "W"]  # "W " stripped
    assert data.frame["holiday"].tolist() == ["", "Christmas Eve", "Christmas Day", "", ""]
    assert data.frame["sales"].dtype == np.float64
    with pytest.raises(SeqcastError, match=r"daytype, holiday hold text; encode the series"):
        data.values  # noqa: B018  (the property is what raises)


def test_a_column_of_numbers_with_a_stray_word_stays_numeric_and_names_it(tmp_path):
    frame = read_table(write_csv(tmp_path / "shop.csv", SHOP_CSV))
    with pytest.raises(
        SeqcastError, match=r"column 'price' is not numeric: it holds 'tbd' at 2024-12-26"
    ):
        prepare_series(frame, target="sales", covariates=["price"])


def test_decimal_commas_are_not_categories():
    """'9,5' is a number in another notation, not a category: the mistake is reported."""
    frame = daily([1.0, 2.0, 3.0], price=["9,5", "9,75", "10,25"])
    with pytest.raises(SeqcastError, match=r"column 'price' is not numeric: it holds '9,5'"):
        prepare_series(frame, covariates=["price"])


def test_the_target_must_still_be_numbers(tmp_path):
    frame = read_table(write_csv(tmp_path / "shop.csv", SHOP_CSV))
    with pytest.raises(SeqcastError, match=r"column 'daytype' is not numeric: it holds 'W'"):
        prepare_series(frame, target="daytype", covariates=["sales"])


def test_categorical_names_the_text_columns_of_a_fitted_model():
    """At forecast time a holiday column may be all blank (read as NaN): still categories."""
    frame = daily([1.0, 2.0, 3.0], holiday=[np.nan] * 3, day=["1", "2", "1"])
    data = prepare_series(frame, covariates=["holiday", "day"], categorical=["holiday", "day"])
    assert data.frame["holiday"].tolist() == ["", "", ""]
    assert data.frame["day"].tolist() == ["1", "2", "1"]
    as_numbers = prepare_series(frame.fillna(0.0), covariates=["holiday", "day"], categorical=[])
    assert as_numbers.categorical == () and as_numbers.values[1].tolist() == [2.0, 0.0, 2.0]


def test_a_pandas_category_column_is_categories_even_of_numbers():
    frame = daily([1.0, 2.0, 3.0], store=pd.Categorical([1, 2, 1]))
    assert prepare_series(frame, covariates=["store"]).frame["store"].tolist() == ["1", "2", "1"]


def test_a_text_covariate_survives_merged_duplicates_and_filled_gaps():
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-05", "2024-01-06"])
    frame = pd.DataFrame(
        {"sales": [1.0, 2.0, 4.0, 5.0, 6.0], "day": ["W", "W", "W", "A", "U"]}, index=days
    )
    data = prepare_series(frame, "sales", ["day"], duplicates="mean", fill="interpolate")
    # the mean of the numbers (3 on Jan 2), a straight line over the two missing days
    assert data.frame["sales"].tolist() == pytest.approx([1.0, 3.0, 11 / 3, 13 / 3, 5.0, 6.0])
    # a merged date keeps its first row's category; a missing date takes the day before's
    assert data.frame["day"].tolist() == ["W", "W", "W", "W", "A", "U"]
    assert data.filled[:, 0].tolist() == [False, False, True, True, False, False]
    assert data.categorical == ("day",)


def test_read_series_reads_a_file_and_checks_it_in_one_call(tmp_path):
    path = tmp_path / "export.csv"
    rows = ["29.01.2024;1;W", "30.01.2024;1,5;W", "31.01.2024;2,5;W", "02.02.2024;4;A"]
    path.write_text("Datum;Umsatz;Tag\n" + "\n".join(rows) + "\n")
    data = read_series(path, "Umsatz", ["Tag"], fill="interpolate")
    assert data.frame["Umsatz"].tolist() == [1.0, 1.5, 2.5, 3.25, 4.0]
    assert data.categorical == ("Tag",) and data.freq == "D"
    assert "filled 1 missing point (--fill interpolate)" in data.notes


def test_dates_that_merge_into_too_few_points_are_counted_not_a_crash():
    same_day = pd.DatetimeIndex(["2024-01-01"] * 3, name="date")
    with pytest.raises(SeqcastError) as raised:
        prepare_series(pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=same_day), duplicates="mean")
    assert str(raised.value) == (
        "the series has 1 point (from 3 rows) after merging the rows that repeat a date, too "
        "few to forecast; give at least 3 (many more for a neural network)"
    )
    two_days = pd.DatetimeIndex(["2024-01-01"] * 3 + ["2024-01-02"], name="date")
    exact = pd.DataFrame({"y": [1.0, 1.0, 1.0, 2.0]}, index=two_days)  # exact repeats, dropped
    with pytest.raises(SeqcastError, match=r"^the series has 2 points \(from 4 rows\) after"):
        prepare_series(exact)
