"""The ``seqcast`` command.

Only argparse and the light modules that declare the arguments are imported
at start-up, so ``seqcast --help`` answers at once; Keras and JAX load when a
command needs them. The commands live beside this module:
:mod:`seqcast.cli.reproduce` (``reproduce``, ``models``) and
:mod:`seqcast.cli.forecasting` (``fit``, ``forecast``, ``backtest``, ``show``,
``lr-find``, ``datasets``); :mod:`seqcast.cli.arguments` holds what they share.

>>> parser = build_parser()
>>> parser.parse_args(["reproduce", "--models", "naive,linear"]).models
['naive', 'linear']
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from typing import NoReturn

from seqcast import __version__
from seqcast.cli import forecasting, reproduce
from seqcast.errors import SeqcastError, SeqcastWarning
from seqcast.spelling import spelled_as

__all__ = ["build_parser", "interrupted", "main", "run"]


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
    (not Python's file:line form, which points into seqcast, not at the data);
    so does Ctrl-C, saying what was written (:func:`interrupted`). The
    ``seqcast`` program is :func:`run`.
    """
    parser = build_parser()
    return _command(parser, parser.parse_args(argv))


def run() -> NoReturn:
    """The ``seqcast`` program: :func:`main` on ``sys.argv``, then the end of the process.

    After a command, Python's own shutdown takes half a second with JAX loaded
    (joining threads, the atexit callbacks of JAX, Keras and others, then
    freeing every module), and a Ctrl-C then either printed ``Exception
    ignored in atexit callback ... KeyboardInterrupt`` or, once Python has put
    SIGINT back to its default, killed the process with no word. So the
    threads are joined and the atexit callbacks run here, with a SIGINT
    handler that prints the same line as an interrupted command and exits
    130, and the process then ends with ``os._exit``: every file is written
    and closed by then, and freeing memory just before the process ends is
    work for nothing.
    """
    args = argparse.Namespace()  # what interrupted() reads, should Ctrl-C come at once
    try:
        parser = build_parser()
        args = parser.parse_args()
        code = _command(parser, args)
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored (nohup)
            signal.signal(signal.SIGINT, lambda signum, frame: _exit_interrupted(args))
    except KeyboardInterrupt:  # before the command, between it and the handler, or a second one
        _exit_interrupted(args)
    # What Python's exit does before freeing the modules, in its order: join the threads
    # (a process pool's manager among them), then the atexit callbacks. CPython's own
    # functions; without them, Python's own exit.
    join_threads = getattr(threading, "_shutdown", None)
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if join_threads is None or run_exitfuncs is None:
        sys.exit(code)
    join_threads()
    run_exitfuncs()
    _flush()
    os._exit(code)


def interrupted(args: argparse.Namespace) -> str:
    """The line for a command stopped by Ctrl-C: what it wrote, when it keeps count.

    The forecasting commands list what they wrote in ``args.written``; the
    others leave it None, and the line says what holds for any command.
    """
    written = getattr(args, "written", None)
    if written is None:
        return "seqcast: interrupted; files already written are intact"
    if not written:
        return "seqcast: interrupted; nothing was written"
    were = "was" if len(written) == 1 else "were"
    return f"seqcast: interrupted; only {' and '.join(written)} {were} written, in full"


def _command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command is None:
        parser.print_help()
        return 0
    try:
        # messages name the flags, not the kwargs; warnings are one line each (and the
        # caller's warning display comes back on return)
        with spelled_as(forecasting.SPELLING), warnings.catch_warnings():
            warnings.showwarning = _one_line(warnings.showwarning)
            return args.handler(args)
    except SeqcastError as err:
        print(f"seqcast: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `seqcast models | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(interrupted(args), file=sys.stderr)
        return 130


def _one_line(show):
    """A ``warnings.showwarning`` writing a SeqcastWarning as one line, others as ``show`` does."""

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, SeqcastWarning):
            print(f"seqcast: warning: {message}", file=sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)

    return showwarning


def _exit_interrupted(args: argparse.Namespace) -> NoReturn:
    """SIGINT while the process ends: say so as :func:`main` does, and end now, with 130."""
    _flush()
    # os.write, not print: this runs between any two bytecodes, perhaps inside a print
    with contextlib.suppress(OSError):
        os.write(2, (interrupted(args) + "\n").encode())
    os._exit(130)


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # closed, a reader gone (BrokenPipeError)...
            stream.flush()
