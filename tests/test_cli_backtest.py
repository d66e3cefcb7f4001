"""``seqcast backtest``, in-process: a built-in dataset's test part, filled values not scored."""

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
