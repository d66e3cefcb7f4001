"""``seqcast forecast``, in-process: the table and the plot, intervals, covariates, dates."""

import zipfile

import numpy as np
import pandas as pd

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import LINEAR, PNG_MAGIC, TINY, daily_frame, shop_csv, the_error, write_csv
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model

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


def test_data_far_from_training_is_one_warning_line(linear_model, folder, capsys):
    larger = write_csv(folder / "ten_times.csv", daily_frame() * 10)
    assert main(["forecast", str(linear_model), str(larger)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("seqcast: warning: column 'y' goes from "), err
    assert "in training" in err[0] and "--difference 1" in err[0]
    assert main(["forecast", str(linear_model), str(folder / "sales.csv")]) == 0
    assert capsys.readouterr().err == ""  # in range: nothing to say


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


# ------------------------------------------------------------------------------ known covariates


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


def test_forecasts_keep_ids_that_look_like_numbers_as_written(tmp_path, capsys):
    frame = daily_frame(40).reset_index()
    frame["promo"] = (np.arange(len(frame)) % 5 == 0).astype(float)
    stores = ("001", "002", "010")
    data = tmp_path / "padded.csv"
    pd.concat([frame.assign(store=store) for store in stores]).to_csv(data, index=False)
    model = tmp_path / "padded.seqcast"
    argv = ["fit", str(data), "--id-column", "store", "--target", "y", "--known", "promo"]
    assert main([*argv, *TINY, "--out", str(model)]) == 0
    future = tmp_path / "future.csv"
    days = ["2020-02-10", "2020-02-11"]
    rows = [f"{store},{day},1" for store in stores for day in days]
    future.write_text("store,date,promo\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "forecast.csv"
    forecast = ["forecast", str(model), str(data), "--future", str(future), "--csv", str(out)]
    assert main(forecast) == 0
    written = pd.read_csv(out, dtype={"store": str})
    assert written["store"].unique().tolist() == list(stores)
    assert out.read_text().splitlines()[1].startswith("001,2020-02-10,")


def test_a_file_with_one_utc_offset_is_forecast_with_that_offset(tmp_path, capsys):
    frame = daily_frame(60)
    days = pd.date_range("2023-01-01", periods=60, freq="D")
    lines = [f"{day:%Y-%m-%d}T00:00:00+02:00,{y:.4f}" for day, y in zip(days, frame["y"])]
    data = tmp_path / "offset.csv"
    data.write_text("date,y\n" + "\n".join(lines) + "\n", encoding="utf-8")
    model, out = str(tmp_path / "m.seqcast"), tmp_path / "f.csv"
    assert main(["fit", str(data), *TINY, "--out", model]) == 0
    assert main(["forecast", model, str(data), "--csv", str(out)]) == 0
    written = pd.read_csv(out)["date"].tolist()
    assert written == ["2023-03-02 00:00:00+02:00", "2023-03-03 00:00:00+02:00"]


def test_a_file_without_the_fitted_covariates_is_told_which_the_model_needs(folder, capsys):
    frame = daily_frame()
    frame["price"] = np.cos(np.arange(len(frame)) / 7)
    frame["promo"] = (np.arange(len(frame)) % 5 == 0).astype(float)
    data, bare = (
        write_csv(folder / "priced.csv", frame),
        write_csv(folder / "bare.csv", frame[["y"]]),
    )
    model = folder / "priced.seqcast"
    argv = ["fit", str(data), "--target", "y", "--covariates", "price", *TINY]
    assert main([*argv, "--out", str(model)]) == 0
    capsys.readouterr()
    needs = (
        "seqcast: error: the model was fitted with covariate 'price'; the file has only: y "
        "(read with separator ','); give data that has it, or fit a model without it"
    )
    assert main(["forecast", str(model), str(bare)]) == 2
    assert the_error(capsys.readouterr()) == needs
    assert main(["backtest", str(model), str(bare), "--start", "2020-09-01", "--no-sarima"]) == 2
    assert the_error(capsys.readouterr()) == needs
    assert main([*argv, "--known", "promo", "--out", str(model)]) == 0
    capsys.readouterr()
    assert main(["forecast", str(model), str(bare)]) == 2
    assert the_error(capsys.readouterr()).startswith(
        "seqcast: error: the model was fitted with covariate 'price' and known covariate "
        "'promo'; the file has only: y "
    )
