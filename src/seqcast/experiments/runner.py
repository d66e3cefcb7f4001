"""Pick rows from a table by name and run them, whichever table they come from.

Each row type knows how it runs (:meth:`seqcast.experiments.rows.Row.run`);
the runner only selects rows and hands them the run's cache of trained models.

>>> rows = select_rows(["naive_10", "naive"])
>>> [row.name for row in rows]  # in the table's order
['naive', 'naive_10']
>>> round(run(rows[0], verbose=0).value, 6)
0.020211
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from seqcast.checks import one_of
from seqcast.choices import SUITES
from seqcast.errors import SeqcastError
from seqcast.experiments import book, course
from seqcast.experiments.rows import PREVIEW_SERIES, Row, RowResult, TrainedModels

__all__ = ["PREVIEW_SERIES", "TABLES", "RowResult", "TrainedModels", "run", "select_rows"]

#: Each suite's rows, in the table's order, and the same rows by name.
TABLES: dict[str, tuple[Sequence[Row], dict[str, Row]]] = {
    "book": (book.BOOK_ROWS, book.ROWS_BY_NAME),
    "course": (course.COURSE_ROWS, course.ROWS_BY_NAME),
}
assert tuple(TABLES) == SUITES, "every suite a user can name has a table"


def select_rows(names: Sequence[str] | None, suite: str = "book") -> list[Row]:
    """The rows called ``names`` (all rows when ``names`` is empty), in the table's order."""
    rows, by_name = TABLES[one_of(suite, SUITES, "suite")]
    if not names:
        return list(rows)
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SeqcastError(
            f"unknown model {', '.join(map(repr, unknown))} in --models; choose from: "
            f"{', '.join(by_name)}"
        )
    return [row for row in rows if row.name in set(names)]


def run(row: Row, *, trained: TrainedModels | None = None, **settings: Any) -> RowResult:
    """Run a row of either table (``settings``: see :meth:`Row.run`).

    Pass the same ``trained`` to the rows of one run so that rows sharing a
    model (``iterative`` and ``deep_rnn_dense``) train it once.
    """
    return row.run(trained=trained, **settings)
