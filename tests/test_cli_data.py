"""DATA from the command line: a file or a built-in dataset, the part fit may see, many series."""

import argparse

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import PNG_MAGIC, TINY, the_error
from seqcast.cli import build_parser, main
from seqcast.cli.data import fit_part, make_forecaster, reading, resolve_data
from seqcast.errors import SeqcastError

READ_FLAGS = {"date_column": None, "date_format": None, "sep": None, "decimal": None}


def args(**flags) -> argparse.Namespace:
    return argparse.Namespace(**{**READ_FLAGS, "test_from": None, "valid_from": None, **flags})


def test_a_built_in_dataset_brings_its_defaults_and_a_file_brings_none(tmp_path):
    frame, defaults = resolve_data(args(data="sunspots"))
    assert defaults["target"] == "sunspots" and defaults["season"] == 11
    assert isinstance(frame, pd.DataFrame)
    path = tmp_path / "sunspots"  # a file of that name wins over the dataset
    path.write_text("y\n1\n2\n3\n")
    assert resolve_data(args(data=str(path))) == (str(path), {})
    with pytest.raises(SeqcastError, match=r"^no file 'nope.csv' and no built-in dataset"):
        resolve_data(args(data="nope.csv"))


def test_reading_gathers_the_reading_flags_as_the_library_names_them():
    flags = args(freq="B", fill="ffill", duplicates=None, sep=";", decimal=",")
    assert reading(flags) == {
        "date_format": None,
        "sep": ";",
        "decimal": ",",
        "freq": "B",
        "fill": "ffill",
        "duplicates": None,
    }


def test_the_fit_part_ends_before_the_test_part(tmp_path):
    days = pd.date_range("2024-01-01", periods=10, freq="D")
    data = pd.DataFrame({"y": range(10)}, index=days)
    kept = fit_part(data, args(test_from="2024-01-08"), {}, valid=None)
    assert kept.index[-1] == pd.Timestamp("2024-01-07")
    assert len(fit_part(data, args(), {}, valid=None)) == 10
    with pytest.raises(SeqcastError, match=r"^--test-from 2025-01-01 is after the last point"):
        fit_part(data, args(test_from="2025-01-01"), {}, valid=None)
    with pytest.raises(SeqcastError, match=r"is before --valid-from 2024-01-09; the test part"):
        fit_part(data, args(test_from="2024-01-08", valid_from="2024-01-09"), {}, "2024-01-09")
    # a dataset's own split is named as such
    with pytest.raises(SeqcastError, match=r"^the dataset's --test-from 2030-01-01 is after"):
        fit_part(data, args(), {"test_from": "2030-01-01"}, valid=None)


def test_scaler_window_reaches_the_forecaster():
    for flag, scaler in (("window", "window"), ("none", None)):
        parsed = build_parser().parse_args(["fit", "x", "--scaler", flag, "--out", "m.seqcast"])
        assert make_forecaster(parsed, {}).scaler == scaler


# ------------------------------------------------------------------------------ many series


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


def wide_csv(path) -> str:
    """Wide format: a column of daily sales per store, and a price every store shares."""
    rng = np.random.default_rng(0)
    days = pd.date_range("2023-01-01", periods=60, freq="D")
    weekly = np.sin(np.arange(60) * 2 * np.pi / 7)
    frame = pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "north": 50 + 5 * weekly + rng.normal(0, 0.5, 60),
            "south": 20 + 2 * weekly + rng.normal(0, 0.5, 60),
            "price": rng.uniform(1, 2, 60),
        }
    )
    frame.to_csv(path, index=False)
    return str(path)


def test_targets_all_makes_every_numeric_column_but_the_covariates_a_series(tmp_path, capsys):
    data, model = wide_csv(tmp_path / "wide.csv"), str(tmp_path / "m.seqcast")
    fit = ["fit", data, "--targets", "all", "--covariates", "price", *TINY, "--out", model]
    assert main(fit) == 0
    assert "on 2 series (120 points)" in capsys.readouterr().out
    forecast = tmp_path / "f.csv"
    assert main(["forecast", model, data, "--csv", str(forecast)]) == 0
    assert pd.read_csv(forecast).groupby("series").size().to_dict() == {"north": 2, "south": 2}
    per_series = tmp_path / "bs.csv"
    backtest = ["backtest", model, data, "--start", "2023-02-15", "--no-sarima"]
    assert main([*backtest, "--series-csv", str(per_series)]) == 0
    assert set(pd.read_csv(per_series)["series"]) == {"north", "south"}


def test_a_short_series_is_left_out_of_training_and_forecast_by_a_baseline(tmp_path, capsys):
    data = tmp_path / "stores.csv"
    stores = pd.read_csv(stores_csv(data))
    tiny = pd.DataFrame({"store": "tiny", "month": ["2015-01", "2015-02", "2015-03"]})
    pd.concat([stores, tiny.assign(sales=[1.0, 2.0, 3.0])]).to_csv(data, index=False)
    model, forecast = str(tmp_path / "m.seqcast"), tmp_path / "f.csv"
    flags = ["--id-column", "store", "--model", "linear", "--window", "12", "--horizon", "3"]
    assert main(["fit", str(data), *flags, "--epochs", "2", "--quiet", "--out", model]) == 0
    said = capsys.readouterr()
    assert said.err == (
        "seqcast: warning: left 1 series out of training, too short for a window of 12 plus "
        "a horizon of 3: tiny (3 points)\n"
    )
    assert "on 3 series (" in said.out
    assert main(["forecast", model, str(data), "--csv", str(forecast)]) == 0
    assert "tiny (3 points, naive)" in capsys.readouterr().err
    table = pd.read_csv(forecast)
    assert table.groupby("method")["store"].unique().map(list).to_dict() == {
        "linear": ["s0", "s1", "s2"],
        "naive": ["tiny"],
    }
    assert table.loc[table["store"] == "tiny", "sales"].tolist() == [3.0, 3.0, 3.0]
    per_series = tmp_path / "bs.csv"
    backtest = ["backtest", model, str(data), "--start", "2019-01", "--no-sarima"]
    assert main([*backtest, "--series-csv", str(per_series)]) == 0
    assert "left 1 series out of the backtest" in capsys.readouterr().err
    assert set(pd.read_csv(per_series)["store"]) == {"s0", "s1", "s2"}


def test_every_series_too_short_is_one_error_that_names_the_series_once(tmp_path, capsys):
    data = tmp_path / "short.csv"
    months = pd.date_range("2020-01-01", periods=9, freq="MS").strftime("%Y-%m")
    frame = pd.DataFrame({"store": ["a"] * 4 + ["b"] * 5, "month": [*months[:4], *months[:5]]})
    frame.assign(sales=np.arange(9.0)).to_csv(data, index=False)
    flags = ["--id-column", "store", *TINY, "--out", str(tmp_path / "m.seqcast")]
    assert main(["fit", str(data), *flags]) == 2
    assert the_error(capsys.readouterr()) == (
        "seqcast: error: series 'b' has 5 points, but a window of 5 plus a horizon of 2 needs "
        "at least 7; use a shorter window or horizon, or more data"
    )


def test_a_long_export_out_of_date_order_is_sorted_within_each_series(tmp_path, capsys):
    days = pd.date_range("2023-01-01", periods=40, freq="D").strftime("%Y-%m-%d")
    t = np.arange(40)
    frame = pd.concat(
        pd.DataFrame({"store": store, "date": days, "sales": base + np.sin(t / 3)})
        for store, base in (("A", 10.0), ("B", 20.0))
    )
    sorted_csv, unsorted_csv = tmp_path / "sorted.csv", tmp_path / "unsorted.csv"
    frame.to_csv(sorted_csv, index=False)
    frame.iloc[np.r_[5:40, 0:5, 40:80]].to_csv(unsorted_csv, index=False)  # A's first days last
    forecasts = []
    for data in (sorted_csv, unsorted_csv):
        model, out = tmp_path / f"{data.stem}.seqcast", tmp_path / f"{data.stem}_f.csv"
        assert main(["fit", str(data), "--id-column", "store", *TINY, "--out", str(model)]) == 0
        said = capsys.readouterr().out
        assert ("sorted 80 rows by date within each series" in said) == (data == unsorted_csv)
        assert main(["forecast", str(model), str(data), "--csv", str(out)]) == 0
        forecasts.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(forecasts[0], forecasts[1])
