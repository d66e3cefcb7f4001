"""Sharing items out among processes: consecutive runs of about equal size, one each.

Every process applies the same rule to the same listing, so that they agree
on who reads what without talking to each other (:mod:`seqcast.data.partition`
reads each process's share of a panel with it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seqcast.checks import positive_int
from seqcast.errors import SeqcastError

__all__ = ["Share", "share_bounds"]


def share_bounds(sizes: Sequence[int], num_processes: int) -> tuple[int, ...]:
    """Where ``num_processes`` consecutive shares of items of these ``sizes`` start and end.

    Process ``p`` gets the items ``bounds[p]:bounds[p + 1]``. Each cut falls at
    the item boundary whose running total of sizes is nearest to ``p / n`` of
    the whole (the earlier one on a tie), moved only as far as needed to give
    every process at least one item. Sizes that are all 0 count as 1 each.
    There must be at least as many items as processes.

    >>> share_bounds([1, 1, 1, 1, 1], 2)
    (0, 2, 5)
    >>> share_bounds([10, 1, 1, 1, 1], 2)
    (0, 1, 5)
    >>> share_bounds([100, 1, 1], 3)
    (0, 1, 2, 3)
    """
    n = positive_int(num_processes, "num_processes")
    weights = np.asarray(sizes, dtype=np.int64)
    m = len(weights)
    if m < n:
        raise SeqcastError(f"{n} processes cannot share {m} items; run at most {m} processes")
    if (weights < 0).any():
        raise SeqcastError("sizes to share out must be 0 or more")
    if weights.sum() == 0:
        weights = np.ones(m, dtype=np.int64)
    # Integers throughout (running totals times n against p times the whole), so that every
    # process, on any machine, cuts at exactly the same places.
    running = np.concatenate([[0], np.cumsum(weights)]) * n
    whole = int(weights.sum())
    bounds = [0]
    for p in range(1, n):
        distance = np.abs(running - p * whole)
        cut = int(np.argmin(distance))  # the first of equal distances: the earlier boundary
        cut = min(max(cut, bounds[-1] + 1), m - (n - p))
        bounds.append(cut)
    bounds.append(m)
    return tuple(bounds)


class Share:
    """Which process this is, and the sentence when there is too little to share."""

    def __init__(self, process_id: int, num_processes: int) -> None:
        self.process_id = process_id
        self.num_processes = num_processes

    def pick(self, sizes: Sequence[int], what: str, fix: str) -> tuple[int, int]:
        """The first and end positions of this process's items among items of ``sizes``."""
        if len(sizes) < self.num_processes:
            raise SeqcastError(
                f"{self.num_processes} processes cannot share {what} ({len(sizes)}): "
                f"each needs at least one; run at most {len(sizes)} processes{fix}"
            )
        bounds = share_bounds(sizes, self.num_processes)
        return bounds[self.process_id], bounds[self.process_id + 1]
