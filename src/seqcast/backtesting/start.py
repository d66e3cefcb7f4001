"""Where a backtest starts when it is not told: after the data the model saw, or the last fifth.

:func:`after_fitted` is the model's test part: the first label after the last
one the model was fitted on, from which a series still has a horizon to
forecast. :func:`last_fifth` is the fallback: the last fifth of the data's
labels, leaving a window before it.

>>> days = pd.date_range("2023-01-01", periods=10)
>>> after_fitted([days], pd.Timestamp("2023-01-07"), horizon=2)
Timestamp('2023-01-08 00:00:00')
>>> print(after_fitted([days], pd.Timestamp("2023-01-10"), horizon=2))
None
>>> last_fifth([days], earliest=3)
Timestamp('2023-01-09 00:00:00')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

#: What the command says of each default start (``backtest from 2023-04-03 (...)``).
MODEL_TEST_PART = "the model's test part"
DATASET_TEST_PART = "the dataset's test part"
LAST_FIFTH = "the last fifth of the data"


def after_fitted(indexes: Sequence[pd.Index], fitted_until: Any, horizon: int) -> Any:
    """The first label after ``fitted_until`` that leaves some series ``horizon`` values.

    ``fitted_until`` is the last label the model was fitted on (of the kind of
    ``indexes``); None where no series goes on for a horizon after it.
    """
    firsts = []
    for index in indexes:
        at = int(index.searchsorted(fitted_until, side="right"))
        if len(index) - at >= horizon:
            firsts.append(index[at])
    return min(firsts, default=None)


def last_fifth(indexes: Sequence[pd.Index], earliest: int) -> Any:
    """The label that starts the last fifth of all the series' labels, but none of the
    first ``earliest`` (the model's window, which must lie before the start)."""
    labels = indexes[0]
    for index in indexes[1:]:
        labels = labels.union(index)
    return labels[min(max(len(labels) - len(labels) // 5, earliest), len(labels) - 1)]
