"""Dates: found, parsed, and read back as labels and positions."""

import datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ------------------------------------------------------------------ real exports' dates


def export(path, header: str, rows, *, bom: bool = False):
    """Write rows as a spreadsheet or database export would: text, optionally with a BOM."""
    text = header + "\n" + "".join(f"{row}\n" for row in rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


DAYS = pd.date_range("2023-01-01", periods=120, freq="D")
MONTHS_2023 = pd.date_range("2023-01-01", periods=12, freq="MS")


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize(
    ("header", "written"),
    [("date,sales", "%d/%m/%Y"), ("Datum,Umsatz", "%d.%m.%Y"), ("date,sales", "%d-%m-%Y")],
)
def test_day_first_daily_dates_starting_on_days_1_to_12_are_kept(tmp_path, header, written, bom):
    # Before: the first value fixed the format month-first, days 13+ failed, the column
    # was dropped and forecasts were labelled 120, 121, 122.
    rows = [f"{day.strftime(written)},{i}" for i, day in enumerate(DAYS)]
    frame = read_table(export(tmp_path / "daily.csv", header, rows, bom=bom))
    assert frame.index.name == header.split(",")[0]
    assert frame.index[12] == pd.Timestamp("2023-01-13")  # 13/01/2023, not a failed value
    data = prepare_series(frame)
    assert data.freq == "D"
    assert [str(d.date()) for d in data.future_index(2)] == ["2023-05-01", "2023-05-02"]


def test_twelve_month_starts_that_read_two_ways_ask_for_the_date_format(tmp_path):
    # Before: read as 1-12 January, forecasts labelled 2023-01-13.
    rows = [f"{month:%d/%m/%Y},{i}" for i, month in enumerate(MONTHS_2023)]
    path = export(tmp_path / "monthly.csv", "date,sales", rows)
    with pytest.raises(
        SeqcastError,
        match=r"column 'date' reads two ways: day first as 2023-01-01, 2023-02-01, .*'MS'.*"
        r"month first as 2023-01-01, 2023-01-02, .*'D'.*--date-format %d/%m/%Y$",
    ):
        read_table(path)
    monthly = prepare_series(read_table(path, date_format="%d/%m/%Y"))
    assert monthly.freq == "MS"
    assert monthly.future_index(1)[0] == pd.Timestamp("2024-01-01")
    daily = prepare_series(read_table(path, date_format="%m/%d/%Y"))
    assert daily.freq == "D"


def test_sixty_month_starts_written_day_first_are_monthly(tmp_path):
    # Before: "the series has a gap ... fill the missing dates (df.asfreq('D') ...)".
    months = pd.date_range("2019-01-01", periods=60, freq="MS")
    rows = [f"{month:%d/%m/%Y},{i}" for i, month in enumerate(months)]
    data = prepare_series(read_table(export(tmp_path / "m.csv", "date,sales", rows)))
    assert data.freq == "MS"
    assert data.frame.index[-1] == pd.Timestamp("2023-12-01")


def test_month_first_dates_proven_by_a_day_above_12_stay_month_first(tmp_path):
    rows = [f"{day:%m/%d/%Y},{i}" for i, day in enumerate(DAYS)]
    frame = read_table(export(tmp_path / "us.csv", "date,sales", rows))
    assert frame.index[32] == pd.Timestamp("2023-02-02")


def test_a_date_format_that_does_not_read_the_dates_names_format_and_value(tmp_path):
    rows = [f"{day:%d.%m.%Y},{i}" for i, day in enumerate(DAYS[:5])]
    path = export(tmp_path / "d.csv", "date,sales", rows)
    with pytest.raises(
        SeqcastError,
        match=r"^the date format '%d/%m/%Y' does not read '01.01.2023' \(row 1 of column 'date'\)",
    ):
        read_table(path, date_format="%d/%m/%Y")
    with pytest.raises(SeqcastError, match=r"^the date format '%Q' cannot be used"):
        read_table(path, date_format="%Q")
    order_date = export(tmp_path / "o.csv", "order_date,sales", rows)  # found by its values
    with pytest.raises(SeqcastError, match=r"'%d/%m/%Y' does not read '01.01.2023' \(row 1"):
        read_table(order_date, date_format="%d/%m/%Y")
    counts = pd.DataFrame({"month": [1, 2, 3], "Datum": ["01.01.2023", "02.01.2023", "03.01.2023"]})
    assert read_table(counts, date_format="%d.%m.%Y").index.name == "Datum"
    with pytest.raises(SeqcastError, match=r"^no column holds dates written as '%d/%m/%Y'"):
        read_table(pd.DataFrame({"y": [1.0, 2.0, 3.0]}), date_format="%d/%m/%Y")


def test_a_date_format_reads_whole_numbers_such_as_20230131():
    frame = pd.DataFrame({"date": [20230130, 20230131, 20230201], "y": [1.0, 2.0, 3.0]})
    table = read_table(frame, date_format="%Y%m%d")
    assert table.index[-1] == pd.Timestamp("2023-02-01")


HOURS_ACROSS_DST = pd.date_range(
    "2023-03-25 00:00", "2023-03-27 00:00", freq="h", tz="Europe/Berlin"
)  # the last Sunday of March: 02:00 local does not exist


@pytest.mark.parametrize("date_column", [None, "timestamp"])
def test_hourly_local_times_across_daylight_saving_are_one_regular_line(tmp_path, date_column):
    # Before: the mixed offsets made the column unreadable: dropped for step numbers, or
    # pandas' "Mixed timezones detected" with --date-column.
    rows = [f"{hour.isoformat()},{i}" for i, hour in enumerate(HOURS_ACROSS_DST)]
    assert "+01:00" in rows[0] and "+02:00" in rows[-1]
    path = export(tmp_path / "load.csv", "timestamp,load", rows)
    data = prepare_series(read_table(path, date_column=date_column))
    assert data.freq == "h"
    assert len(data) == 48  # 49 wall-clock hours less the one that never was
    assert data.frame.index.is_unique
    assert data.frame.index[0] == pd.Timestamp("2023-03-24 23:00", tz="UTC")
    future = data.future_index(2)
    assert [hour.isoformat() for hour in future] == [
        "2023-03-27T01:00:00+02:00",
        "2023-03-27T02:00:00+02:00",
    ]  # in the offset of the last date


def test_daily_local_midnights_across_daylight_saving_stay_daily(tmp_path):
    days = pd.date_range("2023-03-20", "2023-04-02", freq="D", tz="Europe/Berlin")
    rows = [f"{day.isoformat()},{i}" for i, day in enumerate(days)]
    data = prepare_series(read_table(export(tmp_path / "d.csv", "date,load", rows)))
    assert data.freq == "D"
    assert data.frame.index[-1] == pd.Timestamp("2023-04-02")


def test_one_fixed_offset_stays_as_written(tmp_path):
    rows = [f"2023-01-01T{hour:02d}:00:00+05:30,{hour}" for hour in range(10)]
    data = prepare_series(read_table(export(tmp_path / "ist.csv", "time,load", rows)))
    assert data.freq == "h"
    assert str(data.frame.index.tz) == "UTC+05:30"
    assert data.frame.index[0].hour == 0


def test_naive_labels_on_dates_with_an_offset_mean_that_offset(tmp_path):
    rows = [f"{hour.isoformat()},{i}" for i, hour in enumerate(HOURS_ACROSS_DST)]
    index = read_table(export(tmp_path / "load.csv", "timestamp,load", rows)).index
    assert parse_label(index, "2023-03-26 12:00", "valid").isoformat() == (
        "2023-03-26T12:00:00+02:00"
    )
    assert label_position(index, "2023-03-26 12:00", "valid") == 35


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize(
    ("name", "written"),
    [("order_date", "%Y-%m-%d"), ("Datum", "%d.%m.%Y"), ("Fecha", "%d/%m/%Y")],
)
def test_a_date_column_of_any_name_is_found_by_its_values(tmp_path, name, written, bom):
    # Before: ignored (not named date, ds, time...), forecasts labelled by step.
    rows = [f"{day.strftime(written)},A{i % 3},{i}" for i, day in enumerate(DAYS[:40])]
    frame = read_table(export(tmp_path / "x.csv", f"{name},code,amount", rows, bom=bom))
    assert frame.index.name == name
    assert frame.attrs["seqcast_dates"] == f"column '{name}'"
    assert frame.columns.tolist() == ["code", "amount"]
    assert prepare_series(frame, "amount").freq == "D"


def test_two_columns_of_dates_by_value_ask_which(tmp_path):
    ship = pd.Timedelta(days=2)
    rows = [f"{day:%Y-%m-%d},{day + ship:%Y-%m-%d},{i}" for i, day in enumerate(DAYS)]
    path = export(tmp_path / "orders.csv", "order_date,ship_date,amount", rows)
    with pytest.raises(
        SeqcastError,
        match=r"several columns look like dates \(order_date, ship_date\); .*--date-column",
    ):
        read_table(path)
    assert read_table(path, date_column="ship_date").columns.tolist() == ["order_date", "amount"]


def test_numbers_written_as_text_are_not_dates_unless_named_like_dates():
    frame = pd.DataFrame(
        {"price": ["1,5", "2,25", "3"], "year": ["2020", "2021", "2022"], "y": [1, 2, 3]}
    )
    table = read_table(frame)
    assert table.index.tolist() == [0, 1, 2]
    assert table.attrs["seqcast_dates"] == "none found"
    named = read_table(pd.DataFrame({"date": ["20200101", "20200102", "20200103"], "y": [1, 2, 3]}))
    assert named.index[-1] == pd.Timestamp("2020-01-03")


def test_words_and_codes_are_not_dates_by_value():
    frame = pd.DataFrame({"day": ["Mon", "Tue", "Wed"], "size": ["10-12", "12-14", "1.2.3"]})
    frame["y"] = [1.0, 2.0, 3.0]
    assert read_table(frame).attrs["seqcast_dates"] == "none found"


# ------------------------------------------------------- dates given as the data writes them


def test_a_date_given_is_read_in_the_order_of_day_and_month_the_data_shows():
    from seqcast.data.dates import DateStyle, user_date

    day_first, month_first = DateStyle(day_first=True), DateStyle(day_first=False)
    assert user_date("03/02/2023", "--start", day_first) == pd.Timestamp("2023-02-03")
    assert user_date("03/02/2023", "--start", month_first) == pd.Timestamp("2023-03-02")
    assert user_date("3.2.23 12:30", "--start", day_first) == pd.Timestamp("2023-02-03 12:30")
    assert user_date("2023-02-03", "--start", month_first) == pd.Timestamp("2023-02-03")
    formatted = DateStyle(date_format="%d-%m-%Y")  # a format given says the order
    assert user_date("03-02-2023", "--start", formatted) == pd.Timestamp("2023-02-03")
    assert user_date("03/02/2023", "--start", formatted) == pd.Timestamp("2023-02-03")
    assert user_date("13/02/2023", "--start") == pd.Timestamp("2023-02-13")  # one way only
    with pytest.raises(SeqcastError) as asked:
        user_date("03/02/2023", "--start")
    assert str(asked.value) == (
        "--start 03/02/2023 reads as 3 February or 2 March; write it as 2023-02-03 or 2023-03-02"
    )
    with pytest.raises(SeqcastError) as wrong:
        user_date("02/13/2023", "--start", day_first)
    assert str(wrong.value) == (
        "--start 02/13/2023 is not a date written day first, as the data writes its dates; "
        "write it day first or as 2023-MM-DD"
    )


def test_how_a_file_writes_its_dates_reaches_its_series(tmp_path):
    from seqcast.data.dates import DateStyle
    from seqcast.data.panel import read_panel
    from seqcast.data.series import read_series

    days = pd.date_range("2023-01-01", periods=40, freq="D")
    path = write_csv(
        tmp_path / "mdy.csv",
        "date,y\n" + "".join(f"{d:%m-%d-%Y},{i}\n" for i, d in enumerate(days)),
    )
    assert read_series(path).date_style == DateStyle(day_first=False)
    assert read_panel(path).date_style == DateStyle(day_first=False)
    assert read_panel(path, date_format="%m-%d-%Y").date_style.order is False
    assert (
        read_series(
            write_csv(tmp_path / "iso.csv", "date,y\n2023-01-01,1\n2023-01-02,2\n2023-01-03,3\n")
        ).date_style
        == DateStyle()
    )


_FORMATS = {True: "%d{sep}%m{sep}{year}", False: "%m{sep}%d{sep}{year}"}


@settings(max_examples=30, deadline=None)
@given(
    start=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2040, 1, 1)),
    n=st.integers(min_value=30, max_value=80),
    day_first=st.booleans(),
    sep=st.sampled_from(["/", ".", "-"]),
    year=st.sampled_from(["%Y", "%y"]),
    format_given=st.booleans(),
    data=st.data(),
)
def test_splits_and_origins_land_on_the_date_given_in_the_files_style(
    start, n, day_first, sep, year, format_given, data
):
    import tempfile
    from pathlib import Path

    from seqcast.backtesting.origins import backtest_origins
    from seqcast.data.panel import read_panel
    from seqcast.data.transform import training_end

    written = _FORMATS[day_first].format(sep=sep, year=year)
    days = pd.date_range(start, periods=n, freq="D")
    text = "date,y\n" + "".join(f"{day:{written}},{i}\n" for i, day in enumerate(days))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dates.csv"
        path.write_text(text, encoding="utf-8")
        panel = read_panel(path, date_format=written if format_given else None)
    series = panel.series[0]
    index, style = series.frame.index, series.date_style
    assert index.equals(pd.DatetimeIndex(days, freq="D"))
    k = data.draw(st.integers(min_value=5, max_value=n - 2), label="position")
    given = f"{days[k]:{written}}"  # the date as the file writes it
    assert training_end(index, given, style) == k
    origins = backtest_origins(
        index, given, default=None, horizon=1, stride=1, window=5, style=style
    )
    assert origins[0] == k
    assert len(panel.before(given).series[0]) == k
