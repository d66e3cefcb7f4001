"""What a data file holds when it is not a table seqcast reads: an image, an archive, a workbook.

A new user drops whatever they have onto the command line: a chart saved as
``sales.png``, a zip of exports, an Excel workbook (``.xlsx``, itself a zip),
or a workbook renamed ``.csv``. Read as text, such a file fails deep inside
the CSV reader with a message about the ``'charmap'`` codec, or worse reads
as columns of noise. :func:`not_a_table` looks at the first bytes first and
says, in one sentence, what the file is and what to give instead.

>>> print(not_a_table(Path("chart.png"), b"\\x89PNG\\r\\n\\x1a\\n...").split(";")[0])
'chart.png' is not a text table (CSV/TSV) or a Parquet file (it is a PNG image)
>>> not_a_table(Path("sales.csv"), b"date,sales\\n2024-01-01,3\\n") is None
True
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from pathlib import Path

__all__ = ["WORKBOOK_SUFFIXES", "file_head", "not_a_table", "workbook_message"]

#: The spreadsheet workbooks people export from, which pandas reads with read_excel.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

_HEAD_BYTES = 4096

# The first bytes of the binary formats seen passed as data, and what to call each.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook"),
    (b"PAR1", "a Parquet file"),
)

_TABLE = "a CSV, TSV or Parquet file"


def file_head(path: Path) -> bytes:
    """The first bytes of ``path`` (of its content, for a ``.gz``); empty when unreadable.

    Unreadable here is the reader's to report, in its own words.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            return handle.read(_HEAD_BYTES)
    except (OSError, EOFError, zlib.error):
        return b""


def not_a_table(path: Path, head: bytes) -> str | None:
    """The sentence saying that ``path``, starting with ``head``, is no text table; else None."""
    kind = _binary_kind(head)
    if kind is None:
        return None
    if "Excel" in kind or (kind == "a zip archive" and _zipped_workbook(path)):
        return workbook_message(path)
    if kind == "a Parquet file":
        return f"'{path}' is a Parquet file with a text file's name; rename it to end in .parquet"
    fix = f"give the data as {_TABLE}"
    if "archive" in kind:
        fix = f"unpack it and give the table inside ({_TABLE})"
    return f"'{path}' is not a text table (CSV/TSV) or a Parquet file (it is {kind}); {fix}"


def workbook_message(path: Path) -> str:
    """What to do with a spreadsheet workbook: export it as CSV, or read it with pandas.

    >>> print(workbook_message(Path("sales.xlsx")).split(";")[0])
    seqcast does not read the workbook format of 'sales.xlsx' (Excel, OpenDocument)
    """
    return (
        f"seqcast does not read the workbook format of '{path}' (Excel, OpenDocument); "
        "export the sheet as CSV (Save As, CSV UTF-8: a .csv file), or read it with "
        "pandas.read_excel and pass the DataFrame"
    )


def _binary_kind(head: bytes) -> str | None:
    """What the bytes ``head`` start, when they are not text; None for text."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head and not _utf16_without_mark(head):
        return "a binary file"
    return None


def _zipped_workbook(path: Path) -> bool:
    """Whether the zip at ``path`` is a workbook (.xlsx, .ods), whatever the file is named."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
    return any(name.startswith("xl/") or name == "content.xml" for name in names)


def _utf16_without_mark(head: bytes) -> bool:
    """Whether ``head`` reads as UTF-16 text: zero bytes at every other place, and only there."""
    even, odd = head[0::2], head[1::2]
    return any(half.count(0) >= 0.9 * len(half) for half in (even, odd) if half)
