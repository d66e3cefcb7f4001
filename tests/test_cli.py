"""``seqcast`` itself: the parser answers at once, and lists the commands."""

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from seqcast.cli import build_parser, main

SEQCAST = [sys.executable, "-m", "seqcast.cli"]
SRC = str(Path(__file__).resolve().parents[1] / "src")


def test_help_does_not_load_keras_or_jax():
    """`seqcast --help` must answer at once: the CLI imports nothing heavy up front."""
    code = (
        "import sys, seqcast.cli; "
        "print(sorted({'keras', 'jax', 'matplotlib', 'pandas'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_reproduce():
    out = subprocess.run([*SEQCAST, "--help"], capture_output=True, text=True, check=True)
    assert "reproduce" in out.stdout


def test_no_command_prints_the_help_and_exits_0(capsys):
    assert main([]) == 0
    assert "usage: seqcast" in capsys.readouterr().out


def test_the_parser_has_every_command_in_order():
    commands = build_parser()._subparsers._group_actions[0].choices
    assert list(commands) == [
        "reproduce",
        "models",
        "fit",
        "forecast",
        "backtest",
        "lr-find",
        "show",
        "datasets",
    ]


def test_a_library_error_is_one_line_and_exit_2(capsys):
    assert main(["backtest", "nowhere.seqcast", "nowhere.csv"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("seqcast: error: ") and "\n" not in err


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
