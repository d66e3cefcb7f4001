"""read_panel's arguments checked once, the reading options given as one ReadOptions."""

import pandas as pd
import pytest

from seqcast.data.options import ReadOptions
from seqcast.data.panel import read_panel
from seqcast.data.request import panel_request
from seqcast.errors import SeqcastError


def european_csv(tmp_path):
    path = tmp_path / "sales.csv"
    rows = "".join(f"{store};0{day}.01.2024;{day},5\n" for store in "AB" for day in (1, 2, 4, 5))
    path.write_text("store;Datum;sales\n" + rows, encoding="utf-8")
    return path


def test_read_options_say_what_the_keywords_say(tmp_path):
    path = european_csv(tmp_path)
    options = ReadOptions(sep=";", decimal=",", date_format="%d.%m.%Y", fill="ffill", freq="D")
    by_options = read_panel(path, "sales", id_column="store", options=options)
    by_keywords = read_panel(
        path, "sales", id_column="store", **{k: v for k, v in options.keywords().items() if v}
    )
    assert by_options.freq == by_keywords.freq == "D"
    for store in "AB":
        pd.testing.assert_frame_equal(by_options.get(store).frame, by_keywords.get(store).frame)
    assert by_options.get("A").frame["sales"].tolist() == [1.5, 2.5, 2.5, 4.5, 5.5]


def test_a_keyword_beside_the_options_overrides_them(tmp_path):
    path = european_csv(tmp_path)
    options = ReadOptions(sep=";", decimal=",", date_format="%d.%m.%Y", fill="ffill")
    panel = read_panel(path, "sales", id_column="store", options=options, fill="zero")
    assert panel.get("A").frame["sales"].tolist() == [1.5, 2.5, 0.0, 4.5, 5.5]


def test_a_frequency_is_checked_and_spelt_as_pandas_spells_it():
    assert panel_request(options=ReadOptions(freq="H")).options.freq == "h"
    with pytest.raises(SeqcastError, match="unknown frequency 'fortnightly'"):
        panel_request(options=ReadOptions(freq="fortnightly"))


def test_the_layout_is_refused_before_any_data_is_read():
    with pytest.raises(SeqcastError, match="give either id_column / --id-column"):
        read_panel("no such file.csv", id_column="store", targets="all")
    with pytest.raises(SeqcastError, match="the id column's name is empty"):
        read_panel("no such file.csv", id_column=" ")
