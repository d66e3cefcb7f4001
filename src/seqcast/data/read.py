"""Reading one series' table from a file or a pandas object: a DataFrame indexed by its dates.

:func:`read_table` turns a CSV / TSV / Parquet file, a DataFrame or a Series
into a new DataFrame whose index holds the dates (or integer positions when
the data has no dates), in two stages that run one after the other: loading
the data (:mod:`seqcast.data.load`: the file's format sniffed) and finding
its dates (:mod:`seqcast.data.date_index`). Checking that the columns can be
forecast is :mod:`seqcast.data.series`'.

Every problem the user can fix is raised as :class:`~seqcast.errors.SeqcastError`
with one sentence that names the file / column and says what to do; pandas'
own errors are cut to their first sentence (:func:`~seqcast.data.dates.short_reason`).
"""

from __future__ import annotations

import os

import pandas as pd

from seqcast.data.date_index import DATES_ATTR, NO_DATES, index_by_date
from seqcast.data.load import load_table, read_hint, read_notes

__all__ = [
    "DATES_ATTR",
    "NO_DATES",
    "index_by_date",
    "load_table",
    "read_hint",
    "read_notes",
    "read_table",
]


def read_table(
    source: str | os.PathLike | pd.DataFrame | pd.Series,
    *,
    date_column: str | None = None,
    date_format: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Read ``source`` into a new DataFrame indexed by date (or by position when undated).

    ``source`` is a path to a CSV (``.csv``, ``.txt``, ``.tsv`` tab-separated, each
    optionally ``.gz``) or Parquet (``.parquet``, ``.pq``) file, or a DataFrame or
    Series (a Series becomes one column named after it, or ``"value"``). The
    caller's object is never modified.

    The dates are, in this order: the ``date_column`` if given; the existing
    DatetimeIndex (or PeriodIndex) of a pandas object; the one column named
    like a date (``date``, ``ds``, ``time``, ``month``...) whose values mostly
    parse as dates, or whose text all reads as dates whatever its name
    (``order_date``, ``Datum``, ``Fecha``; numbers are dates only in a column
    named like one). Otherwise the index counts positions (0, 1, 2...), which
    is fine: forecasts are then labelled by step, and ``attrs["seqcast_dates"]``
    of the result says ``"none found"`` (else where the dates came from) so
    that a caller can tell the user.

    Day and month are read in the order the whole column shows (``13/01/2023``
    is day-first); a column that reads evenly spaced both ways (``01/01/2023``
    ... ``01/12/2023``: monthly day-first, daily month-first) is refused unless
    ``date_format``, a strptime format passed to pandas (``"%d/%m/%Y"``), says
    how. Dates written with several UTC offsets (``+01:00`` and ``+02:00``
    across a daylight-saving change) become one time line in UTC, labelled in
    the offset of the latest date: forecasts are written with that offset, and
    a daylight-saving change inside the horizon is not anticipated.

    One series is read at a time: an index of several levels (store, date),
    or dates that repeat once per value of a text column (long format), is
    refused with the way to read them as a panel
    (:func:`~seqcast.data.panel.read_panel`) or to pick one series.

    A text file's separator (``,`` ``;`` tab ``|``) and decimal mark (``,``
    when the separator is not a comma and the numbers read like ``12,5``) are
    found from its first lines unless ``sep`` / ``decimal`` say them; numbers
    with thousands separators (``1.234,5``) are read as numbers. The file is
    UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; one that
    is not UTF-8 is read as Windows-1252, with a note (:func:`read_notes`).

    >>> frame = pd.DataFrame({"Date": ["2020-01-01", "2020-01-02"], "sales": [3, 4]})
    >>> table = read_table(frame)
    >>> table.index.name, table.columns.tolist(), str(table.index[1].date())
    ('Date', ['sales'], '2020-01-02')
    >>> table = read_table(pd.DataFrame({"Datum": ["30.01.2024", "31.01.2024"], "y": [1, 2]}))
    >>> table.index.name, str(table.index[0].date()), table.attrs["seqcast_dates"]
    ('Datum', '2024-01-30', "column 'Datum'")
    >>> read_table(pd.Series([1.0, 2.0])).columns.tolist()
    ['value']
    """
    frame = load_table(source, sep=sep, decimal=decimal)
    return index_by_date(frame, date_column=date_column, date_format=date_format)
