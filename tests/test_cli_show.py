"""``seqcast show``: a saved model's settings, read from its manifest."""

import pandas as pd

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import TINY, daily_frame, the_error
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model


def test_show_a_model_fitted_without_a_search(linear_model, capsys):
    assert main(["show", str(linear_model)]) == 0
    shown = capsys.readouterr().out
    assert "model             linear\n" in shown and "window            14\n" in shown
    assert "transform         level, standard scaling\n" in shown
    assert "learning rate     the optimizer's default\n" in shown
    assert "chosen by" not in shown


def test_show_of_a_file_that_is_no_model_is_one_line(folder, capsys):
    (folder / "notes.txt").write_text("hello")
    assert main(["show", str(folder / "notes.txt")]) == 2
    assert "is not a seqcast model file" in the_error(capsys.readouterr())


def test_show_keeps_ids_that_look_like_numbers_as_written(folder, capsys):
    frame = daily_frame(40).reset_index()
    data = folder / "padded_ids.csv"
    pd.concat([frame.assign(store=store) for store in ("001", "002", "010")]).to_csv(
        data, index=False
    )
    model = folder / "padded_ids.seqcast"
    assert main(["fit", str(data), "--id-column", "store", *TINY, "--out", str(model)]) == 0
    capsys.readouterr()
    assert main(["show", str(model)]) == 0
    assert "series            3 by 'store' (001, 002, 010)\n" in capsys.readouterr().out
