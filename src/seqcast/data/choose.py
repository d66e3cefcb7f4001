"""Choosing a table's columns: the target, the covariates beside it, the static columns.

The stage of reading after the dates (:mod:`seqcast.data.date_index`) and the
series' ids (:mod:`seqcast.data.layouts`), before each series is typed and
repaired (:mod:`seqcast.data.prepare`): the columns are checked once on the
whole table, whatever the number of series in it, and every refusal names the
columns there are (with the separator a text file was read with,
:func:`~seqcast.data.load.read_hint`).

>>> table = pd.DataFrame({"day": ["W", "A"], "sales": [1.0, 2.0], "region": ["N", "N"]})
>>> chosen_columns(table, None, ("day",), ("region",))
'sales'
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from pandas.api import types as ptypes

from seqcast.checks import column_names, listing
from seqcast.choices import ALL_TARGETS
from seqcast.data.layouts import WIDE_TARGET
from seqcast.data.load import check_some_columns, read_hint
from seqcast.errors import SeqcastError

__all__ = [
    "UnknownColumn",
    "check_columns",
    "choose_target",
    "chosen_columns",
    "unique_columns",
    "wide_targets",
]


class UnknownColumn(SeqcastError):
    """A column named for a ``role`` (``"covariate"``, ``"static"``) that the table lacks.

    Beside the message, ``columns`` (the table's) and ``hint`` (how it was
    read) let a caller that knows why the column was asked for (a fitted
    model) say so instead.
    """

    def __init__(
        self, message: str, *, role: str = "", columns: tuple[str, ...] = (), hint: str = ""
    ) -> None:
        super().__init__(message)
        self.role, self.columns, self.hint = role, columns, hint


def _unknown(role: str, name: str, table: pd.DataFrame) -> UnknownColumn:
    """The refusal of column ``name``, asked for as a ``role`` column, that ``table`` lacks."""
    columns, hint = tuple(str(column) for column in table.columns), read_hint(table)
    return UnknownColumn(
        f"unknown {role} column '{name}'; the columns are: {listing(columns, limit=12)}{hint}",
        role=role,
        columns=columns,
        hint=hint,
    )


def unique_columns(frame: pd.DataFrame) -> None:
    """Refuse a column name used twice: no one could say which of them is meant."""
    repeated = frame.columns[frame.columns.duplicated()]
    if len(repeated):
        raise SeqcastError(
            f"the column name '{repeated[0]}' is used more than once; give each column its own name"
        )


def chosen_columns(
    table: pd.DataFrame,
    target: str | None,
    covariates: tuple[str, ...],
    static: tuple[str, ...] = (),
) -> str:
    """The target of ``table``, with the covariates and static columns checked beside it."""
    for name in static:
        if name not in table.columns:
            raise _unknown("static", name, table)
    rest = table.drop(columns=list(static)) if static else table
    target = choose_target(rest, target, covariates)
    check_columns(table, target, covariates, static)
    return target


def choose_target(frame: pd.DataFrame, target: str | None, covariates: tuple[str, ...]) -> str:
    """``target`` if ``frame`` has it; else the one column (or one numeric column) left over.

    >>> choose_target(pd.DataFrame({"day": ["W"], "sales": [1.0]}), None, ())
    'sales'
    """
    check_some_columns(frame)
    if target is not None:
        target = str(target)
        if target not in frame.columns:
            raise SeqcastError(
                f"unknown target column '{target}'; "
                f"the columns are: {listing(frame.columns, limit=12)}{read_hint(frame)}"
            )
        return target
    candidates = [column for column in frame.columns if column not in covariates]
    if len(candidates) == 1:
        return candidates[0]
    numeric = [column for column in candidates if ptypes.is_numeric_dtype(frame[column].dtype)]
    if len(numeric) == 1:
        return numeric[0]
    raise SeqcastError(
        f"the data has several columns ({listing(frame.columns, limit=12)}){read_hint(frame)}; "
        "choose the one to forecast with target=... / --target"
    )


def check_columns(
    table: pd.DataFrame,
    target: str,
    covariates: tuple[str, ...],
    static: tuple[str, ...] = (),
) -> None:
    """Refuse a covariate the table lacks, and a column given two parts to play."""
    for name in covariates:
        if name not in table.columns:
            raise _unknown("covariate", name, table)
        if name in static:
            raise SeqcastError(
                f"'{name}' is both a covariate and a static column; a static column holds one "
                "value per series, a covariate one per date: list it once"
            )
    if target in static:
        raise SeqcastError(f"'{target}' is both the target and a static column; list it once")
    if target in covariates:
        raise SeqcastError(
            f"'{target}' is both the target and a covariate; leave it out of the covariates"
        )


def wide_targets(
    table: pd.DataFrame, targets: Sequence[str] | str | bool, covariates: tuple[str, ...]
) -> tuple[str, ...]:
    """The columns of a wide table that are each one series: ``targets``, or every numeric one.

    Each becomes a series whose target is named ``"value"``, beside the
    covariates every series shares, which are checked here too.
    """
    hint = read_hint(table)
    if targets is True or (isinstance(targets, str) and targets == ALL_TARGETS):
        if ALL_TARGETS in table.columns:
            raise SeqcastError(
                f"targets='{ALL_TARGETS}' takes every numeric column, but a column is named "
                f"'{ALL_TARGETS}'; list the target columns by name"
            )
        names = tuple(
            column
            for column in table.columns
            if column not in covariates and ptypes.is_numeric_dtype(table[column].dtype)
        )
        if not names:
            raise SeqcastError(
                f"no column holds numbers besides the covariates (the columns are: "
                f"{listing(table.columns, limit=12)}{hint}); name the target columns with "
                "targets=... / --targets"
            )
    else:
        names = column_names(targets, "target")
        if not names:
            raise SeqcastError("targets / --targets is empty; name at least one column")
    for name in names:
        if name not in table.columns:
            raise SeqcastError(
                f"unknown target column '{name}'; the columns are: "
                f"{listing(table.columns, limit=12)}{hint}"
            )
        if name in covariates:
            raise SeqcastError(
                f"'{name}' is both a target and a covariate; leave it out of the covariates"
            )
    if WIDE_TARGET in covariates:
        raise SeqcastError(
            f"in wide format each series' values are named '{WIDE_TARGET}', and so is a "
            "covariate; rename that covariate"
        )
    check_columns(table, names[0], covariates)
    return names
