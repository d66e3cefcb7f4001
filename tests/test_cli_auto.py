"""``seqcast fit --model auto``: the search never reads the test part, warns of the flags it
chooses, and `show` prints its leaderboard."""

import pytest

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import daily_frame, write_csv
from seqcast.bundle import read_manifest
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model

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
