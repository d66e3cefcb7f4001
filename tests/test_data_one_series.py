"""Tables that hold several series are refused, each with how to pick one series."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.read import read_table
from seqcast.data.series import prepare_series
from seqcast.errors import SeqcastError


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def by_store_and_date() -> pd.DataFrame:
    dates = pd.date_range("2023-01-01", periods=120, freq="D")
    index = pd.MultiIndex.from_product([["A", "B"], dates], names=["store", "date"])
    return pd.DataFrame({"sales": np.arange(240.0)}, index=index)


def test_a_store_and_date_index_is_refused_with_how_to_pick_one_series():
    # Before: the two stores were silently joined into one 240-point series.
    message = (
        r"^the data has a 2-level index \(store, date\): several series in one table; read "
        r"them as a panel with read_panel\(df\) \(--id-column store\), or pick one with "
        r"df\.xs\('A', level='store'\)$"
    )
    with pytest.raises(SeqcastError, match=message):
        read_table(by_store_and_date())
    with pytest.raises(SeqcastError, match=message):  # the same words, from one place
        prepare_series(by_store_and_date())
    with pytest.raises(SeqcastError, match=r"\(date, store\): .*df\.xs\('A', level='store'\)"):
        read_table(by_store_and_date().swaplevel())
    one = read_table(by_store_and_date().xs("A", level="store"))
    assert prepare_series(one).freq == "D"


def test_an_index_of_three_levels_picks_with_a_tuple():
    frame = by_store_and_date()
    frame["region"] = "north"
    frame = frame.set_index("region", append=True).reorder_levels(["region", "store", "date"])
    with pytest.raises(
        SeqcastError, match=r"3-level index .*df\.xs\(\('north', 'A'\), level=\['region', 'store'\]"
    ):
        read_table(frame)


def test_a_long_format_file_with_a_store_column_is_several_series(tmp_path):
    # Before: read as one series, then "the date 2023-01-01 appears more than once; keep one
    # row per date, e.g. by averaging them", which would average the stores.
    days = pd.date_range("2023-01-01", periods=30, freq="D")
    rows = "".join(f"{store},{day:%Y-%m-%d},{i}\n" for store in "AB" for i, day in enumerate(days))
    path = write_csv(tmp_path / "long.csv", "store,date,sales\n" + rows)
    with pytest.raises(
        SeqcastError,
        match=r"^the dates repeat, once for each value of column 'store' \(A, B\): the data "
        r"looks like 2 series; read them as a panel with --id-column store \(id_column='store' "
        r"in Python\), or keep the rows of one store \(in pandas: df\[df\['store'\] == 'A'\]\)$",
    ):
        read_table(path)


def test_repeated_dates_that_no_text_column_explains_are_left_to_the_series_checks(tmp_path):
    path = write_csv(tmp_path / "dup.csv", "date,y\n2020-01-01,1\n2020-01-01,2\n2020-01-02,3\n")
    frame = read_table(path)
    with pytest.raises(SeqcastError, match="appears more than once"):
        prepare_series(frame)
