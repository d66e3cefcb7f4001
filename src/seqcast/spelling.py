"""Argument names in the caller's language: ``valid`` in Python, ``--valid-from`` in a shell.

A message names the argument to change, and a person fixes what they typed:
the library's own words would send a command-line user looking for a
``valid`` that ``seqcast fit`` does not have. So messages write an argument
as ``argument("valid")``, and the command line, around each command, says
how it spells the library's words (:func:`spelled_as`).

Why a context and not a parameter: the words are needed deep down (the
validation start is checked inside ``Forecaster.fit``), and a ``names=``
parameter on every public method for the command line's sake would be noise
to every Python user. The context is a :class:`contextvars.ContextVar`: it
holds for the command's thread only and ends with the command.

>>> argument("valid")
'valid'
>>> with spelled_as({"valid": "--valid-from"}):
...     argument("valid"), argument("future=")
('--valid-from', 'future=')
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from types import MappingProxyType

__all__ = ["argument", "spelled_as"]

_SPELLING: ContextVar[Mapping[str, str]] = ContextVar(
    "seqcast_spelling", default=MappingProxyType({})
)


def argument(words: str) -> str:
    """How the caller writes the library's ``words`` for an argument (``"future="``...)."""
    return _SPELLING.get().get(words, words)


@contextlib.contextmanager
def spelled_as(spelling: Mapping[str, str]) -> Iterator[None]:
    """Within the block, messages write the library's words as ``spelling`` maps them."""
    token = _SPELLING.set(MappingProxyType({**_SPELLING.get(), **spelling}))
    try:
        yield
    finally:
        _SPELLING.reset(token)
