"""The search's data: read and checked once, so that every trial fits the same table.

:func:`read_once` reads ``data`` as ``Forecaster.fit`` would (one series, or
many as a :class:`~seqcast.data.panel.Panel`) with the search's
:class:`~seqcast.data.options.ReadOptions`, and gathers what each trial's
``Forecaster.fit`` is then given besides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from seqcast.checks import column_names
from seqcast.data.options import ReadOptions
from seqcast.data.panel import Panel, read_panel
from seqcast.data.read import read_table
from seqcast.data.series import read_series
from seqcast.data.transform import training_end
from seqcast.errors import SeqcastError

__all__ = ["SearchData", "read_once", "require_validation"]


@dataclass(frozen=True)
class SearchData:
    """The data every trial fits: ``frame`` (read), its series ``parts``, the other
    arguments of ``Forecaster.fit`` (``fit_args``) and whether it holds many series."""

    frame: Any
    parts: list[Any]
    fit_args: dict[str, Any]
    many: bool

    @property
    def freq(self) -> str | None:
        """The frequency of the dates (of the first series)."""
        return self.parts[0].freq

    @property
    def n_train(self) -> int:
        """The points before the validation part in the shortest series: what every window
        the search tries must fit."""
        valid = self.fit_args["valid"]
        return min(training_end(part.frame.index, valid, part.date_style) for part in self.parts)


def require_validation(valid: Any) -> None:
    """The search compares trials on a validation part: refuse to go without one."""
    if valid is None:
        raise SeqcastError(
            "the search compares models on a validation part; give valid= (a fraction "
            "such as 0.2, or the first validation date)"
        )


def read_once(
    data: Any,
    target: str | None,
    covariates: Sequence[str],
    known_covariates: Sequence[str],
    valid: Any,
    options: ReadOptions,
    *,
    id_column: str | None = None,
    targets: Sequence[str] | str | None = None,
    static: Sequence[str] = (),
) -> SearchData:
    """Read ``data`` once; many series (``id_column``, ``targets``, or a Panel) as a panel."""
    covariates, known = column_names(covariates), column_names(known_covariates)
    many = id_column is not None or targets is not None or isinstance(data, Panel)
    columns = [*covariates, *known]
    repair = {"freq": options.freq, "fill": options.fill_method}
    repair["duplicates"] = options.duplicate_policy
    if many:
        frame = read_panel(
            data,
            target,
            columns,
            id_column=id_column,
            targets=targets,
            static=static,
            **_table_options(options),
            **repair,
        )
        parts = list(frame)
    else:
        frame = read_table(data, **_table_options(options))
        parts = [read_series(frame, target, columns, **repair)]
    fit_args = {
        "target": parts[0].target,
        "covariates": covariates,
        "valid": valid,
        "known_covariates": known,
        "date_format": options.date_format,  # the table is read: this is for the saved model
        **repair,
        **({"static": column_names(static)} if many else {}),
    }
    return SearchData(frame, parts, fit_args, many)


def _table_options(options: ReadOptions) -> dict[str, Any]:
    """The options that say how the table itself is read."""
    return {
        "date_column": options.date_column,
        "date_format": options.date_format,
        "sep": options.sep,
        "decimal": options.decimal,
    }
