"""A table's dates set as its index: how they were written, and a file's rows put in order."""

import pandas as pd
import pytest

from seqcast.data.date_index import date_style_of, index_by_date
from seqcast.data.dates import DateStyle
from seqcast.data.load import read_notes
from seqcast.data.read import read_table
from seqcast.data.series import prepare_series
from seqcast.errors import SeqcastError


def test_the_order_text_dates_were_written_in_is_kept_with_the_table():
    frame = index_by_date(pd.DataFrame({"date": ["12/31/2023", "01/01/2024"], "y": [1, 2]}))
    assert date_style_of(frame, "%m/%d/%Y") == DateStyle("%m/%d/%Y", day_first=False)
    again = index_by_date(frame.copy())  # datetimes now: what the text said stays
    assert date_style_of(again) == DateStyle(day_first=False)


def test_a_files_rows_out_of_date_order_are_sorted_with_a_note(tmp_path):
    path = tmp_path / "unsorted.csv"
    path.write_text("date,y\n2024-01-03,3\n2024-01-01,1\n2024-01-02,2\n", encoding="utf-8")
    table = read_table(path)
    assert table["y"].tolist() == [1, 2, 3] and read_notes(table) == ["sorted 3 rows by date"]


def test_a_repeated_date_further_down_is_left_to_the_duplicates_policy(tmp_path):
    path = tmp_path / "repeat.csv"
    path.write_text("date,y\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n2024-01-02,5\n")
    table = read_table(path)
    assert read_notes(table) == [] and table["y"].tolist() == [1, 2, 3, 5]
    assert prepare_series(table, duplicates="last").frame["y"].tolist() == [1, 5, 3]


def test_a_pandas_table_out_of_order_is_the_users_to_sort():
    frame = pd.DataFrame({"date": ["2024-01-03", "2024-01-01", "2024-01-02"], "y": [3, 1, 2]})
    with pytest.raises(SeqcastError, match="sort the data by date first"):
        prepare_series(read_table(frame))
