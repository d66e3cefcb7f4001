"""``seqcast fit``, in-process: real exports read and repaired, the test part held out, messages
that name the flags."""

import numpy as np
import pandas as pd

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import LINEAR, TINY, daily_frame, shop_csv, the_error
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model

# ------------------------------------------------------------------------------ real exports


def test_fit_reads_a_european_export_with_repeated_rows(tmp_path, capsys):
    frame = daily_frame(40)
    # decimal commas: 2020-01-01;10,123 (day-first dates are the date reader's business)
    lines = [f"{day:%Y-%m-%d};" + f"{y:.3f}".replace(".", ",") for day, y in frame["y"].items()]
    lines.insert(10, lines[9])  # the same row twice, as public exports do
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeffdate;y\r\n" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(path), *TINY, "--out", str(model)]) == 0
    out = capsys.readouterr().out
    assert "dropped 1 exact duplicate row (same date, same values)\n" in out
    assert "on 40 points" in out
    assert main(["fit", str(path), *TINY, "--target", "sales", "--out", str(model)]) == 2
    assert the_error(capsys.readouterr()).endswith(
        "unknown target column 'sales'; the columns are: y (read with separator ';')"
    )


def test_a_text_day_type_covariate_from_the_command_line(tmp_path, capsys):
    data, out = shop_csv(tmp_path / "shop.csv"), tmp_path / "shop.seqcast"
    argv = ["fit", str(data), "--target", "sales", "--covariates", "daytype", *TINY]
    assert main([*argv, "--out", str(out)]) == 0
    assert "read 'daytype' as 3 categories: A, U, W" in capsys.readouterr().out
    assert main(["forecast", str(out), str(data)]) == 0
    printed = capsys.readouterr().out
    assert "2024-04-30" in printed and "2024-05-01" in printed
    unseen = shop_csv(tmp_path / "later.csv", end_day="H")
    assert main(["forecast", str(out), str(unseen)]) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: column 'daytype' holds 'H' (first at 2024-04-29), a category the "
        "model did not see in training; it knows 'A', 'U', 'W'; fit the model again on data "
        "that holds it, or write it as one of those"
    )


def test_month_starts_that_read_two_ways_need_the_date_format_flag(tmp_path, capsys):
    months = pd.date_range("2022-01-01", periods=24, freq="MS")
    rows = "".join(f"{m:%d/%m/%Y},{i % 12 + 0.5 * i}\n" for i, m in enumerate(months[12:]))
    data = tmp_path / "monthly.csv"
    data.write_text("date,sales\n" + rows, encoding="utf-8")
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(data), *TINY, "--out", str(model)]) == 2
    assert "--date-format %d/%m/%Y" in the_error(capsys.readouterr())
    argv = ["fit", str(data), *TINY, "--date-format", "%d/%m/%Y", "--out", str(model)]
    assert main(argv) == 0
    capsys.readouterr()
    argv = ["forecast", str(model), str(data), "--date-format", "%d/%m/%Y"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "2024-01-01" in printed and "2024-02-01" in printed
    assert main(["forecast", str(model), str(data)]) == 0  # the saved model remembers it
    assert "2024-01-01" in capsys.readouterr().out
    argv = ["backtest", str(model), str(data), "--date-format", "%m/%d/%Y", "--start", "2023-01-08"]
    assert main(argv) == 2
    assert "frequency 'MS'" in the_error(capsys.readouterr())  # the model's, not this reading's


def test_fit_says_when_it_found_no_dates(tmp_path, capsys):
    data = tmp_path / "steps.csv"
    pd.DataFrame({"level": 5 + np.sin(np.arange(60) / 4)}).to_csv(data, index=False)
    assert main(["fit", str(data), *TINY, "--out", str(tmp_path / "steps.seqcast")]) == 0
    printed = capsys.readouterr().out
    assert (
        "no column of dates found (looked for a column named date, ds, time... or whose every "
        "value is a date); forecasts are labelled by step; name one with --date-column"
    ) in printed


def test_a_european_export_with_day_first_dates_under_another_name(tmp_path, capsys):
    # Excel in Germany: BOM, ';', decimal commas, 'Datum' written DD.MM.YYYY from the 1st,
    # a repeated row, and two days the till was closed (filled by the last value).
    days = pd.date_range("2024-01-01", periods=90, freq="D")
    rows = [
        f"{day:%d.%m.%Y};" + f"{100 + 10 * np.sin(i / 2):.2f}".replace(".", ",")
        for i, day in enumerate(days)
    ]
    rows.insert(5, rows[4])
    del rows[40:42]
    data = tmp_path / "umsatz.csv"
    data.write_bytes(("\ufeffDatum;Umsatz\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    model, out = tmp_path / "m.seqcast", tmp_path / "f.csv"
    argv = ["fit", str(data), *TINY, "--fill", "ffill", "--out", str(model)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "dropped 1 exact duplicate row" in printed and "filled 2 missing points" in printed
    assert "on 90 points" in printed
    assert main(["forecast", str(model), str(data), "--csv", str(out)]) == 0
    assert pd.read_csv(out)["date"].tolist() == ["2024-03-31", "2024-04-01"]


# ------------------------------------------------------------------------------ --test-from


def test_a_test_from_that_is_not_a_date_is_one_error_line(data_csv, capsys):
    argv = ["fit", str(data_csv), *LINEAR, "--test-from", "soon", "--out", "never.seqcast"]
    assert main(argv) == 2
    assert "--test-from 'soon' is not a date" in the_error(capsys.readouterr())


def _fit_error(capsys, data, *flags):
    argv = ["fit", str(data), *TINY, *flags, "--out", str(data.parent / "never.seqcast")]
    assert main(argv) == 2
    assert not (data.parent / "never.seqcast").exists()
    return the_error(capsys.readouterr()).removeprefix("seqcast: error: ")


def test_a_test_part_after_the_data_is_an_error(data_csv, capsys):
    assert _fit_error(capsys, data_csv, "--test-from", "2021-06-01") == (
        "--test-from 2021-06-01 is after the last point of the data (2020-10-26), so nothing "
        "would be held out for the test; give a date within the data, or leave --test-from out"
    )


def test_a_test_part_before_the_validation_part_says_so(data_csv, capsys):
    flags = ["--valid-from", "2020-09-01", "--test-from", "2020-08-01"]
    assert _fit_error(capsys, data_csv, *flags) == (
        "--test-from 2020-08-01 is before --valid-from 2020-09-01; the test part must come "
        "after the validation part"
    )
    flags = ["--valid-from", "2020-09-01", "--test-from", "2020-09-01"]
    assert "is at --valid-from 2020-09-01; the test part must" in _fit_error(
        capsys, data_csv, *flags
    )


def test_messages_name_the_flags_not_the_python_arguments(data_csv, capsys):
    assert _fit_error(capsys, data_csv, "--valid-from", "2020-01-01") == (
        "--valid-from 2020-01-01 is at or before the first point: nothing left to train"
    )
    assert _fit_error(capsys, data_csv, "--valid-from", "soon").startswith(
        "--valid-from 'soon' is not a date"
    )
    assert _fit_error(capsys, data_csv, "--valid-from", "2020-10-26").endswith(
        "validate on more data or fit without --valid-from"
    )


# ------------------------------------------------------------------ what a new user trips on


def stores_csv(path, stores=("001", "002", "010"), n: int = 40, repeat: bool = False):
    """A long export of a few stores whose ids look like numbers, by day."""
    frame = daily_frame(n).reset_index()
    parts = [frame.assign(store=store, y=frame["y"] + i) for i, store in enumerate(stores)]
    if repeat:  # each row twice, the second a little higher: --duplicates must merge them
        parts += [part.assign(y=part["y"] + 1) for part in parts]
    pd.concat(parts)[["store", "date", "y"]].to_csv(path, index=False)
    return path


def test_fit_leaves_out_the_row_numbers_pandas_writes(tmp_path, capsys):
    path = tmp_path / "with_index.csv"
    daily_frame(40).reset_index().to_csv(path)  # the default index: ",date,y" then 0,1,2...
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(path), *TINY, "--out", str(model)]) == 0
    out = capsys.readouterr().out
    assert "left out column 'Unnamed: 0', the row numbers df.to_csv() writes\n" in out
    assert "on 40 points" in out
    assert main(["show", str(model)]) == 0
    assert "covariates        none\n" in capsys.readouterr().out


def test_fit_of_an_image_or_a_workbook_says_what_it_is(tmp_path, capsys):
    picture = tmp_path / "sales.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    model = str(tmp_path / "m.seqcast")
    assert main(["fit", str(picture), *TINY, "--out", model]) == 2
    error = the_error(capsys.readouterr())
    assert error == (
        f"seqcast: error: '{picture}' is not a text table (CSV/TSV) or a Parquet file (it is a "
        "PNG image); give the data as a CSV, TSV or Parquet file"
    )
    workbook = tmp_path / "sales.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 60)
    assert main(["fit", str(workbook), *TINY, "--out", model]) == 2
    assert the_error(capsys.readouterr()).startswith(
        f"seqcast: error: seqcast does not read the workbook format of '{workbook}'"
    )


def test_fit_says_the_duplicates_merged_once(tmp_path, capsys):
    path = stores_csv(tmp_path / "twice.csv", stores=("A", "B"), repeat=True)
    argv = ["fit", str(path), "--id-column", "store", "--duplicates", "mean", *TINY]
    assert main([*argv, "--out", str(tmp_path / "m.seqcast")]) == 0
    out = capsys.readouterr().out
    merged = "merged 80 rows that repeat 40 dates by their mean (--duplicates mean)"
    assert out.count(merged) == 2  # once per series, each named
    assert f"series 'A': {merged}\n" in out and f"series 'B': {merged}\n" in out
    assert f"\n{merged}" not in out and not out.startswith(merged)


def test_fit_of_rows_that_merge_into_one_date_is_one_sentence(tmp_path, capsys):
    path = tmp_path / "one_day.csv"
    path.write_text("date,y\n2024-01-01,1\n2024-01-01,2\n2024-01-01,3\n", encoding="utf-8")
    argv = ["fit", str(path), "--duplicates", "mean", *TINY, "--out", str(tmp_path / "m")]
    assert main(argv) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: the series has 1 point (from 3 rows) after merging the rows that repeat "
        "a date, too few to forecast; give at least 3 (many more for a neural network)"
    )


# ---------------------------------------------------------- dates given as the file writes them


def _day_first_csv(path, written: str = "%d/%m/%Y", n: int = 120):
    """A daily series from 2023-01-01 whose dates are written ``written`` (day first)."""
    frame = daily_frame(n)
    frame.index = pd.date_range("2023-01-01", periods=n, freq="D")
    lines = [f"{day:{written}},{y:.4f}" for day, y in frame["y"].items()]
    path.write_text("date,y\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_test_and_validation_dates_are_read_day_first_as_the_file_writes_them(tmp_path, capsys):
    data, model = _day_first_csv(tmp_path / "dmy.csv"), str(tmp_path / "m.seqcast")
    assert main(["fit", str(data), *TINY, "--test-from", "03/04/2023", "--out", model]) == 0
    assert "on 92 points" in capsys.readouterr().out  # held out from 3 April, not 4 March
    assert main(["fit", str(data), *TINY, "--valid-from", "01/04/2023", "--out", model]) == 0
    assert "(validation from 2023-04-01)" in capsys.readouterr().out  # not 4 January


def test_a_date_format_given_reads_the_dates_given_in_its_order(tmp_path, capsys):
    data, model = _day_first_csv(tmp_path / "dmy.csv"), str(tmp_path / "m.seqcast")
    argv = ["fit", str(data), *TINY, "--date-format", "%d/%m/%Y", "--out", model]
    assert main([*argv, "--valid-from", "01.04.2023", "--test-from", "03/04/2023"]) == 0
    out = capsys.readouterr().out
    assert "on 92 points" in out and "(validation from 2023-04-01)" in out


def test_a_test_date_before_the_validation_date_echoes_both_as_read(tmp_path, capsys):
    data, model = _day_first_csv(tmp_path / "dmy.csv"), str(tmp_path / "m.seqcast")
    argv = ["fit", str(data), *TINY, "--valid-from", "03/04/2023", "--test-from", "02/04/2023"]
    assert main([*argv, "--out", model]) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: --test-from 02/04/2023 (2023-04-02) is before --valid-from 03/04/2023 "
        "(2023-04-03); the test part must come after the validation part"
    )


def test_a_date_that_reads_both_ways_beside_iso_dates_is_a_question(tmp_path, capsys):
    data = tmp_path / "iso.csv"
    daily_frame(120).to_csv(data, index_label="date")
    argv = ["fit", str(data), *TINY, "--valid-from", "03/04/2020", "--out", str(tmp_path / "m")]
    assert main(argv) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: --valid-from 03/04/2020 reads as 3 April or 4 March; write it as "
        "2020-04-03 or 2020-03-04"
    )
    argv[-3] = "13/04/2020"  # reads one way only
    assert main(argv) == 0
    assert "(validation from 2020-04-13)" in capsys.readouterr().out


def test_an_export_whose_dates_are_out_of_order_is_sorted_with_a_note(tmp_path, capsys):
    data = tmp_path / "unsorted.csv"
    daily_frame(120).sample(frac=1.0, random_state=1).to_csv(data, index_label="date")
    argv = ["fit", str(data), *TINY, "--test-from", "2020-04-01", "--out", str(tmp_path / "m")]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "sorted 120 rows by date\n" in out and "on 91 points" in out


def test_many_series_are_cut_at_a_test_date_written_as_the_file_writes_dates(tmp_path, capsys):
    days = pd.date_range("2023-01-01", periods=120, freq="D")
    y = daily_frame(120)["y"].to_numpy()
    rows = [f"{store},{day:%d.%m.%Y},{v:.4f}" for store in "AB" for day, v in zip(days, y)]
    data = tmp_path / "stores.csv"
    data.write_text("store,date,y\n" + "\n".join(rows) + "\n", encoding="utf-8")
    argv = ["fit", str(data), "--id-column", "store", *TINY, "--test-from", "03/04/2023"]
    assert main([*argv, "--valid-from", "01.03.2023", "--out", str(tmp_path / "m")]) == 0
    out = capsys.readouterr().out
    assert "on 2 series (184 points)" in out and "(validation from 2023-03-01)" in out
