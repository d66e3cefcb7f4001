"""The ``seqcast`` command.

Only argparse and the light modules that declare the arguments are imported
at start-up, so ``seqcast --help`` answers at once; Keras and JAX load when a
command needs them. The commands live beside this module:
:mod:`seqcast.cli.reproduce` (``reproduce``, ``models``) and
:mod:`seqcast.cli.forecasting` (``fit``, ``forecast``, ``backtest``,
``lr-find``, ``datasets``); :mod:`seqcast.cli.arguments` holds what they share.

>>> parser = build_parser()
>>> parser.parse_args(["reproduce", "--models", "naive,linear"]).models
['naive', 'linear']
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from seqcast import __version__
from seqcast.cli import forecasting, reproduce
from seqcast.errors import SeqcastError, SeqcastWarning

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``seqcast`` parser, with every command."""
    parser = argparse.ArgumentParser(
        prog="seqcast",
        description="Forecast time series with the RNNs and CNNs of Hands-On ML ch. 15, "
        "trained by a compiled JAX trainer.",
    )
    parser.add_argument("--version", action="version", version=f"seqcast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    reproduce.add_commands(commands)
    forecasting.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` names; the exit status: 0, 2 for a mistake, 130 when interrupted.

    A :class:`~seqcast.errors.SeqcastError` becomes one line,
    ``seqcast: error: ...``, on standard error, and a
    :class:`~seqcast.errors.SeqcastWarning` one line ``seqcast: warning: ...``
    (not Python's file:line form, which points into seqcast, not at the data).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        with warnings.catch_warnings():  # restores the caller's warning display on return
            warnings.showwarning = _one_line(warnings.showwarning)
            return args.handler(args)
    except SeqcastError as err:
        print(f"seqcast: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `seqcast models | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("seqcast: interrupted; files already written are intact", file=sys.stderr)
        return 130


def _one_line(show):
    """A ``warnings.showwarning`` writing a SeqcastWarning as one line, others as ``show`` does."""

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, SeqcastWarning):
            print(f"seqcast: warning: {message}", file=sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)

    return showwarning
