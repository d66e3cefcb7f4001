"""What :func:`~seqcast.data.panel.read_panel` is asked to read, checked once before any work.

The first stage of reading many series: the reading options
(:class:`~seqcast.data.options.ReadOptions`) with the frequency in its
canonical spelling, and the columns the caller named (the target or the
targets of a wide table, covariates, static columns, the id column), each
refused in one sentence before a file is opened.

>>> request = panel_request("sales", ["price"], id_column="store")
>>> request.covariates, request.id_column, request.wide
(('price',), 'store', False)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from seqcast.checks import column_names
from seqcast.data.frequency import checked_freq
from seqcast.data.options import ReadOptions
from seqcast.errors import SeqcastError

__all__ = ["PanelRequest", "panel_request"]


@dataclass(frozen=True)
class PanelRequest:
    """The checked arguments of read_panel: which columns, laid out how, read how."""

    target: str | None
    covariates: tuple[str, ...]
    categorical: Sequence[str] | None
    static: tuple[str, ...]
    id_column: str | None
    targets: Sequence[str] | str | bool | None
    options: ReadOptions

    @property
    def wide(self) -> bool:
        """Whether the series are the columns ``targets`` names (wide format)."""
        return self.targets is not None

    @property
    def repairs(self) -> dict[str, str | None]:
        """How each series is repaired: checked_series' ``freq``, ``fill`` and ``duplicates``."""
        options = self.options
        return {
            "freq": options.freq,
            "fill": options.fill_method,
            "duplicates": options.duplicate_policy,
        }

    @property
    def dates(self) -> dict[str, str | None]:
        """The keywords that say where the dates are and how they read (index_by_date's)."""
        return {"date_column": self.options.date_column, "date_format": self.options.date_format}


def panel_request(
    target: str | None = None,
    covariates: Sequence[str] = (),
    *,
    id_column: str | None = None,
    targets: Sequence[str] | str | bool | None = None,
    static: Sequence[str] = (),
    categorical: Sequence[str] | None = None,
    options: ReadOptions | None = None,
) -> PanelRequest:
    """read_panel's arguments checked, each mistake refused in one sentence."""
    options = options or ReadOptions()
    covariates = column_names(covariates, "covariate")
    if options.freq is not None:
        options = dataclasses.replace(options, freq=checked_freq(options.freq))
    request = PanelRequest(
        target=None if target is None else str(target),
        covariates=covariates,
        categorical=categorical,
        static=column_names(static, "static column"),
        id_column=None if id_column is None else str(id_column),
        targets=targets,
        options=options,
    )
    if request.id_column is not None and not request.id_column.strip():
        raise SeqcastError("the id column's name is empty; give the column of the series' ids")
    if request.wide:
        if request.id_column is not None:
            raise SeqcastError(
                "give either id_column / --id-column (long format: one column of ids) or "
                "targets / --targets (wide format: one column per series), not both"
            )
        if request.target is not None:
            raise SeqcastError(
                "give either target / --target (one column to forecast) or targets / --targets "
                "(several columns, one series each), not both"
            )
    return request
