"""The book's table, reproduced: each row within 10 % of the published figure.

This trains the rows for the book's full 20 epochs (about 30 s on 2 cores)
with the default seed, exactly as `seqcast reproduce` does.
"""

import math

import pytest

from seqcast.experiments.book import BOOK_ROWS
from seqcast.experiments.runner import run_row
from seqcast.report import TOLERANCE


@pytest.mark.parametrize("row", BOOK_ROWS, ids=[row.name for row in BOOK_ROWS])
def test_row_reproduces_the_books_figure(row):
    result = run_row(row, seed=42, verbose=0)
    assert math.isfinite(result.value)
    assert result.value <= row.published * TOLERANCE, (
        f"{row.name}: {result.value:.6f} is more than {TOLERANCE}× the book's {row.published}"
    )
    assert result.epochs == row.epochs
