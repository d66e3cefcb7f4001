"""How a text export is written: its separator, decimal mark and encoding, from its first lines.

Spreadsheets across Europe save "CSV" with semicolons and decimal commas
(``date;sales`` / ``2020-01-01;12,5``), Excel's "Unicode text" is tab-separated
UTF-16, databases export pipes, and Windows tools write Windows-1252 or put a
byte-order mark before the header. :func:`sniff_text` looks at the first lines
and says how to read the file; :func:`numbers_with_thousands` turns columns
written like ``1.234,5`` into numbers afterwards (pandas' own ``thousands=``
would also eat the dots of day-first dates such as ``01.02.2020``).

>>> sniff_text("date;sales\\n2020-01-01;12,5\\n2020-01-02;13\\n", default_sep=",")
(';', ',')
>>> sniff_text("date|sales\\n2020-01-01|12.5\\n", default_sep=",")
('|', '.')
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pandas.api import types as ptypes

from seqcast.data.date_text import non_blank
from seqcast.errors import SeqcastError

__all__ = [
    "SEPARATORS",
    "CsvFormat",
    "checked_format",
    "numbers_with_thousands",
    "sniff_file",
    "sniff_text",
]

#: The separators tried, in the order that breaks ties: a semicolon, tab or pipe that
#: splits every line alike is a stronger sign than commas, which decimal commas also make.
SEPARATORS = (";", "\t", "|", ",")

#: How messages and the command line write each separator.
SEPARATOR_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}

_SAMPLE_BYTES = 64 * 1024
_SAMPLE_LINES = 50

_COMMA_DECIMAL = re.compile(r"^[-+]?(\d+|\d{1,3}(\.\d{3})+),\d+$")  # 12,5  1.234,5
_DOT_DECIMAL = re.compile(r"^[-+]?\d*\.\d+([eE][-+]?\d+)?$")  # 12.5  .5  1.5e3
_DOT_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")  # 1.234: a thousand with decimal commas
_THOUSANDS = {
    ",": re.compile(r"^[-+]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$"),  # 1.234,5 12,5 with decimal commas
    ".": re.compile(r"^[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$"),  # 1,234.5 12.5 with decimal points
}


@dataclass(frozen=True)
class CsvFormat:
    """How to read a text file: ``sep``, ``decimal`` and ``encoding`` as pandas names them."""

    sep: str
    decimal: str
    encoding: str


def sep_name(sep: str) -> str:
    """A separator as the command line takes it: ``tab`` for a tab, else the character."""
    return "tab" if sep == "\t" else sep


def checked_format(sep: str | None, decimal: str | None) -> tuple[str | None, str | None]:
    """A user's ``sep`` / ``decimal``, checked: one character each (``"tab"`` for a tab).

    >>> checked_format("tab", ",")
    ('\\t', ',')
    """
    if sep is not None:
        sep = "\t" if sep in ("tab", "\\t") else sep
        if not isinstance(sep, str) or len(sep) != 1 or sep in '\r\n"':
            raise SeqcastError(
                f"the separator must be one character such as ',' ';' '|' or tab, not {sep!r}; "
                "give it with sep= / --sep"
            )
    if decimal is not None and decimal not in (".", ","):
        raise SeqcastError(
            f"the decimal mark must be '.' or ',', not {decimal!r}; "
            "give it with decimal= / --decimal"
        )
    if sep is not None and sep == decimal:
        raise SeqcastError(
            f"the separator and the decimal mark are both {sep!r}; "
            "give a different --sep or --decimal"
        )
    return sep, decimal


def sniff_file(path: Path, *, sep: str | None, decimal: str | None, default_sep: str) -> CsvFormat:
    """The format of the file at ``path``: ``sep`` / ``decimal`` as given, else as its lines show.

    The encoding comes from a byte-order mark (UTF-8 or UTF-16), else it is UTF-8;
    the reader falls back to Windows-1252 when the file turns out not to be UTF-8.
    Raises OSError / EOFError for an unreadable (e.g. broken ``.gz``) file.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        head = handle.read(_SAMPLE_BYTES)
        truncated = bool(handle.read(1))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"  # also reads files without the mark
    text = head.decode(encoding, errors="replace")
    if truncated:
        text = text.rsplit("\n", 1)[0]  # the last line may be cut off
    found_sep, found_decimal = sniff_text(text, default_sep=default_sep, sep=sep)
    return CsvFormat(sep or found_sep, decimal or found_decimal, encoding)


def sniff_text(text: str, *, default_sep: str, sep: str | None = None) -> tuple[str, str]:
    """The separator and decimal mark the first lines of ``text`` use.

    The separator is the one that splits the header into several fields and
    every other line into as many (or most of them, when some line is broken:
    pandas then says which); ``default_sep`` when none does. The decimal mark
    is a comma when the separator is not one and the numbers read like ``12,5``
    and none like ``12.5``.
    """
    lines = [line for line in text.splitlines() if line.strip()][:_SAMPLE_LINES]
    if not lines:
        return sep or default_sep, "."
    if sep is None:
        sep = _separator(lines, default_sep)
    if sep == ",":
        return sep, "."
    fields = [field.strip() for row in csv.reader(lines[1:], delimiter=sep) for field in row]
    commas = sum(bool(_COMMA_DECIMAL.match(field)) for field in fields)
    points = sum(
        bool(_DOT_DECIMAL.match(field)) and not _DOT_THOUSANDS.match(field) for field in fields
    )
    return sep, "," if commas and not points else "."


def _separator(lines: list[str], default_sep: str) -> str:
    best, best_score = default_sep, None
    for candidate in SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        header, rows = counts[0], counts[1:] or counts[:1]
        if header < 2:
            continue
        agree = sum(count == header for count in rows) / len(rows)
        # every line alike first, then most lines alike, then more fields; ties: SEPARATORS order
        score = (agree == 1.0, agree, header)
        if best_score is None or score > best_score:
            best, best_score = candidate, score
    return best


def numbers_with_thousands(
    frame: pd.DataFrame, decimal: str, keep: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Columns of text written like ``1.234,5`` (or ``1,234.5``) as numbers; others as they are.

    Only a column whose every non-blank value reads so, and at least one of
    them with a thousands separator, is converted; never one in ``keep``
    (ids, which are labels).

    >>> frame = pd.DataFrame({"sales": ["1.234,5", "12,5"], "day": ["01.02.2020", "02.02.2020"]})
    >>> numbers_with_thousands(frame, ",")["sales"].tolist()
    [1234.5, 12.5]
    """
    pattern = _THOUSANDS[decimal]
    thousands = "." if decimal == "," else ","
    for column in frame.columns:
        values = frame[column]
        if column in keep or not (
            ptypes.is_object_dtype(values.dtype) or ptypes.is_string_dtype(values.dtype)
        ):
            continue
        # Each distinct text checked once: a long table repeats its ids and dates many times.
        text = non_blank(pd.Series(values.dropna().unique(), dtype=object))
        if text.empty or not text.str.contains(thousands, regex=False).any():
            continue
        if not text.map(lambda v: bool(pattern.match(v))).all():
            continue
        cleaned = values.astype(str).str.strip().str.replace(thousands, "", regex=False)
        cleaned = cleaned.str.replace(decimal, ".", regex=False)
        frame[column] = pd.to_numeric(cleaned.where(values.notna()), errors="coerce")
    return frame
