"""The ``seqcast`` command: the commands it has, in :data:`COMMANDS`, and the program.

Each command is a module beside this one that owns its parser
(``add_parser(commands)``) and its work (``run(args)``):
:mod:`~seqcast.cli.reproduce`, :mod:`~seqcast.cli.models`,
:mod:`~seqcast.cli.fit`, :mod:`~seqcast.cli.forecast`,
:mod:`~seqcast.cli.backtest`, :mod:`~seqcast.cli.lr_find`,
:mod:`~seqcast.cli.show` and :mod:`~seqcast.cli.datasets`. What they share:
:mod:`~seqcast.cli.arguments` (argument types and groups),
:mod:`~seqcast.cli.data` (DATA read as the flags say) and
:mod:`~seqcast.cli.outputs` (the files written); :mod:`~seqcast.cli.program`
runs one and ends the process. Only argparse and these light modules load at
start-up, so ``seqcast --help`` answers at once; Keras and JAX load when a
command needs them.

>>> parser = build_parser()
>>> parser.parse_args(["reproduce", "--models", "naive,linear"]).models
['naive', 'linear']
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from seqcast.cli import backtest, datasets, fit, forecast, lr_find, models, program, reproduce, show
from seqcast.cli.program import interrupted
from seqcast.version import __version__

__all__ = ["COMMANDS", "build_parser", "interrupted", "main", "run"]

#: The commands, in the order ``seqcast --help`` lists them.
COMMANDS = (reproduce, models, fit, forecast, backtest, lr_find, show, datasets)


def build_parser() -> argparse.ArgumentParser:
    """The ``seqcast`` parser, with every command."""
    parser = argparse.ArgumentParser(
        prog="seqcast",
        description="Forecast time series with the RNNs and CNNs of Hands-On ML ch. 15, "
        "trained by a compiled JAX trainer.",
    )
    parser.add_argument("--version", action="version", version=f"seqcast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
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
    return program.run_command(parser, parser.parse_args(argv))


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
        code = program.run_command(parser, args)
        program.say_interrupted_on_sigint(args)
    except KeyboardInterrupt:  # before the command, between it and the handler, or a second one
        program.exit_interrupted(args)
    program.end(code)
