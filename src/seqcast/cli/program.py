"""How the ``seqcast`` process runs a command and ends: one-line errors, Ctrl-C, a quick exit.

:func:`run_command` turns a :class:`~seqcast.errors.SeqcastError` into one
line and an exit status; :func:`interrupted` words what a Ctrl-C leaves
behind; :func:`end` finishes the process without Python's slow teardown, and
:func:`exit_interrupted` ends it at once on a Ctrl-C.

>>> import argparse
>>> interrupted(argparse.Namespace(written=["m.seqcast"]))
'seqcast: interrupted; only m.seqcast was written, in full'
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
from typing import NoReturn

from seqcast.cli.arguments import SPELLING
from seqcast.errors import SeqcastError, SeqcastWarning
from seqcast.spelling import spelled_as

__all__ = ["end", "exit_interrupted", "interrupted", "run_command", "say_interrupted_on_sigint"]


def run_command(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run the command ``args`` names (the help without one); its exit status.

    0, 2 for a mistake (a :class:`~seqcast.errors.SeqcastError`, printed as
    one line), 130 when interrupted.
    """
    if args.command is None:
        parser.print_help()
        return 0
    try:
        # messages name the flags, not the kwargs; warnings are one line each (and the
        # caller's warning display comes back on return)
        with spelled_as(SPELLING), warnings.catch_warnings():
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


def say_interrupted_on_sigint(args: argparse.Namespace) -> None:
    """From now on a Ctrl-C prints the line of an interrupted command and ends with 130."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored (nohup)
        signal.signal(signal.SIGINT, lambda signum, frame: exit_interrupted(args))


def end(code: int) -> NoReturn:
    """End the process with ``code``: what Python's exit does that matters, then ``os._exit``.

    What Python's exit does before freeing the modules, in its order: join the
    threads (a process pool's manager among them), then the atexit callbacks.
    These are CPython's own functions; without them, Python's own exit.
    """
    join_threads = getattr(threading, "_shutdown", None)
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if join_threads is None or run_exitfuncs is None:
        sys.exit(code)
    join_threads()
    run_exitfuncs()
    _flush()
    os._exit(code)


def exit_interrupted(args: argparse.Namespace) -> NoReturn:
    """SIGINT while the process ends: say so as :func:`run_command` does, and end now, with 130."""
    _flush()
    # os.write, not print: this runs between any two bytecodes, perhaps inside a print
    with contextlib.suppress(OSError):
        os.write(2, (interrupted(args) + "\n").encode())
    os._exit(130)


def _one_line(show):
    """A ``warnings.showwarning`` writing a SeqcastWarning as one line, others as ``show`` does."""

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, SeqcastWarning):
            print(f"seqcast: warning: {message}", file=sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)

    return showwarning


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # closed, a reader gone (BrokenPipeError)...
            stream.flush()
