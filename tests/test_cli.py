"""``seqcast`` itself: the parser answers at once, and lists the commands."""

import subprocess
import sys

from seqcast.cli import build_parser

SEQCAST = [sys.executable, "-m", "seqcast.cli"]


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
