"""The practitioner's commands, in-process: fit, forecast, backtest, lr-find, datasets."""

import errno
import os
import zipfile

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.bundle import read_manifest
from seqcast.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LINEAR = ["--model", "linear", "--window", "14", "--horizon", "3", "--epochs", "3", "--quiet"]


def daily_frame(n: int = 300) -> pd.DataFrame:
    """A weekly sine on a trend with a little noise, one point a day from 2020-01-01."""
    t = np.arange(n)
    noise = np.random.default_rng(0).normal(size=n)
    values = 10 + 0.02 * t + np.sin(2 * np.pi * t / 7) + 0.1 * noise
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"y": values}, index=index)


def write_csv(path, frame: pd.DataFrame):
    frame.to_csv(path, index_label="date")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def data_csv(folder):
    return write_csv(folder / "sales.csv", daily_frame())


@pytest.fixture(scope="module")
def linear_model(folder, data_csv):
    """A linear model saved by `seqcast fit`, without dropout."""
    out = folder / "linear.seqcast"
    assert main(["fit", str(data_csv), *LINEAR, "--out", str(out)]) == 0
    return out


def the_error(captured) -> str:
    """The one error line of a failed command; fails on a traceback or a second error line."""
    err = captured.err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("seqcast: error:")]
    assert len(errors) == 1, err
    assert lines == errors, err  # nothing but the one sentence
    return errors[0]


# ------------------------------------------------------------------------------ fit / forecast


def test_fit_then_forecast_writes_the_table_and_the_plot(tmp_path, data_csv, capsys):
    model = tmp_path / "m.seqcast"
    argv = ["fit", str(data_csv), *LINEAR, "--valid-from", "2020-09-01", "--out", str(model)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "trained " in out and "best validation MAE" in out
    assert "validation from 2020-09-01" in out
    assert f"wrote {model}" in out
    assert zipfile.is_zipfile(model)

    csv, png = tmp_path / "out.csv", tmp_path / "out.png"
    argv = ["forecast", str(model), str(data_csv), "--csv", str(csv), "--plot", str(png)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "2020-10-27" in out and "2020-10-29" in out
    assert out.splitlines()[0].split() == ["y"]  # the table's header: the target
    assert f"wrote {csv}" in out and f"wrote {png}" in out
    assert png.read_bytes().startswith(PNG_MAGIC)
    table = pd.read_csv(csv)
    assert table.columns.tolist() == ["date", "y"]
    assert table["date"].tolist() == ["2020-10-27", "2020-10-28", "2020-10-29"]
    # The written forecast is the model's forecast.
    from seqcast.forecaster import Forecaster

    expected = Forecaster.load(model).predict(daily_frame())["y"].to_numpy()
    np.testing.assert_allclose(table["y"].to_numpy(), expected, rtol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.seqcast", "out.csv", "out.png"]


def test_fit_and_backtest_a_built_in_dataset(tmp_path, capsys):
    model = tmp_path / "sun.seqcast"
    argv = ["fit", "sunspots", "--model", "linear", "--epochs", "2", "--quiet", "--out", str(model)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert ": 2 epochs in" in out and "validation from 1930-01-01" in out

    png, csv = tmp_path / "bt.png", tmp_path / "scores.csv"
    argv = [
        "backtest",
        str(model),
        "sunspots",
        "--no-sarima",
        "--plot",
        str(png),
        "--csv",
        str(csv),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    # By default the backtest scores the test part, from 1960 on, horizon 5, season 11.
    assert "origins from 1960-01-01 to 2004-01-01, horizon 5, season 11" in out
    rows = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert {"linear", "naive", "seasonal_naive"} <= set(rows)
    assert "sarima" not in rows
    assert "best by MAE:" in out
    assert png.read_bytes().startswith(PNG_MAGIC)
    scores = pd.read_csv(csv, index_col="method")
    assert scores.index[0] == "linear"
    assert {"naive", "seasonal_naive"} <= set(scores.index)
    assert scores.columns.tolist() == ["MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE"]


# ------------------------------------------------------------------------------ intervals


def test_a_window_scaled_model_follows_a_series_moved_to_another_level(folder, data_csv):
    model, table = folder / "window.seqcast", folder / "window.csv"
    fit = ["fit", str(data_csv), *LINEAR, "--scaler", "window", "--out", str(model)]
    assert main(fit) == 0
    moved = write_csv(folder / "moved.csv", daily_frame() + 1000)
    forecasts = []
    for data in (data_csv, moved):
        assert main(["forecast", str(model), str(data), "--csv", str(table)]) == 0
        forecasts.append(pd.read_csv(table)["y"].to_numpy())
    tolerance = 1000 * 10 * np.finfo("float32").eps  # float32 rounding near 1000
    np.testing.assert_allclose(forecasts[1], forecasts[0] + 1000, atol=tolerance)


def test_forecast_intervals_from_a_dropout_model(tmp_path, data_csv, capsys):
    model = tmp_path / "gru.seqcast"
    argv = ["fit", str(data_csv), "--model", "gru", "--dropout", "0.2", "--window", "5"]
    argv += ["--horizon", "3", "--epochs", "2", "--quiet", "--out", str(model)]
    assert main(argv) == 0
    capsys.readouterr()
    csv, png = tmp_path / "f.csv", tmp_path / "f.png"
    argv = ["forecast", str(model), str(data_csv), "--intervals", "0.9", "--samples", "32"]
    assert main([*argv, "--csv", str(csv), "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["y", "lower", "upper"]
    table = pd.read_csv(csv)
    assert table.columns.tolist() == ["date", "y", "lower", "upper"]
    assert len(table) == 3
    assert (table["lower"] <= table["upper"]).all()
    assert (table["upper"] > table["lower"]).any()
    assert png.read_bytes().startswith(PNG_MAGIC)


def test_forecast_intervals_without_dropout_is_an_error(linear_model, data_csv, capsys):
    argv = ["forecast", str(linear_model), str(data_csv), "--intervals", "0.9"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "dropout" in the_error(captured)
    assert captured.out == ""


# ------------------------------------------------------------------------------ lr-find, datasets


def test_lr_find_prints_a_suggestion_and_plots(tmp_path, data_csv, capsys):
    png = tmp_path / "lr.png"
    argv = ["lr-find", str(data_csv), "--model", "linear", "--window", "14", "--quiet"]
    assert main([*argv, "--epochs", "30", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "suggested learning rate" in out
    assert "--optimizer sgd --learning-rate" in out
    assert sum(line.startswith("  lr ") for line in out.splitlines()) == 10  # every 3rd epoch
    assert png.read_bytes().startswith(PNG_MAGIC)


def test_datasets_lists_the_series_and_the_panels(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    names = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert names == ["course", "sunspots", "co2", "elnino", "us_employment", "visnights"]
    assert "309 points" in out and "season 11" in out
    assert "148 series" in out


# ------------------------------------------------------------------------------ bad input


def _fit(path, *extra):
    return ["fit", str(path), *LINEAR, *extra, "--out", str(path.parent / "never.seqcast")]


def _bad_csv(tmp_path, name, change):
    frame = daily_frame(100).astype(object)
    return write_csv(tmp_path / name, change(frame))


def _with_missing(frame):
    frame.iloc[40, 0] = np.nan
    return frame


def _with_duplicate(frame):
    frame.index = frame.index.where(frame.index != "2020-01-21", pd.Timestamp("2020-01-20"))
    return frame


def _with_gap(frame):
    return frame.drop(pd.date_range("2020-02-01", periods=3))


def _with_text(frame):
    frame.iloc[30, 0] = "abc"
    return frame


def _foreign_zip(path):
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("readme.txt", "holiday pictures")
    return path


CASES = {
    "missing-values": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_missing)),
        "column 'y' has 1 missing value (the first at 2020-02-10)",
    ),
    "duplicated-dates": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_duplicate)),
        "the date 2020-01-20 appears more than once",
    ),
    "gap": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_gap)),
        "gap: after 2020-01-31 the next date is 2020-02-04",
    ),
    "non-numeric": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_text)),
        "column 'y' is not numeric: it holds 'abc' at 2020-01-31",
    ),
    "too-short": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", lambda f: f.iloc[:12])),
        "has 12 points, but a window of 14 plus a horizon of 3 needs at least 17",
    ),
    "unknown-target": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", lambda f: f), "--target", "sales"),
        "unknown target column 'sales'; the columns are: y",
    ),
    "missing-data-file": (
        lambda tmp, model: _fit(tmp / "nowhere.csv"),
        "no file",
    ),
    "forecast-data-with-gap": (
        lambda tmp, model: ["forecast", str(model), str(_bad_csv(tmp, "d.csv", _with_gap))],
        "gap: after 2020-01-31",
    ),
    "corrupt-model": (
        lambda tmp, model: [
            "forecast",
            str(_random_file(tmp / "junk.seqcast")),
            str(_bad_csv(tmp, "d.csv", lambda f: f)),
        ],
        "is not a seqcast model file (not a zip bundle)",
    ),
    "foreign-model": (
        lambda tmp, model: [
            "forecast",
            str(_foreign_zip(tmp / "photos.seqcast")),
            str(_bad_csv(tmp, "d.csv", lambda f: f)),
        ],
        "is not a readable seqcast model bundle",
    ),
}


def _random_file(path):
    path.write_bytes(np.random.default_rng(0).bytes(2048))
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_error_line_and_exit_2(case, tmp_path, linear_model, capsys):
    make_argv, message = CASES[case]
    argv = make_argv(tmp_path, linear_model)
    assert main(argv) == 2
    error = the_error(capsys.readouterr())
    assert message in error
    assert not (tmp_path / "never.seqcast").exists()


def test_a_failed_fit_leaves_the_earlier_model_as_it_was(tmp_path, data_csv, capsys):
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(data_csv), *LINEAR, "--out", str(model)]) == 0
    before = model.read_bytes()
    bad = _bad_csv(tmp_path, "bad.csv", _with_missing)
    assert main(["fit", str(bad), *LINEAR, "--seed", "1", "--out", str(model)]) == 2
    assert "missing value" in the_error(capsys.readouterr())
    assert model.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "m.seqcast"]


def test_known_covariates_from_the_command_line(folder, capsys):
    """`fit --known promo`, then `forecast --future` with the promotions of the horizon."""
    frame = daily_frame()
    frame["promo"] = (np.arange(len(frame)) % 5 == 0).astype(float)
    data = write_csv(folder / "promo.csv", frame)
    out = folder / "promo.seqcast"
    assert (
        main(["fit", str(data), "--target", "y", "--known", "promo", *LINEAR, "--out", str(out)])
        == 0
    )
    capsys.readouterr()
    assert main(["forecast", str(out), str(data)]) == 2
    assert "--future" in the_error(capsys.readouterr())
    dates = pd.date_range(frame.index[-1] + pd.Timedelta(days=1), periods=3, freq="D")
    future = write_csv(folder / "future.csv", pd.DataFrame({"promo": [1.0, 0.0, 0.0]}, index=dates))
    assert main(["forecast", str(out), str(data), "--future", str(future)]) == 0
    printed = capsys.readouterr().out
    assert all(f"{day:%Y-%m-%d}" in printed for day in dates)


def test_a_series_without_dates_is_forecast_in_steps(folder, capsys):
    values = pd.DataFrame({"level": 5 + np.sin(np.arange(120) / 4)})
    data = folder / "steps.csv"
    values.to_csv(data, index=False)
    model, out = folder / "steps.seqcast", folder / "steps_forecast.csv"
    assert main(["fit", str(data), *LINEAR, "--out", str(model)]) == 0
    assert main(["forecast", str(model), str(data), "--csv", str(out)]) == 0
    written = pd.read_csv(out)
    assert written.columns.tolist() == ["step", "level"]
    assert written["step"].tolist() == [120, 121, 122]  # the steps after the last row


def test_a_test_from_that_is_not_a_date_is_one_error_line(data_csv, capsys):
    argv = ["fit", str(data_csv), *LINEAR, "--test-from", "soon", "--out", "never.seqcast"]
    assert main(argv) == 2
    assert "--test-from 'soon' is not a date" in the_error(capsys.readouterr())


# ------------------------------------------------------------------------------ real exports

TINY = ["--model", "linear", "--window", "5", "--horizon", "2", "--epochs", "2", "--quiet"]


def test_fit_fills_a_gap_and_backtest_does_not_score_it(tmp_path, capsys):
    frame = daily_frame(60).drop(pd.date_range("2020-02-10", periods=2))  # two days missing
    data = write_csv(tmp_path / "weather.csv", frame)
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(data), *TINY, "--out", str(model)]) == 2
    assert "fill the missing dates with --fill interpolate" in the_error(capsys.readouterr())

    assert main(["fit", str(data), *TINY, "--fill", "interpolate", "--out", str(model)]) == 0
    out = capsys.readouterr().out
    assert "filled 2 missing points (--fill interpolate)\n" in out
    assert "on 60 points" in out

    # the saved model fills new data as it was fitted; the filled days are not scored
    argv = ["backtest", str(model), str(data), "--start", "2020-02-01", "--no-sarima"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "(not scored: 4 forecast values whose actual value was filled in, not observed)" in out
    assert main([*argv, "--fill", "none"]) == 2
    assert "has a gap: after 2020-02-09" in the_error(capsys.readouterr())


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


def shop_csv(path, n: int = 120, end_day: str | None = None):
    """A shop's export: sales by day type (W weekdays, A Saturdays, U Sundays and holidays)."""
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    day = np.where(index.day_of_week < 5, "W", np.where(index.day_of_week == 5, "A", "U"))
    day[[0, 89]] = "U"  # New Year's Day, Easter Monday
    if end_day:
        day[-1] = end_day
    noise = np.random.default_rng(0).normal(size=n)
    sales = np.select([day == "W", day == "A"], [100.0, 60.0], 30.0) + 2 * noise
    rows = [f"{d:%Y-%m-%d},{s:.2f},{t}" for d, s, t in zip(index, sales, day)]
    path.write_text("date,sales,daytype\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


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


def test_a_known_text_covariate_with_future_values(tmp_path, capsys):
    data, out = shop_csv(tmp_path / "shop.csv"), tmp_path / "known.seqcast"
    argv = ["fit", str(data), "--target", "sales", "--known", "daytype", *TINY]
    assert main([*argv, "--out", str(out)]) == 0
    future = tmp_path / "future.csv"
    future.write_text("date,daytype\n2024-04-30,W\n2024-05-01,U\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["forecast", str(out), str(data), "--future", str(future)]) == 0
    assert "2024-05-01" in capsys.readouterr().out
    future.write_text("date,daytype\n2024-04-30,W\n2024-05-01,Labour Day\n", encoding="utf-8")
    assert main(["forecast", str(out), str(data), "--future", str(future)]) == 2
    assert "holds 'Labour Day' (first at 2024-05-01)" in the_error(capsys.readouterr())


def test_data_far_from_training_is_one_warning_line(linear_model, folder, capsys):
    larger = write_csv(folder / "ten_times.csv", daily_frame() * 10)
    assert main(["forecast", str(linear_model), str(larger)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("seqcast: warning: column 'y' goes from "), err
    assert "in training" in err[0] and "--difference 1" in err[0]
    assert main(["forecast", str(linear_model), str(folder / "sales.csv")]) == 0
    assert capsys.readouterr().err == ""  # in range: nothing to say


def test_a_band_above_the_forecast_is_noted(tmp_path, capsys):
    """The level rises by 5 in the validation part: the model under-forecast it."""
    frame = daily_frame()
    frame.loc[frame.index >= "2020-09-01", "y"] += 5
    data, out = write_csv(tmp_path / "jump.csv", frame), tmp_path / "jump.seqcast"
    argv = ["fit", str(data), *LINEAR, "--valid-from", "2020-09-01", "--out", str(out)]
    assert main(argv) == 0
    capsys.readouterr()
    plot = tmp_path / "forecast.png"
    assert main(["forecast", str(out), str(data), "--intervals", "0.9", "--plot", str(plot)]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, notes
    assert notes[0].startswith("note: the 90% band lies above the forecast at steps 1-")
    assert notes[0].endswith(
        ": the model under-forecast the validation part, and the band is where the actual "
        "values fell around its forecasts there; it is left as it is (centred, it would hide "
        "the bias), and a refit (more epochs, differencing) may reduce the bias"
    )
    assert plot.read_bytes().startswith(PNG_MAGIC)


def test_day_first_daily_export_is_fitted_and_forecast_on_its_dates(tmp_path, capsys):
    # Before: the column was dropped and the forecast was labelled 120, 121.
    days = pd.date_range("2023-01-01", periods=120, freq="D")
    rows = "".join(f"{day:%d/%m/%Y},{10 + np.sin(i / 3):.3f}\n" for i, day in enumerate(days))
    data = tmp_path / "sales.csv"
    data.write_bytes(b"\xef\xbb\xbf" + ("date,sales\n" + rows).encode())  # Excel's BOM
    model, out = tmp_path / "m.seqcast", tmp_path / "f.csv"
    assert main(["fit", str(data), *TINY, "--out", str(model)]) == 0
    assert "no column of dates" not in capsys.readouterr().out
    assert main(["forecast", str(model), str(data), "--csv", str(out)]) == 0
    assert "2023-05-01" in capsys.readouterr().out
    assert pd.read_csv(out)["date"].tolist() == ["2023-05-01", "2023-05-02"]


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


def test_hourly_export_across_daylight_saving_is_forecast_with_its_offset(tmp_path, capsys):
    hours = pd.date_range("2023-03-24", "2023-03-28", freq="h", tz="Europe/Berlin")
    rows = "".join(f"{h.isoformat()},{50 + 10 * np.sin(i / 4):.2f}\n" for i, h in enumerate(hours))
    data = tmp_path / "load.csv"
    data.write_text("timestamp,load\n" + rows, encoding="utf-8")
    model, out = tmp_path / "m.seqcast", tmp_path / "f.csv"
    assert main(["fit", str(data), *TINY, "--valid-from", "2023-03-27", "--out", str(model)]) == 0
    assert main(["forecast", str(model), str(data), "--csv", str(out)]) == 0
    capsys.readouterr()
    assert pd.read_csv(out)["date"].tolist() == [
        "2023-03-28 01:00:00+02:00",
        "2023-03-28 02:00:00+02:00",
    ]


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


# ------------------------------------------------------------------------------ outputs


def _no_training(monkeypatch):
    """Fail the test if a model trains: the output checks come before any work."""
    from seqcast import training

    def trains(*args, **kwargs):
        raise AssertionError("the model trained before the output was checked")

    monkeypatch.setattr(training, "fit", trains)


def _unwritable(tmp_path, data_csv):
    """Places nobody can write, root included (chmod does not stop root)."""
    (tmp_path / "models").mkdir(exist_ok=True)
    return {
        "a folder": (tmp_path / "models", "it is a folder"),
        "under a file": (data_csv / "m.out", f"'{data_csv}' is a file, not a folder"),
        "the data itself": (data_csv, f"it is the input '{data_csv}' itself"),
    }


@pytest.mark.parametrize("place", ["a folder", "under a file", "the data itself"])
def test_fit_checks_out_before_training(place, tmp_path, data_csv, capsys, monkeypatch):
    _no_training(monkeypatch)
    out, reason = _unwritable(tmp_path, data_csv)[place]
    assert main(["fit", str(data_csv), *TINY, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert the_error(captured) == (
        f"seqcast: error: cannot write '{out}': {reason}; choose another path"
    )
    assert captured.out == ""


def test_fit_to_an_unwritable_system_folder_is_one_line(data_csv, capsys, monkeypatch):
    _no_training(monkeypatch)
    assert main(["fit", str(data_csv), *TINY, "--out", "/proc/m.seqcast"]) == 2
    assert the_error(capsys.readouterr()).startswith(
        "seqcast: error: cannot write '/proc/m.seqcast': "
    )


@pytest.mark.parametrize(
    "command",
    [
        ["forecast", "MODEL", "DATA", "--csv", "OUT"],
        ["forecast", "MODEL", "DATA", "--plot", "OUT"],
        ["backtest", "MODEL", "DATA", "--no-sarima", "--start", "2020-09-01", "--csv", "OUT"],
        ["backtest", "MODEL", "DATA", "--no-sarima", "--start", "2020-09-01", "--plot", "OUT"],
        ["lr-find", "DATA", *TINY, "--plot", "OUT"],
    ],
    ids=["forecast-csv", "forecast-plot", "backtest-csv", "backtest-plot", "lr-find-plot"],
)
def test_every_output_is_checked_before_any_work(
    command, tmp_path, linear_model, data_csv, capsys, monkeypatch
):
    _no_training(monkeypatch)
    for out, reason in _unwritable(tmp_path, data_csv).values():
        names = {"MODEL": str(linear_model), "DATA": str(data_csv), "OUT": str(out)}
        assert main([names.get(word, word) for word in command]) == 2
        captured = capsys.readouterr()
        assert the_error(captured) == (
            f"seqcast: error: cannot write '{out}': {reason}; choose another path"
        )
        assert captured.out == ""  # no forecast, score or sweep was computed


def test_csv_and_plot_on_one_file_is_refused_before_work(linear_model, data_csv, tmp_path, capsys):
    out = tmp_path / "forecast.png"
    argv = ["forecast", str(linear_model), str(data_csv), "--csv", str(out), "--plot", str(out)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert the_error(captured) == (
        f"seqcast: error: cannot write '{out}': --csv writes it too; choose another path"
    )
    assert captured.out == "" and not out.exists()


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_during_the_save_is_one_line_and_keeps_the_earlier_model(
    tmp_path, data_csv, capsys, monkeypatch
):
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(data_csv), *TINY, "--out", str(model)]) == 0
    before = model.read_bytes()
    capsys.readouterr()
    monkeypatch.setattr(zipfile.ZipFile, "write", _full_disk)
    assert main(["fit", str(data_csv), *TINY, "--seed", "1", "--out", str(model)]) == 2
    captured = capsys.readouterr()
    assert the_error(captured) == (
        f"seqcast: error: cannot write '{model}': no space left on device; choose another path"
    )
    assert "trained " in captured.out and "wrote" not in captured.out
    assert model.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.seqcast"]


def test_a_full_disk_while_writing_the_csv_is_one_line(
    tmp_path, linear_model, data_csv, capsys, monkeypatch
):
    out = tmp_path / "forecast.csv"
    out.write_text("date,y\n2020-10-27,1.0\n")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _full_disk)
    assert main(["forecast", str(linear_model), str(data_csv), "--csv", str(out)]) == 2
    assert the_error(capsys.readouterr()) == (
        f"seqcast: error: cannot write '{out}': no space left on device; choose another path"
    )
    assert out.read_text() == "date,y\n2020-10-27,1.0\n"
    assert [p.name for p in tmp_path.iterdir()] == ["forecast.csv"]


# ------------------------------------------------------------------------------ --test-from


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


def test_a_short_future_file_names_the_missing_dates(folder, linear_model, capsys):
    frame = daily_frame()
    frame["promo"] = (np.arange(len(frame)) % 5 == 0).astype(float)
    data = write_csv(folder / "promo_short.csv", frame)
    model = folder / "promo_short.seqcast"
    argv = ["fit", str(data), "--target", "y", "--known", "promo", *TINY, "--out", str(model)]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["forecast", str(model), str(data)]) == 2
    assert the_error(capsys.readouterr()).endswith("from 2020-10-27 to 2020-10-28 with --future")
    future = folder / "promo_future.csv"
    future.write_text("date,promo\n2020-10-27,1\n")
    assert main(["forecast", str(model), str(data), "--future", str(future)]) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: the future values lack 1 of the 2 dates after the data: 2020-10-28; "
        "give promo for 2020-10-27 to 2020-10-28"
    )
    assert main(["forecast", str(linear_model), str(data), "--future", str(future)]) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: --future gives known covariates, but this model was fitted without "
        "any; leave --future out, or fit with known covariates (--known)"
    )


def test_an_ensemble_from_the_command_line_gives_its_band(tmp_path, data_csv, capsys):
    out = tmp_path / "ensemble.seqcast"
    assert main(["fit", str(data_csv), *LINEAR, "--ensemble", "3", "--out", str(out)]) == 0
    capsys.readouterr()
    code = main(
        ["forecast", str(out), str(data_csv), "--intervals", "0.8",
         "--interval-method", "ensemble"]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "lower" in printed and "upper" in printed


# ------------------------------------------------------------------------------ --model auto

AUTO = ["--model", "auto", "--trials", "2", "--epochs", "2", "--horizon", "2", "--quiet"]
SPLIT = ["--valid-from", "2020-09-01", "--test-from", "2020-10-01"]


def test_fit_auto_never_reads_the_test_part_and_show_prints_its_leaderboard(folder, capsys):
    frame = daily_frame()  # to 2020-10-26
    wrecked = frame.copy()
    wrecked.loc["2020-10-01":, "y"] = 1e6  # a search that read the test part would differ
    models = []
    for name, data in (("clean", frame), ("wrecked", wrecked)):
        out = folder / f"auto_{name}.seqcast"
        data_path = write_csv(folder / f"auto_{name}.csv", data)
        assert main(["fit", str(data_path), *AUTO, *SPLIT, "--out", str(out)]) == 0
        models.append(out)
    printed = capsys.readouterr().out
    assert printed.count("2 trials: ") == 2 and "chosen on the validation part: model " in printed
    searches = [read_manifest(model).search for model in models]
    boards = [
        [{k: v for k, v in row.items() if k != "seconds"} for row in s["leaderboard"]]
        for s in searches
    ]
    assert boards[0] == boards[1] and len(boards[0]) == 2
    assert searches[0]["trials"] == 2 and searches[0]["season"] == 7

    assert main(["show", str(models[0])]) == 0
    shown = capsys.readouterr().out
    best, manifest = boards[0][0], read_manifest(models[0])
    assert f"model             {best['model']}\n" in shown
    assert f"window            {best['window']}\n" in shown
    assert f"loss              {best['loss']}\n" in shown
    assert f"learning rate     {best['learning_rate']:.3g}\n" in shown
    epochs = len(manifest.history["loss"])
    assert f"epochs run        {epochs} (at most 2)\n" in shown
    assert "target            y\n" in shown and "frequency         D\n" in shown
    assert "chosen by --model auto (seed 42, at most 2 trials, budget 300 s)" in shown
    assert "2 trials: " in shown


def test_show_a_model_fitted_without_a_search(linear_model, capsys):
    assert main(["show", str(linear_model)]) == 0
    shown = capsys.readouterr().out
    assert "model             linear\n" in shown and "window            14\n" in shown
    assert "transform         level, standard scaling\n" in shown
    assert "learning rate     the optimizer's default\n" in shown
    assert "chosen by" not in shown


def test_fit_auto_warns_of_the_flags_it_chooses_itself(folder, capsys, monkeypatch):
    import seqcast.search

    seen = {}

    class Stop(Exception):
        pass

    def stop(self, *args, **kwargs):
        seen.update(vars(self))
        raise Stop

    monkeypatch.setattr(seqcast.search.ModelSearch, "fit", stop)
    data_path = write_csv(folder / "auto_flags.csv", daily_frame())
    argv = ["fit", str(data_path), *AUTO, "--loss", "mae", "--dropout", "0.2", "--out", "x"]
    with pytest.raises(Stop):
        main([*argv, "--budget", "90s", "--ensemble", "3", "--window", "21"])
    err = capsys.readouterr().err
    assert "seqcast: warning: --model auto chooses these settings itself, so --loss, " in err
    assert "--dropout are ignored" in err
    assert (seen["budget"], seen["trials"], seen["ensemble"], seen["windows"]) == (90.0, 2, 3, [21])


def test_show_of_a_file_that_is_no_model_is_one_line(folder, capsys):
    (folder / "notes.txt").write_text("hello")
    assert main(["show", str(folder / "notes.txt")]) == 2
    assert "is not a seqcast model file" in the_error(capsys.readouterr())


# --------------------------------------------------------------------------- many series


def stores_csv(path, n_stores: int = 3) -> str:
    """Long format: a row per (store, month), stores of very different sizes and lengths."""
    rng = np.random.default_rng(0)
    rows = []
    for k in range(n_stores):
        n = 60 + 10 * k
        months = pd.date_range("2015-01-01", periods=n, freq="MS") + pd.DateOffset(months=k)
        sales = 10.0 ** (2 * k) * (5 + np.sin(np.arange(n) * np.pi / 6) + rng.normal(0, 0.1, n))
        rows.append(
            pd.DataFrame({"store": f"s{k}", "month": months.strftime("%Y-%m"), "sales": sales})
        )
    pd.concat(rows).to_csv(path, index=False)
    return str(path)


def test_many_series_fit_forecast_and_backtest_in_long_format(tmp_path, capsys):
    data = stores_csv(tmp_path / "stores.csv")
    model, out = tmp_path / "m.seqcast", tmp_path / "f.csv"
    flags = ["--id-column", "store", "--model", "linear", "--window", "12", "--horizon", "3"]
    flags += ["--epochs", "3", "--quiet"]
    assert main(["fit", data, *flags, "--valid-from", "2018-01", "--out", str(model)]) == 0
    said = capsys.readouterr().out
    assert "on 3 series" in said and "validation WAPE" in said
    assert (
        main(["forecast", str(model), data, "--csv", str(out), "--plot", str(tmp_path / "f.png")])
        == 0
    )
    table = pd.read_csv(out)
    assert list(table.columns) == ["store", "month", "sales"]
    assert table.groupby("store").size().to_dict() == {"s0": 3, "s1": 3, "s2": 3}
    assert (tmp_path / "f.png").read_bytes()[:8] == PNG_MAGIC
    scores, per_series = tmp_path / "b.csv", tmp_path / "bs.csv"
    backtest = ["backtest", str(model), data, "--start", "2019-01", "--no-sarima"]
    backtest += [
        "--csv",
        str(scores),
        "--series-csv",
        str(per_series),
        "--plot",
        str(tmp_path / "b.png"),
    ]
    assert main(backtest) == 0
    table = pd.read_csv(scores)
    assert table["method"].iloc[0] == "linear" and {"MASE", "WAPE"} <= set(table.columns)
    assert set(pd.read_csv(per_series)["store"]) == {"s0", "s1", "s2"}
    assert (tmp_path / "b_mase.png").read_bytes()[:8] == PNG_MAGIC
    assert main(["show", str(model)]) == 0
    assert "3 by 'store' (s0, s1, s2)" in capsys.readouterr().out


def test_a_missing_id_column_is_one_sentence(tmp_path, capsys):
    data = stores_csv(tmp_path / "stores.csv")
    assert main(["fit", data, "--id-column", "shop", *TINY, "--out", str(tmp_path / "m")]) == 2
    assert "unknown id column 'shop'" in capsys.readouterr().err


# --------------------------------------------------------------------------- many processes


def panel_csv(path):
    """Six noisy sines of different lengths and levels, one row per (id, date)."""
    rng = np.random.RandomState(0)
    rows = []
    for i in range(6):
        dates = pd.date_range("2020-01-01", periods=100 + 10 * i, freq="D")
        values = np.sin(np.arange(len(dates)) / 4 + i) * (i + 1) + 10 + rng.randn(len(dates)) * 0.1
        rows.append(pd.DataFrame({"id": f"s{i}", "date": dates, "y": values}))
    pd.concat(rows).to_csv(path, index=False)
    return path


PANEL_FIT = [
    "--id-column", "id", "--target", "y", "--model", "gru", "--window", "10", "--horizon", "2",
    "--epochs", "3", "--valid-from", "2020-03-25", "--quiet",
]  # fmt: skip


def run_processes(arguments: list[str], count: int, cwd) -> list[tuple[int, str, str]]:
    """``seqcast`` ``arguments`` started ``count`` times on 127.0.0.1, one per process id."""
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.path.join(os.path.dirname(__file__), "..", "src")}
    flags = ["--coordinator", f"127.0.0.1:{port}", "--num-processes", str(count)]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "seqcast.cli", *arguments, *flags, "--process-id", str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
        )
        for i in range(count)
    ]
    results = []
    try:
        for child in children:
            out, err = child.communicate(timeout=300)
            results.append((child.returncode, out, err))
    finally:
        for child in children:
            child.kill()
    return results


def seqcast_lines(text: str) -> list[str]:
    """What seqcast printed, without gloo's own line about its peers."""
    return [line for line in text.splitlines() if line and not line.startswith("[Gloo]")]


def test_two_processes_write_the_model_one_process_writes(tmp_path):
    from seqcast.data.partition import write_partitioned
    from seqcast.forecaster import Forecaster

    data = panel_csv(tmp_path / "panel.csv")
    write_partitioned(pd.read_csv(data), tmp_path / "parts", id_column="id")
    one = tmp_path / "one.seqcast"
    assert main(["fit", str(data), *PANEL_FIT, "--out", str(one)]) == 0
    shared = run_processes(["fit", "panel.csv", *PANEL_FIT, "--out", "two.seqcast"], 2, tmp_path)
    shares = run_processes(
        ["fit", "parts", "--partitioned", *PANEL_FIT, "--out", "parts.seqcast"], 2, tmp_path
    )
    for (code0, out0, err0), (code1, out1, err1) in (shared, shares):
        assert code0 == code1 == 0, err0 + err1
        assert seqcast_lines(out0)[-1].startswith("wrote ")  # process 0 speaks and writes
        assert seqcast_lines(out1) == []  # the others are quiet
    # process 0 read only its three series from the partitions, and said so
    assert "on 3 series" in seqcast_lines(shares[0][1])[0]
    history = pd.read_csv(data)
    history = history[history["date"] < "2020-03-25"]
    expected = Forecaster.load(one).predict(history)["y"].to_numpy()
    for name in ("two.seqcast", "parts.seqcast"):
        got = Forecaster.load(tmp_path / name).predict(history)["y"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5, err_msg=name)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".seqcast") == [
        "one.seqcast", "parts.seqcast", "two.seqcast",
    ]  # fmt: skip
    # the partition folder is read whole by forecast: every series, not only process 0's
    out = tmp_path / "next.csv"
    assert main(["forecast", str(tmp_path / "parts.seqcast"), str(tmp_path / "parts"),
                 "--csv", str(out)]) == 0  # fmt: skip
    assert sorted(pd.read_csv(out)["id"].unique()) == [f"s{i}" for i in range(6)]


def test_the_model_search_stays_on_one_process(data_csv, folder, capsys):
    flags = ["--coordinator", "127.0.0.1:1", "--num-processes", "2", "--process-id", "0"]
    code = main(["fit", str(data_csv), "--model", "auto", "--out", str(folder / "x"), *flags])
    assert code == 2
    assert "--model auto searches on one process" in the_error(capsys.readouterr())
    assert not (folder / "x").exists()


def test_a_process_killed_mid_fit_stops_the_others_and_writes_nothing(tmp_path):
    import socket
    import subprocess
    import sys
    import threading
    import time

    panel_csv(tmp_path / "panel.csv")
    model = tmp_path / "model.seqcast"
    model.write_bytes(b"an earlier model")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.path.join(os.path.dirname(__file__), "..", "src")}
    arguments = [
        sys.executable, "-m", "seqcast.cli", "fit", "panel.csv", *PANEL_FIT[:-1],
        "--epochs", "100000", "--patience", "100000", "--out", str(model),
        "--coordinator", f"127.0.0.1:{port}", "--num-processes", "2", "--process-id",
    ]  # fmt: skip
    first, second = (
        subprocess.Popen(
            [*arguments, str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )
        for i in range(2)
    )
    told = bytearray()

    def read() -> None:
        for chunk in iter(lambda: first.stderr.read1(4096), b""):
            told.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while b"epoch" not in told:  # process 0's progress bar: training has begun
            assert time.monotonic() < deadline and first.poll() is None, told.decode()
            time.sleep(0.2)
        second.kill()
        killed = time.monotonic()
        first.wait(timeout=60)
        stopped_after = time.monotonic() - killed
    finally:
        first.kill()
        second.kill()
    reader.join(timeout=10)
    first.stdout.close()
    second.stdout.close()
    second.stderr.close()
    assert first.returncode == 2
    assert stopped_after < 30  # within the heartbeat (20 s), in practice at once
    errors = [line for line in told.decode().splitlines() if "seqcast: error:" in line]
    assert len(errors) == 1 and "Traceback" not in told.decode()
    assert "training stopped on process 0 of 2 because another process died" in errors[0]
    assert model.read_bytes() == b"an earlier model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.seqcast", "panel.csv"]
