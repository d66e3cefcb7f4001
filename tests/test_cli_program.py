"""Running a command: a mistake is one error line and status 2, Ctrl-C one line and 130."""

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import LINEAR, daily_frame, the_error, write_csv
from seqcast.cli import main

pytest_plugins = ["cli_fixtures"]  # folder, data_csv, linear_model

SRC = str(Path(__file__).resolve().parents[1] / "src")


def test_no_command_prints_the_help_and_exits_0(capsys):
    assert main([]) == 0
    assert "usage: seqcast" in capsys.readouterr().out


def test_a_library_error_is_one_line_and_exit_2(capsys):
    assert main(["backtest", "nowhere.seqcast", "nowhere.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("seqcast: error: ") and "\n" not in err


# ------------------------------------------------------------------------------ bad input


def _fit(path, *extra):
    return ["fit", str(path), *LINEAR, *extra, "--out", str(path.parent / "never.seqcast")]


def _bad_csv(tmp_path, name, change):
    frame = daily_frame(100).astype(object)
    return write_csv(tmp_path / name, change(frame))


def _with_missing(frame):
    frame.iloc[40, 0] = np.nan
    return frame


def _with_duplicate(frame):
    frame.index = frame.index.where(frame.index != "2020-01-21", pd.Timestamp("2020-01-20"))
    return frame


def _with_gap(frame):
    return frame.drop(pd.date_range("2020-02-01", periods=3))


def _with_text(frame):
    frame.iloc[30, 0] = "abc"
    return frame


def _foreign_zip(path):
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("readme.txt", "holiday pictures")
    return path


CASES = {
    "missing-values": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_missing)),
        "column 'y' has 1 missing value (the first at 2020-02-10)",
    ),
    "duplicated-dates": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_duplicate)),
        "the date 2020-01-20 appears more than once",
    ),
    "gap": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_gap)),
        "gap: after 2020-01-31 the next date is 2020-02-04",
    ),
    "non-numeric": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", _with_text)),
        "column 'y' is not numeric: it holds 'abc' at 2020-01-31",
    ),
    "too-short": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", lambda f: f.iloc[:12])),
        "has 12 points, but a window of 14 plus a horizon of 3 needs at least 17",
    ),
    "unknown-target": (
        lambda tmp, model: _fit(_bad_csv(tmp, "d.csv", lambda f: f), "--target", "sales"),
        "unknown target column 'sales'; the columns are: y",
    ),
    "missing-data-file": (
        lambda tmp, model: _fit(tmp / "nowhere.csv"),
        "no file",
    ),
    "forecast-data-with-gap": (
        lambda tmp, model: ["forecast", str(model), str(_bad_csv(tmp, "d.csv", _with_gap))],
        "gap: after 2020-01-31",
    ),
    "corrupt-model": (
        lambda tmp, model: [
            "forecast",
            str(_random_file(tmp / "junk.seqcast")),
            str(_bad_csv(tmp, "d.csv", lambda f: f)),
        ],
        "is not a seqcast model file (not a zip bundle)",
    ),
    "foreign-model": (
        lambda tmp, model: [
            "forecast",
            str(_foreign_zip(tmp / "photos.seqcast")),
            str(_bad_csv(tmp, "d.csv", lambda f: f)),
        ],
        "is not a readable seqcast model bundle",
    ),
}


def _random_file(path):
    path.write_bytes(np.random.default_rng(0).bytes(2048))
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_error_line_and_exit_2(case, tmp_path, linear_model, capsys):
    make_argv, message = CASES[case]
    argv = make_argv(tmp_path, linear_model)
    assert main(argv) == 2
    error = the_error(capsys.readouterr())
    assert message in error
    assert not (tmp_path / "never.seqcast").exists()


def test_a_failed_fit_leaves_the_earlier_model_as_it_was(tmp_path, data_csv, capsys):
    model = tmp_path / "m.seqcast"
    assert main(["fit", str(data_csv), *LINEAR, "--out", str(model)]) == 0
    before = model.read_bytes()
    bad = _bad_csv(tmp_path, "bad.csv", _with_missing)
    assert main(["fit", str(bad), *LINEAR, "--seed", "1", "--out", str(model)]) == 2
    assert "missing value" in the_error(capsys.readouterr())
    assert model.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "m.seqcast"]


# ------------------------------------------------------------------------------ Ctrl-C


# `python -m seqcast.cli ARGS...` with one part of the run stretched, so that a SIGINT lands
# there for sure: the training ("slow-training") or the atexit callbacks that JAX, Keras and
# others run after the command ("slow-exit"). An object that prints when the interpreter frees
# it tells whether Python's teardown (SIGINT at its default: killed, no word) still runs.
CHILD = """
import atexit, runpy, sys, time

def stretch():
    print(STAGE, flush=True)
    time.sleep(60)

STAGE = sys.argv[1]
if STAGE == "slow-training":
    from seqcast import training

    training.fit_members = lambda *args, **kwargs: stretch()
elif STAGE == "slow-exit":
    atexit.register(stretch)

class Teardown:
    def __del__(self):
        print("teardown", flush=True)

keep = Teardown()
sys.argv = ["seqcast", *sys.argv[2:]]
runpy.run_module("seqcast.cli", run_name="__main__")
"""


def _interrupted_fit(tmp_path, stage):
    """Run `seqcast fit` with ``stage`` stretched, send SIGINT there; (status, stdout, stderr)."""
    data = tmp_path / "sales.csv"
    days = [f"2024-01-{d:02d},{10 + d % 7}" for d in range(1, 32)]
    data.write_text("date,sales\n" + "\n".join(days) + "\n")
    argv = ["fit", str(data), "--model", "linear", "--window", "5", "--horizon", "2"]
    argv += ["--epochs", "2", "--quiet", "--out", str(tmp_path / "m.seqcast")]
    env = {**os.environ, "PYTHONPATH": SRC, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, stage, *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        while stage not in lines:
            line = child.stdout.readline()
            assert line, f"the child ended early: {child.stderr.read()}"
            lines.append(line.strip())
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    return child.returncode, "\n".join(lines) + out, err


def test_ctrl_c_during_training_is_one_line_and_status_130(tmp_path):
    status, out, err = _interrupted_fit(tmp_path, "slow-training")
    assert (status, err) == (130, "seqcast: interrupted; nothing was written\n")
    assert not (tmp_path / "m.seqcast").exists()
    assert "teardown" not in out


def test_ctrl_c_as_the_program_exits_is_the_same_line_and_status_130(tmp_path):
    """After the save, in the atexit callbacks: once a KeyboardInterrupt 'ignored' there."""
    status, out, err = _interrupted_fit(tmp_path, "slow-exit")
    model = tmp_path / "m.seqcast"
    assert f"wrote {model}" in out
    assert (status, err) == (130, f"seqcast: interrupted; only {model} was written, in full\n")
    with zipfile.ZipFile(model) as bundle:  # complete
        assert sorted(bundle.namelist()) == ["manifest.json", "model.keras"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert "teardown" not in out


def test_the_program_skips_the_interpreter_teardown(tmp_path):
    """No SIGINT: exit 0, and no teardown phase in which a Ctrl-C would kill it with no word."""
    env = {**os.environ, "PYTHONPATH": SRC}
    code = CHILD.replace("STAGE = sys.argv[1]", "STAGE = 'no-stretch'")
    done = subprocess.run(
        [sys.executable, "-c", code, "-", "datasets"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == ""
    assert "sunspots" in done.stdout and "teardown" not in done.stdout
