"""The covariates known in advance on the forecast dates: one table, split by series.

>>> dates = pd.date_range("2024-01-01", periods=2, freq="D", name="date")
>>> table = pd.DataFrame({"store": ["a", "b"], "promo": [1.0, 0.0]}, index=dates)
>>> sorted(future_by_series(table, "store"))
['a', 'b']
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from seqcast.data.categories import Categories
from seqcast.data.panel import Panel
from seqcast.data.read import load_table
from seqcast.data.transform import known_future
from seqcast.errors import SeqcastError
from seqcast.estimator.naming import named
from seqcast.estimator.reading import is_one_series


def future_by_series(future: Any, id_column: str) -> dict[str, pd.DataFrame]:
    """The known future of many series (a long table with ``id_column``), by series id."""
    if isinstance(future, (str, bytes)) or hasattr(future, "__fspath__"):
        table = load_table(future, text=(id_column,))  # dates: per series, by known_future
    elif isinstance(future, pd.DataFrame):
        table = future
    else:
        raise SeqcastError(
            f"give the future values of a panel as a table with an '{id_column}' column "
            f"(a DataFrame or a file), not a {type(future).__name__}"
        )
    if id_column in table.columns:
        ids = table[id_column]
        table = table.drop(columns=id_column)
    elif id_column in (table.index.names or []):
        ids = table.index.get_level_values(id_column)
        table = table.reset_index(level=id_column, drop=True)
    else:
        raise SeqcastError(
            f"the future values have no '{id_column}' column; give one row per series and "
            "date, with the series in that column"
        )
    return {str(sid): group for sid, group in table.groupby(ids.astype(str).to_numpy(), sort=False)}


def known_futures(
    panel: Panel,
    future: Any,
    known: tuple[str, ...],
    horizon: int,
    categories: Categories,
    *,
    id_column: str,
    date_format: str | None = None,
) -> dict[str, Any]:
    """Each series' ``known`` covariates on its ``horizon`` forecast dates, encoded, by id.

    ``future`` is one table for one series, or a long table with ``id_column``
    for a panel (:func:`future_by_series`). Empty values without known covariates.
    """
    if is_one_series(panel) or future is None or not known:
        tables = {sid: future for sid in panel.ids}
    else:
        tables = future_by_series(future, id_column)
    found = {}
    for sid, series in zip(panel.ids, panel):
        found[sid] = named(
            panel,
            sid,
            known_future,
            series,
            tables.get(sid),
            known,
            horizon,
            categories,
            date_format=date_format,  # as given: a file of plans may be written otherwise
        )
    return found
