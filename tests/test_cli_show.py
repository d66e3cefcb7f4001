"""``seqcast show``: a saved model's settings, read from its manifest."""

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import the_error
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
