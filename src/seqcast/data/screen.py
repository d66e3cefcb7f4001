"""A stacked table's series typed all at once, and which of them need a closer look.

A long table of many series is typed column by column over all its rows at
once (numbers, text covariates' categories), and checked in the same pass
for what the one-series checks of :func:`~seqcast.data.prepare.checked_series`
refuse or repair before a series' spacing: an empty date, too few points, a
value that is not a number, a missing or infinite one, a repeated date. A
series clear of all of them goes straight to its spacing and frequency
(:func:`~seqcast.data.prepare.regular_series`); any other goes through the
one-series checks, which say what is wrong in their own words, or merge its
repeated dates as asked. Either way each series comes out as it would alone.

>>> work = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, None, 6.0]})
>>> rows = Spans(codes=np.array([0, 0, 0, 1, 1, 1]), first=np.array([0, 3]), last=np.array([2, 5]))
>>> screened(work, rows, work.index.array, "y", (), (), fill="none").clear.tolist()
[True, False]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from seqcast.data.columns import as_text, numbers_of
from seqcast.data.prepare import MIN_POINTS
from seqcast.errors import SeqcastError

__all__ = ["Screened", "Spans", "screened"]


@dataclass(frozen=True)
class Spans:
    """Where each series lies in a table sorted by series: each row's series, and its span."""

    codes: np.ndarray  # (rows,) the series of each row
    first: np.ndarray  # (series,) its first row kept (the first with a value)
    last: np.ndarray  # (series,) its last row kept


@dataclass(frozen=True)
class Screened:
    """The table's columns typed (all rows), and for each series whether it is clear."""

    columns: dict[str, np.ndarray]
    clear: np.ndarray


def screened(
    work: pd.DataFrame,
    rows: Spans,
    labels: pd.api.extensions.ExtensionArray | np.ndarray | None,
    target: str,
    covariates: tuple[str, ...],
    text: tuple[str, ...],
    *,
    fill: str,
) -> Screened | None:
    """``work``'s columns typed, and the series clear of every problem; None if none can be.

    ``labels`` are the rows' dates or steps (None: each series counts its own
    steps, which cannot repeat). None comes back when a column cannot be typed
    at all (dates where numbers belong): the one-series checks say so.
    """
    n_series = len(rows.first)
    positions = np.arange(len(work))
    kept = (positions >= rows.first[rows.codes]) & (positions <= rows.last[rows.codes])
    columns: dict[str, np.ndarray] = {}
    trouble = np.zeros(len(work), dtype=bool)
    for name in (target, *covariates):
        if name in text:
            columns[name] = as_text(work[name]).to_numpy(dtype=object)
            continue
        try:
            numbers, bad = numbers_of(work[name], name)
        except SeqcastError:
            return None
        columns[name] = numbers
        # With fill, blank values are filled like missing dates; infinities never are.
        trouble |= bad | (np.isinf(numbers) if fill != "none" else ~np.isfinite(numbers))
    if labels is not None:
        trouble |= np.asarray(pd.isna(labels), dtype=bool)
        keys = pd.DataFrame({"series": rows.codes[kept], "label": labels[kept]})
        trouble[kept] |= keys.duplicated(keep=False).to_numpy()
    troubled = np.bincount(rows.codes[kept & trouble], minlength=n_series) > 0
    short = rows.last - rows.first + 1 < MIN_POINTS
    return Screened(columns, ~(troubled | short))
