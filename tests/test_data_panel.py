"""Reading many series as a Panel: every layout, dates per series, errors naming the series."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seqcast.data.panel import Panel, read_panel
from seqcast.data.series import read_series
from seqcast.errors import SeqcastError


def series_rows(store: str, start: str, values, freq="D", **columns) -> pd.DataFrame:
    dates = pd.date_range(start, periods=len(values), freq=freq)
    return pd.DataFrame(
        {"store": store, "date": dates.strftime("%Y-%m-%d"), "sales": values, **columns}
    )


def two_stores() -> pd.DataFrame:
    """Store A from 2024-01-01 (6 days), store B from 2024-01-03 (5 days), rows by date."""
    rows = pd.concat(
        [
            series_rows("A", "2024-01-01", [1.0, 2, 3, 4, 5, 6], region="north"),
            series_rows("B", "2024-01-03", [10.0, 20, 30, 40, 50], region="south"),
        ]
    )
    return rows.sort_values(["date", "store"], kind="stable").reset_index(drop=True)


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------- long format


def test_long_format_splits_by_id_in_order_of_first_appearance():
    # The rows are interleaved by date; each series keeps its own dates and length.
    panel = read_panel(two_stores(), id_column="store")
    assert panel.layout == "long" and panel.ids == ("A", "B") and len(panel) == 2
    assert panel.id_column == "store" and panel.target == "sales" and panel.freq == "D"
    a, b = panel.get("A"), panel.get("B")
    assert a.frame["sales"].tolist() == [1.0, 2, 3, 4, 5, 6]
    assert b.frame["sales"].tolist() == [10.0, 20, 30, 40, 50]
    assert str(a.frame.index[0].date()) == "2024-01-01"
    assert str(b.frame.index[0].date()) == "2024-01-03"
    assert a.frame.index.freqstr == "D" and b.columns == ("sales",)
    assert panel.lengths.tolist() == [6, 5] and [len(s) for s in panel] == [6, 5]
    assert panel.statics.shape == (2, 0) and panel.statics.index.name == "store"


def test_long_csv_with_numeric_ids_months_and_a_covariate(tmp_path):
    rows = "".join(
        f"{store},2023-{month:02d},{store * 100 + month},{month % 2}\n"
        for store in (7, 3)
        for month in range(1, 13)
    )
    path = write_csv(tmp_path / "long.csv", "shop,month,units,promo\n" + rows)
    panel = read_panel(path, "units", ["promo"], id_column="shop")
    assert panel.ids == ("7", "3") and panel.freq == "MS" and panel.covariates == ("promo",)
    three = panel.get(3)  # an id may be asked for by the value that prints as it
    assert three.frame["units"].iloc[0] == 301.0 and three.frame["promo"].tolist()[:3] == [1, 0, 1]
    assert panel.get("7").columns == ("units", "promo")


def test_empty_rows_before_the_first_and_after_the_last_value_are_dropped_with_a_note():
    # As in fpp3's us_employment: every series is given every month, empty before it starts.
    frame = pd.concat(
        [
            series_rows("A", "2024-01-01", [1.0, 2, 3, 4, 5]),
            series_rows("B", "2024-01-01", [None, None, 3.0, 4, 5]),
            series_rows("C", "2024-01-01", [None, 2.0, 3, 4, None]),
        ]
    )
    panel = read_panel(frame, id_column="store")
    assert panel.lengths.tolist() == [5, 3, 3]
    assert str(panel.get("B").frame.index[0].date()) == "2024-01-03"
    assert str(panel.get("C").frame.index[-1].date()) == "2024-01-04"
    assert panel.notes == (
        "dropped 3 empty rows before the first value of 2 series",
        "dropped 1 empty row after the last value of 1 series",
    )


def test_an_inner_gap_is_an_error_naming_the_series_unless_filled():
    frame = pd.concat(
        [
            series_rows("A", "2024-01-01", [1.0, 2, 3, 4]),
            series_rows("B", "2024-01-01", [1.0, None, 3, 4]),
        ]
    )
    with pytest.raises(SeqcastError, match=r"^series 'B': column 'sales' has 1 missing value"):
        read_panel(frame, id_column="store")
    panel = read_panel(frame, id_column="store", fill="interpolate")
    assert panel.get("B").frame["sales"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert panel.get("B").filled[:, 0].tolist() == [False, True, False, False]
    assert panel.notes == ("series 'B': filled 1 missing point (--fill interpolate)",)


def test_statics_are_gathered_per_series_and_left_out_of_the_series():
    panel = read_panel(two_stores(), id_column="store", static=["region"])
    assert panel.statics["region"].to_dict() == {"A": "north", "B": "south"}
    assert panel.statics.index.name == "store"
    assert panel.get("A").frame.columns.tolist() == ["sales"]


def test_undated_long_format_counts_each_series_from_zero():
    frame = pd.DataFrame({"id": [1, 1, 1, 2, 2, 2, 2], "y": [1.0, 2, 3, 4, 5, 6, 7]})
    panel = read_panel(frame, id_column="id")
    assert panel.freq is None
    assert [list(s.frame.index) for s in panel] == [[0, 1, 2], [0, 1, 2, 3]]


def test_text_covariates_are_decided_once_for_all_series():
    # B's day types look like numbers on their own; the whole table says they are text.
    frame = pd.concat(
        [
            series_rows("A", "2024-01-01", [1.0, 2, 3, 4], day=["W", "A", "U", "W"]),
            series_rows("B", "2024-01-01", [1.0, 2, 3], day=["1", "2", "1"]),
        ]
    )
    panel = read_panel(frame, "sales", ["day"], id_column="store")
    assert all(series.categorical == ("day",) for series in panel)


def test_an_id_in_the_index_of_a_frame_with_a_date_column():
    frame = two_stores().set_index("store")
    panel = read_panel(frame, "sales", id_column="store")
    assert panel.ids == ("A", "B") and panel.layout == "long"


# ---------------------------------------------------------------------------------- other layouts


def test_wide_format_one_series_per_column_with_shared_covariates():
    frame = pd.DataFrame(
        {
            "month": pd.date_range("2020-01-01", periods=5, freq="MS"),
            "north": [1.0, 2, 3, 4, 5],
            "south": [np.nan, np.nan, 3.0, 4, 5],
            "holidays": [1.0, 0, 0, 2, 1],
        }
    )
    panel = read_panel(frame, covariates=["holidays"], targets=["north", "south"])
    assert panel.layout == "wide" and panel.target == "value" and panel.ids == ("north", "south")
    assert panel.id_column == "series" and panel.covariates == ("holidays",)
    south = panel.get("south")
    assert south.columns == ("value", "holidays") and south.frame["value"].tolist() == [3.0, 4, 5]
    assert south.frame["holidays"].tolist() == [0.0, 2.0, 1.0]
    assert panel.notes == ("dropped 2 empty rows before the first value of 1 series",)
    every = read_panel(frame, covariates="holidays", targets="all")
    assert every.ids == ("north", "south") and read_panel(frame, targets=True).ids == (
        "north",
        "south",
        "holidays",
    )


def test_an_id_date_multiindex_either_way_round():
    frame = two_stores().assign(date=lambda f: pd.to_datetime(f["date"]))
    indexed = frame.set_index(["store", "date"])[["sales", "region"]]
    panel = read_panel(indexed, "sales", static="region")
    assert panel.layout == "multiindex" and panel.id_column == "store"
    assert panel.ids == ("A", "B") and panel.get("B").frame["sales"].iloc[0] == 10.0
    assert panel.statics["region"].tolist() == ["north", "south"]
    swapped = read_panel(indexed.swaplevel(), "sales")
    assert swapped.ids == ("A", "B") and swapped.lengths.tolist() == [6, 5]
    unnamed = indexed.rename_axis([None, "date"])
    assert read_panel(unnamed, "sales").id_column == "series"
    assert read_panel(unnamed, "sales", id_column="shop").id_column == "shop"


def test_an_id_date_multiindex_read_back_from_parquet(tmp_path):
    frame = two_stores().assign(date=lambda f: pd.to_datetime(f["date"]))
    frame.set_index(["store", "date"]).to_parquet(tmp_path / "stores.parquet")
    panel = read_panel(tmp_path / "stores.parquet", "sales", static=["region"])
    assert panel.ids == ("A", "B") and panel.statics["region"].tolist() == ["north", "south"]


def test_a_dict_or_list_of_series():
    days = pd.date_range("2021-03-01", periods=4, freq="D")
    a = pd.Series([1.0, 2, 3, 4], index=days, name="ignored")
    b = pd.Series([5.0, 6, 7], index=days[1:])
    panel = read_panel({"a": a, 2: b})
    assert panel.layout == "mapping" and panel.ids == ("a", "2") and panel.target == "value"
    assert panel.get("2").frame["value"].tolist() == [5.0, 6, 7] and panel.freq == "D"
    listed = read_panel([a.rename("x"), b, a.rename(None)])
    assert listed.ids == ("x", "1", "2")
    frames = read_panel({"p": a.to_frame("sales"), "q": b.to_frame("sales")}, id_column="shop")
    assert frames.target == "sales" and frames.id_column == "shop"


def test_one_series_is_a_panel_of_one_read_as_read_series_reads_it(tmp_path):
    path = write_csv(
        tmp_path / "one.csv",
        "date,y,x\n2020-01-01,1,5\n2020-01-01,1,5\n2020-01-02,2,6\n2020-01-03,3,7\n",
    )
    panel = read_panel(path, "y", ["x"])
    alone = read_series(path, "y", ["x"])
    assert panel.layout == "single" and panel.ids == ("y",) and panel.id_column == "series"
    pd.testing.assert_frame_equal(panel.series[0].frame, alone.frame)
    assert panel.notes == alone.notes and panel.freq == alone.freq == "D"
    assert read_panel(panel) is panel


# ------------------------------------------------------------------------------------- bad input


def test_an_id_with_too_few_points_is_named():
    frame = pd.concat(
        [series_rows("A", "2024-01-01", [1.0, 2, 3]), series_rows("B", "2024-01-01", [1.0, 2])]
    )
    with pytest.raises(SeqcastError, match=r"^series 'B': the series has 2 points, too few"):
        read_panel(frame, id_column="store")


def test_a_series_without_any_value_is_named():
    frame = pd.concat(
        [series_rows("A", "2024-01-01", [1.0, 2, 3]), series_rows("B", "2024-01-01", [np.nan] * 3)]
    )
    with pytest.raises(
        SeqcastError, match=r"^series 'B' has no values: its column 'sales' is empty"
    ):
        read_panel(frame, id_column="store")


def test_mixed_frequencies_name_both_series():
    frame = pd.concat(
        [
            series_rows("A", "2024-01-01", [1.0, 2, 3, 4], freq="MS"),
            series_rows("B", "2024-01-07", [1.0, 2, 3, 4], freq="W-SUN"),
        ]
    )
    with pytest.raises(
        SeqcastError,
        match=r"^series 'B' is weekly \(W-SUN\) but series 'A' is monthly \(MS\); a panel holds "
        r"series of one frequency",
    ):
        read_panel(frame, id_column="store")
    undated = {"a": pd.Series([1.0, 2, 3]), "b": pd.Series([1.0, 2, 3], index=frame["date"][:3])}
    with pytest.raises(SeqcastError, match=r"series 'a' counts integer steps but series 'b' has"):
        read_panel(undated)


def test_a_missing_id_column_lists_the_columns():
    with pytest.raises(
        SeqcastError,
        match=r"^unknown id column 'shop'; the columns are: store, date, sales, region$",
    ):
        read_panel(two_stores(), id_column="shop")


def test_a_duplicated_id_and_date_names_both_and_the_fix():
    frame = two_stores()
    repeated = pd.concat([frame, frame.iloc[[4]].assign(sales=99.0)])
    store, date = frame.iloc[4]["store"], frame.iloc[4]["date"]
    with pytest.raises(
        SeqcastError,
        match=rf"^series '{store}': the date {date} appears more than once with different "
        r"values; keep one row per date with --duplicates first",
    ):
        read_panel(repeated, id_column="store")
    merged = read_panel(repeated, id_column="store", duplicates="last")
    assert merged.get(store).frame.loc[date, "sales"] == 99.0
    # The same row twice is dropped, as for one series.
    exact = read_panel(pd.concat([frame, frame.iloc[[4]]]), id_column="store")
    assert exact.notes == (
        f"series '{store}': dropped 1 exact duplicate row (same date, same values)",
    )


def test_an_empty_id_names_its_row():
    for blank in (None, " "):
        frame = two_stores()
        frame.loc[6, "store"] = blank
        with pytest.raises(
            SeqcastError,
            match=r"^the id column 'store' is empty in row 7; fill in the series that row",
        ):
            read_panel(frame, id_column="store")


def test_a_static_column_that_changes_within_a_series_is_named():
    frame = two_stores()
    frame.loc[frame["store"] == "B", "region"] = ["south", "south", "east", "south", "south"]
    with pytest.raises(
        SeqcastError,
        match=r"^the static column 'region' changes within series 'B' \(south, east\); a static "
        r"column holds one value per series",
    ):
        read_panel(frame, id_column="store", static=["region"])


def test_statics_are_refused_where_there_is_no_id():
    frame = pd.DataFrame({"y": [1.0, 2, 3], "z": [4.0, 5, 6], "region": ["n", "n", "n"]})
    for kwargs, what in (
        ({"targets": ["y", "z"]}, "a wide table"),
        ({"target": "y"}, "a table of one series"),
    ):
        with pytest.raises(
            SeqcastError, match=rf"^static columns \(region\) .* which {what} lacks"
        ):
            read_panel(frame, static="region", **kwargs)
    with pytest.raises(SeqcastError, match="which a dict or list of series lacks"):
        read_panel({"a": frame["y"]}, static="region")


def test_contradictory_layouts_are_refused():
    with pytest.raises(SeqcastError, match=r"either id_column / --id-column .* or targets"):
        read_panel(two_stores(), id_column="store", targets=["sales"])
    with pytest.raises(SeqcastError, match=r"either target / --target .* or targets"):
        read_panel(two_stores(), target="sales", targets="all")
    with pytest.raises(SeqcastError, match=r"^unknown target column 'east'; the columns are"):
        read_panel(pd.DataFrame({"west": [1.0, 2, 3]}), targets=["west", "east"])
    with pytest.raises(SeqcastError, match=r"a panel needs two levels, the series' id and the"):
        read_panel(two_stores().set_index(["store", "region", "date"]))


def test_differing_targets_in_a_dict_are_named():
    days = pd.date_range("2021-03-01", periods=3, freq="D")
    data = {
        "a": pd.DataFrame({"sales": [1.0, 2, 3]}, index=days),
        "b": pd.DataFrame({"units": [1.0, 2, 3]}, index=days),
    }
    with pytest.raises(SeqcastError, match=r"^series 'b' forecasts column 'units' but series 'a'"):
        read_panel(data)
    assert read_panel({"a": data["a"], "b": data["b"].rename(columns={"units": "sales"})}).ids == (
        "a",
        "b",
    )


def test_get_an_unknown_series_lists_the_ids():
    panel = read_panel(two_stores(), id_column="store")
    with pytest.raises(SeqcastError, match=r"^unknown series 'C'; the series are: A, B$"):
        panel.get("C")
    with pytest.raises(SeqcastError, match="the series id 'A' is used twice"):
        Panel(panel.series, ("A", "A"), "store", "sales", panel.statics, "D", "long")


# ---------------------------------------------------------------------------------- property


@settings(max_examples=25, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 20), st.integers(3, 15)), min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_any_interleaving_of_long_rows_gives_back_each_series(spans, seed):
    """Series starting and ending anywhere, rows in any order across series, come back whole."""
    rng = np.random.default_rng(seed)
    parts, expected = [], {}
    for i, (start, length) in enumerate(spans):
        dates = pd.date_range("2022-01-01", periods=length, freq="MS") + pd.DateOffset(months=start)
        values = rng.normal(size=length).round(3)
        expected[f"s{i}"] = (dates, values)
        parts.append(
            pd.DataFrame({"id": f"s{i}", "date": dates, "y": values, "pos": range(length)})
        )
    rows = pd.concat(parts, ignore_index=True)
    # Shuffle across series but keep each series' rows in date order, as a file sorted by
    # date (or by anything else) would.
    rows = rows.iloc[np.argsort(rng.random(len(rows)) + rows["pos"].to_numpy(), kind="stable")]
    panel = read_panel(rows.drop(columns="pos"), "y", id_column="id")
    assert panel.ids == tuple(pd.unique(rows["id"]))
    for id_, (dates, values) in expected.items():
        series = panel.get(id_)
        assert series.frame.index.equals(pd.DatetimeIndex(dates, name="date"))
        np.testing.assert_array_equal(series.frame["y"].to_numpy(), values)


# ------------------------------------------------------------------ ids kept exactly as written


def padded_ids() -> pd.DataFrame:
    return pd.concat(
        [series_rows(store, "2024-01-01", [1.0, 2, 3, 4]) for store in ("001", "002", "010")]
    )


def test_ids_that_look_like_numbers_keep_their_leading_zeros(tmp_path):
    frame = padded_ids()
    frame.to_csv(tmp_path / "long.csv", index=False)
    frame.to_parquet(tmp_path / "long.parquet")
    for path in (tmp_path / "long.csv", tmp_path / "long.parquet"):
        assert read_panel(path, "sales", id_column="store").ids == ("001", "002", "010")
    semicolons = frame.assign(store=frame["store"].map({"001": "1.000", "002": "2.000"}))
    semicolons.dropna().to_csv(tmp_path / "eu.csv", sep=";", decimal=",", index=False)
    assert read_panel(tmp_path / "eu.csv", "sales", id_column="store").ids == ("1.000", "2.000")


def test_wide_columns_keep_their_names_and_numeric_ids_of_a_frame_read_as_text(tmp_path):
    wide = padded_ids().pivot(index="date", columns="store", values="sales").reset_index()
    wide.to_csv(tmp_path / "wide.csv", index=False)
    assert read_panel(tmp_path / "wide.csv", targets="all").ids == ("001", "002", "010")
    numbers = padded_ids().assign(store=lambda f: f["store"].astype(int))
    assert read_panel(numbers, "sales", id_column="store").ids == ("1", "2", "10")
