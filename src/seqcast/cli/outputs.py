"""The files a command writes: all checked before any work, each written in one piece.

:func:`check_outputs` runs before training or reading starts, so a path that
cannot be written (a folder, a file's child, the input itself, two flags on
one file) costs nothing; :func:`writing` turns a failure while writing (a
full disk) into one sentence and counts what was written, for the line an
interrupted command prints.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from typing import Any

from seqcast.files import cannot_write, check_writable

__all__ = ["check_outputs", "writing"]


def check_outputs(
    args: argparse.Namespace, outputs: dict[str, str | None], inputs: tuple[Any, ...]
) -> None:
    """Before any work: every output given can be written, and no two are the same file.

    ``outputs`` maps each flag to its path (None: not asked for); ``inputs``
    are what the command reads, which no output may overwrite. Starts the
    count of written files that an interrupted command reports.
    """
    args.written = []
    inputs = tuple(path for path in inputs if isinstance(path, (str, os.PathLike)))
    seen: dict[str, str] = {}
    for flag, path in outputs.items():
        if not path:
            continue
        check_writable(path, inputs=inputs)
        key = os.path.abspath(path)
        if key in seen:
            raise cannot_write(path, f"{seen[key]} writes it too")
        seen[key] = flag


@contextlib.contextmanager
def writing(args: argparse.Namespace, path: str) -> Iterator[None]:
    """Write ``path`` in the block: a failure is one sentence, a success is counted and said."""
    try:
        yield
    except OSError as err:  # a full disk, a folder removed meanwhile...
        raise cannot_write(path, err) from err
    args.written.append(str(path))
    print(f"wrote {path}")
