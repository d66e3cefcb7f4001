"""DATA from the command line: a file or a built-in dataset, and the part fit may see."""

import argparse

import pandas as pd
import pytest

from seqcast.cli import build_parser
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
