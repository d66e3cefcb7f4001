"""Reading files and pandas objects: every unreadable input gets a SeqcastError naming it."""

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqcast.data.read import read_notes, read_table
from seqcast.data.series import prepare_series
from seqcast.errors import SeqcastError


def daily(values, start="2020-01-01", **columns) -> pd.DataFrame:
    index = pd.date_range(start, periods=len(values), freq="D", name="date")
    return pd.DataFrame({"y": values, **columns}, index=index)


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ bad input


def test_unknown_date_column_lists_the_columns():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    with pytest.raises(SeqcastError, match=r"unknown column 'foo' .*; the columns are: a, b"):
        read_table(frame, date_column="foo")


def test_a_long_list_of_columns_is_cut_in_messages():
    frame = pd.DataFrame({f"c{i}": [1, 2] for i in range(15)})
    with pytest.raises(SeqcastError, match=r"the columns are: c0, c1, .*, c11 and 3 more$"):
        read_table(frame, date_column="when")


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
    pd.testing.assert_index_equal(frame.index, original.index, exact=False)


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


def test_callers_objects_are_not_modified():
    frame = pd.DataFrame({"date": ["2020-01-01", "2020-01-02", "2020-01-03"], "y": ["1", "2", "3"]})
    before = frame.copy(deep=True)
    data = prepare_series(read_table(frame))
    pd.testing.assert_frame_equal(frame, before)
    data.values[0, 0] = 99.0  # a fresh array each time
    assert data.values[0, 0] == 1.0


# ------------------------------------------------------------------------------ real exports


def test_semicolon_export_with_decimal_commas_and_a_bom(tmp_path):
    # As Excel saves "CSV" in Germany or France: BOM, semicolons, decimal commas, CRLF.
    text = "\ufeffdate;sales;price\r\n2020-01-01;12,5;1.234,50\r\n2020-01-02;13;1.240,00\r\n"
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    frame = read_table(path)
    assert frame.index.name == "date"
    assert frame.columns.tolist() == ["sales", "price"]
    assert frame["sales"].tolist() == [12.5, 13.0]
    assert frame["price"].tolist() == [1234.5, 1240.0]


def test_thousands_separators_leave_day_first_dates_alone(tmp_path):
    text = "Tag;Umsatz\n30.01.2020;1.234,5\n31.01.2020;12,5\n01.02.2020;7\n"
    frame = read_table(write_csv(tmp_path / "x.csv", text))
    # the dates stay text for the date reader (not the number 1022020), which reads them
    assert frame.index.name == "Tag"
    assert [str(day.date()) for day in frame.index] == ["2020-01-30", "2020-01-31", "2020-02-01"]
    assert frame["Umsatz"].tolist() == [1234.5, 12.5, 7.0]


@pytest.mark.parametrize(("name", "sep"), [("tab.csv", "\t"), ("tab.txt", "\t"), ("pipe.csv", "|")])
def test_tab_and_pipe_separated_files(tmp_path, name, sep):
    rows = ["date", "sales"], ["2020-01-01", "1.5"], ["2020-01-02", "2"], ["2020-01-03", "2.5"]
    path = write_csv(tmp_path / name, "\n".join(sep.join(row) for row in rows) + "\n")
    data = prepare_series(read_table(path))
    assert data.target == "sales" and data.freq == "D"
    assert data.frame["sales"].tolist() == [1.5, 2.0, 2.5]


def test_a_windows_1252_file_is_read_with_a_note(tmp_path):
    path = tmp_path / "caf.csv"
    text = "date;Umsatz €;Café\n2020-01-01;1,5;2\n2020-01-02;2,5;3\n2020-01-03;3;4\n"
    path.write_bytes(text.encode("cp1252"))
    frame = read_table(path)
    assert frame.columns.tolist() == ["Umsatz €", "Café"]
    data = prepare_series(frame, target="Café")
    assert any("not UTF-8: read it as Windows-1252" in note for note in data.notes)


def test_the_column_list_names_the_separator_the_file_was_read_with(tmp_path):
    path = write_csv(tmp_path / "x.csv", "date;sales\n2020-01-01;1\n2020-01-02;2\n2020-01-03;3\n")
    with pytest.raises(SeqcastError) as caught:
        prepare_series(read_table(path, sep=","), target="sales")
    assert str(caught.value) == (
        "unknown target column 'sales'; the columns are: date;sales "
        "(read with separator ','; give --sep ';' if the file uses semicolons)"
    )
    with pytest.raises(SeqcastError, match=r"are: sales \(read with separator ';'\)$"):
        prepare_series(read_table(path), target="y")


def test_explicit_sep_and_decimal(tmp_path):
    path = write_csv(tmp_path / "x.txt", "date;y\n2020-01-01;1,5\n2020-01-02;2\n")
    assert read_table(path, sep=";", decimal=",")["y"].tolist() == [1.5, 2.0]
    assert read_table(path, sep=";", decimal=".")["y"].tolist() == ["1,5", "2"]
    with pytest.raises(SeqcastError, match="separator must be one character"):
        read_table(path, sep=";;")
    with pytest.raises(SeqcastError, match=r"decimal mark must be '\.' or ','"):
        read_table(path, decimal=";")


# ------------------------------------------------------------------- where the dates came from


def test_the_result_says_where_its_dates_came_from(tmp_path):
    path = write_csv(tmp_path / "s.csv", "Date,sales\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n")
    assert read_table(path).attrs["seqcast_dates"] == "column 'Date'"
    assert read_table(daily([1.0, 2.0, 3.0])).attrs["seqcast_dates"] == "the index"
    steps = write_csv(tmp_path / "steps.csv", "level\n1\n2\n3\n")
    assert read_table(steps).attrs["seqcast_dates"] == "none found"


# ------------------------------------------------------------------------ any export, any shape

# How spreadsheets and databases write a day; the reader must work out which one it got.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S")


@st.composite
def exports(draw):
    """CSV text as real exports come, and what reading it must give (or that it must fail).

    Random separator, decimal mark, date format, byte-order mark and line ends; sometimes an
    exact duplicate row (dropped), a missing day (a gap: refused without --fill) or a blank
    value (refused): the reader must return the right series or raise a SeqcastError.
    """
    n = draw(st.integers(8, 40))
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 1, 1)))
    days = pd.date_range(start, periods=n, freq="D")
    values = draw(st.lists(st.integers(-(10**6), 10**6), min_size=n, max_size=n))
    values = [v / 100 for v in values]  # two decimals, as money and measurements are written
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    decimal = "." if sep == "," else draw(st.sampled_from([".", ","]))
    date_format = draw(st.sampled_from(DATE_FORMATS))
    rows = [
        [day.strftime(date_format), f"{value:.2f}".replace(".", decimal)]
        for day, value in zip(days, values)
    ]
    problem = draw(st.sampled_from(["none", "duplicate", "gap", "blank"]))
    where = draw(st.integers(1, n - 2))
    if problem == "duplicate":
        rows.insert(where, list(rows[where]))
    elif problem == "gap":
        del rows[where]
    elif problem == "blank":
        rows[where][1] = ""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(sep.join(row) for row in [["date", "sales"], *rows]) + newline
    bom = "\ufeff" if draw(st.booleans()) else ""
    # Day and month can be told apart only when some day is past the 12th.
    ambiguous = date_format.startswith(("%d", "%m")) and all(day.day <= 12 for day in days)
    return bom + text, days, np.array(values), problem, ambiguous


@settings(max_examples=80, deadline=None, derandomize=True)
@given(exports())
def test_any_export_reads_to_its_series_or_to_one_clear_error(export):
    text, days, values, problem, ambiguous = export
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(text.encode("utf-8"))
        try:
            series = prepare_series(read_table(path))
        except SeqcastError as err:
            # A gap and a blank must be refused; a clean file only when its dates read two ways.
            assert problem in ("gap", "blank") or ambiguous, str(err)
            return
    assert problem in ("none", "duplicate"), f"a {problem} was read without a word"
    np.testing.assert_allclose(series.frame["sales"].to_numpy(), values)
    if not ambiguous:
        assert series.freq == "D"
        assert series.frame.index.equals(pd.DatetimeIndex(days)), series.frame.index[:3]


# ------------------------------------------------------------------ the row numbers pandas writes


def test_the_row_numbers_df_to_csv_writes_are_left_out(tmp_path):
    days = pd.date_range("2024-01-01", periods=4, freq="D").strftime("%Y-%m-%d")
    pd.DataFrame({"date": days, "sales": [1.0, 2, 3, 4]}).to_csv(tmp_path / "s.csv")
    frame = read_table(tmp_path / "s.csv")
    assert frame.columns.tolist() == ["sales"]
    assert read_notes(frame) == ["left out column 'Unnamed: 0', the row numbers df.to_csv() writes"]
    assert prepare_series(frame).target == "sales"
    # read by pandas first and passed as a DataFrame: the same column, left out the same way
    assert read_table(pd.read_csv(tmp_path / "s.csv")).columns.tolist() == ["sales"]


def test_a_column_named_unnamed_that_is_no_counter_stays(tmp_path):
    text = "Unnamed: 0,date,sales\n5,2024-01-01,1\n7,2024-01-02,2\n9,2024-01-03,3\n"
    frame = read_table(write_csv(tmp_path / "s.csv", text))
    assert frame.columns.tolist() == ["Unnamed: 0", "sales"]
    assert read_notes(frame) == []
    alone = read_table(write_csv(tmp_path / "alone.csv", "Unnamed: 0\n0\n1\n2\n"))
    assert alone.columns.tolist() == ["Unnamed: 0"]  # the only column: the data, whatever it is
