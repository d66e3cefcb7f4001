"""Outputs: every path checked before any work; a failed write is one sentence."""

import argparse
import errno
import os
import zipfile

import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import TINY, the_error
from seqcast.cli import main
from seqcast.cli.outputs import check_outputs, writing
from seqcast.errors import SeqcastError

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model


def test_outputs_are_checked_and_no_two_flags_share_a_file(tmp_path):
    args = argparse.Namespace()
    check_outputs(args, {"--csv": str(tmp_path / "f.csv"), "--plot": None}, ())
    assert args.written == []  # the count of files written starts here
    same = str(tmp_path / "f.png")
    with pytest.raises(SeqcastError, match=r"cannot write '.*f.png': --csv writes it too"):
        check_outputs(args, {"--csv": same, "--plot": same}, ())
    data = tmp_path / "d.csv"
    data.write_text("y\n1\n")
    with pytest.raises(SeqcastError, match="it is the input"):
        check_outputs(args, {"--csv": str(data)}, (str(data),))


def test_writing_counts_what_was_written_and_words_a_failure(tmp_path, capsys):
    args = argparse.Namespace(written=[])
    target = tmp_path / "m.seqcast"
    with writing(args, str(target)):
        target.write_text("model")
    assert args.written == [str(target)]
    assert capsys.readouterr().out == f"wrote {target}\n"
    full_disk = pytest.raises(SeqcastError, match=r"cannot write '.*x.csv': no space left")
    with full_disk, writing(args, str(tmp_path / "x.csv")):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert args.written == [str(target)]


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
