"""``seqcast lr-find``, in-process: the sweep, its suggestion and its plot."""

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import PNG_MAGIC
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model


def test_lr_find_prints_a_suggestion_and_plots(tmp_path, data_csv, capsys):
    png = tmp_path / "lr.png"
    argv = ["lr-find", str(data_csv), "--model", "linear", "--window", "14", "--quiet"]
    assert main([*argv, "--epochs", "30", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "suggested learning rate" in out
    assert "--optimizer sgd --learning-rate" in out
    assert sum(line.startswith("  lr ") for line in out.splitlines()) == 10  # every 3rd epoch
    assert png.read_bytes().startswith(PNG_MAGIC)
