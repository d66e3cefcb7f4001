"""``seqcast backtest``, in-process: a built-in dataset's test part, filled values not scored."""

import numpy as np
import pandas as pd

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import PNG_MAGIC, TINY, daily_frame, the_error, write_csv
from seqcast.cli import main


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
    assert out.startswith("backtest from 1960-01-01 (the model's test part)\n")
    rows = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert {"linear", "naive", "seasonal_naive"} <= set(rows)
    assert "sarima" not in rows
    assert "best by MAE:" in out
    assert png.read_bytes().startswith(PNG_MAGIC)
    scores = pd.read_csv(csv, index_col="method")
    assert scores.index[0] == "linear"
    assert {"naive", "seasonal_naive"} <= set(scores.index)
    assert scores.columns.tolist() == ["MAE", "MSE", "RMSE", "MAPE", "sMAPE", "MASE"]


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


def test_the_backtest_start_is_read_as_the_file_writes_its_dates(tmp_path, capsys):
    frame = daily_frame(120)
    frame.index = pd.date_range("2023-01-01", periods=120, freq="D")
    dotted = tmp_path / "dmy.csv"
    lines = [f"{day:%d.%m.%Y},{y:.4f}" for day, y in frame["y"].items()]
    dotted.write_text("date,y\n" + "\n".join(lines) + "\n", encoding="utf-8")
    model = str(tmp_path / "m.seqcast")
    assert main(["fit", str(dotted), *TINY, "--out", model]) == 0
    capsys.readouterr()
    assert main(["backtest", model, str(dotted), "--start", "03/02/2023", "--no-sarima"]) == 0
    assert "86 origins from 2023-02-03" in capsys.readouterr().out  # 3 February, not 2 March
    # An ISO file of new data: the date given is read as the model's file wrote dates.
    iso = write_csv(tmp_path / "iso.csv", frame)
    assert main(["backtest", model, str(iso), "--start", "03/02/2023", "--no-sarima"]) == 0
    assert "86 origins from 2023-02-03" in capsys.readouterr().out


def test_a_backtest_start_too_early_is_echoed_as_read(tmp_path, capsys):
    frame = daily_frame(60)
    frame.index = pd.date_range("2023-01-01", periods=60, freq="D")
    data = tmp_path / "dmy.csv"
    lines = [f"{day:%d/%m/%Y},{y:.4f}" for day, y in frame["y"].items()]
    data.write_text("date,y\n" + "\n".join(lines) + "\n", encoding="utf-8")
    model = str(tmp_path / "m.seqcast")
    assert main(["fit", str(data), *TINY, "--out", model]) == 0
    capsys.readouterr()
    assert main(["backtest", model, str(data), "--start", "03/01/2023", "--no-sarima"]) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: the backtest start 03/01/2023 (2023-01-03) leaves 2 points before it, "
        "fewer than the window 5; start later"
    )


def test_backtest_without_start_begins_after_the_fitted_data_else_the_last_fifth(tmp_path, capsys):
    data = write_csv(tmp_path / "daily.csv", daily_frame(120))
    held_out, whole = tmp_path / "held_out.seqcast", tmp_path / "whole.seqcast"
    assert main(["fit", str(data), *TINY, "--test-from", "2020-04-01", "--out", str(held_out)]) == 0
    assert main(["fit", str(data), *TINY, "--out", str(whole)]) == 0
    capsys.readouterr()

    assert main(["backtest", str(held_out), str(data), "--no-sarima"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("backtest from 2020-04-01 (the model's test part)\n")
    assert "28 origins from 2020-04-01 to 2020-04-28" in out

    # fitted on every point: the last fifth (24 of 120 days), from the 97th day
    assert main(["backtest", str(whole), str(data), "--no-sarima"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("backtest from 2020-04-06 (the last fifth of the data)\n")
    assert "23 origins from 2020-04-06 to 2020-04-28" in out


def test_a_nan_mase_says_why_for_one_series_and_for_a_panel(tmp_path, capsys):
    days = pd.date_range("2023-01-01", periods=70, freq="D", name="date")
    weekly = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] * 10, index=days)
    data = write_csv(tmp_path / "weekly.csv", weekly.to_frame("y"))
    model = tmp_path / "weekly.seqcast"
    assert main(["fit", str(data), *TINY, "--out", str(model)]) == 0
    argv = ["backtest", str(model), str(data), "--start", "2023-03-01", "--no-sarima"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    why = "history before the start has no seasonal-naive error to scale by"
    assert f"(MASE is NaN: the series' {why})" in out

    noisy = 10 + np.random.default_rng(0).normal(size=70)
    shops = {"noisy": noisy, "flat": np.full(70, 5.0), "weekly": weekly.to_numpy()}
    frame = pd.concat(
        pd.DataFrame({"date": days, "shop": name, "sales": values})
        for name, values in shops.items()
    )
    panel = tmp_path / "shops.csv"
    frame.to_csv(panel, index=False)
    model = tmp_path / "shops.seqcast"
    fit = ["fit", str(panel), "--id-column", "shop", "--target", "sales", *TINY]
    assert main([*fit, "--out", str(model)]) == 0
    assert main(["backtest", str(model), str(panel), "--start", "2023-03-01", "--no-sarima"]) == 0
    out = capsys.readouterr().out
    assert f"(MASE is NaN for 2 series (flat, weekly): their {why}; left out of the mean)" in out


def test_series_csv_of_a_one_series_model_is_refused_before_reading_the_data(tmp_path, capsys):
    data = write_csv(tmp_path / "daily.csv", daily_frame(60))
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(data), *TINY, "--out", str(model)]) == 0
    capsys.readouterr()
    # the data is not even there: the refusal comes before any reading or forecasting
    argv = ["backtest", str(model), str(tmp_path / "gone.csv"), "--series-csv", "s.csv"]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "--series-csv is for models of many series; use --csv" in the_error(captured)
    assert captured.out == ""
