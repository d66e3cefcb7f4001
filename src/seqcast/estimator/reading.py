"""The data of a call, read once: for ``fit`` as given, for ``predict`` and the rest as fitted.

Every method takes the reading options as keywords (as pandas users expect)
or as one :class:`~seqcast.data.options.ReadOptions`; :func:`read_options`
makes the one value, and it alone reaches the reader. Whatever the number
of series, what comes back is a :class:`~seqcast.data.panel.Panel` (one
series is a panel of one).

>>> read_options(None, fill="ffill", sep=None).fill, read_options(ReadOptions(sep=";")).sep
('ffill', ';')
>>> read_options(ReadOptions(fill="zero"), FIT_DEFAULTS, fill="none").fill  # fit's default
'zero'
>>> def predict(data=None, sep=None, fill=None, options=None):
...     return options_of(locals())
>>> said = predict(sep=";", options=ReadOptions(fill="ffill"))
>>> said.sep, said.fill, said.decimal
(';', 'ffill', None)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from seqcast.checks import column_names, listing
from seqcast.data.choose import UnknownColumn
from seqcast.data.options import READ_KEYWORDS, ReadOptions
from seqcast.data.panel import Panel, panel_of_one, read_panel
from seqcast.data.series import SeriesData
from seqcast.errors import SeqcastError
from seqcast.estimator.state import Columns, FittedState

#: The defaults of ``fit``'s and ``lr_find``'s ``fill`` and ``duplicates``: "not said".
FIT_DEFAULTS = {"fill": "none", "duplicates": "error"}


def read_options(
    options: ReadOptions | None, unsaid: dict[str, str] | None = None, **keywords: Any
) -> ReadOptions:
    """``options`` with the keywords given (not None) put over it.

    Beside ``options``, a keyword at its value in ``unsaid`` (a method's
    default, such as ``fit``'s ``fill="none"``) counts as not given, so that
    the options say.
    """
    if options is not None and unsaid:
        keywords = {k: v for k, v in keywords.items() if unsaid.get(k) != v}
    return ReadOptions.of(options, **keywords)


def options_of(arguments: dict[str, Any], unsaid: dict[str, str] | None = None) -> ReadOptions:
    """The one :class:`ReadOptions` of a method's arguments (its ``locals()``).

    Its reading keywords (``date_column``, ``sep``...) put over its ``options``.
    """
    keywords = {name: arguments[name] for name in READ_KEYWORDS if name in arguments}
    return read_options(arguments.get("options"), unsaid, **keywords)


def columns_given(
    target: str | None,
    covariates: Sequence[str] = (),
    known: Sequence[str] = (),
    static: Sequence[str] = (),
) -> Columns:
    """The columns ``fit`` was told to read, each name checked (the target found later)."""
    return Columns(
        target,
        column_names(covariates),
        column_names(known),
        column_names(static, "static covariate"),
    )


def read_given(
    data: Any, columns: Columns, options: ReadOptions, **layout: Any
) -> tuple[Panel, Columns]:
    """``data`` read as a panel for ``fit``, and its columns with the target found.

    ``layout`` says how the series are laid out (``id_column``, ``targets``).
    """
    panel = read_panel(
        data,
        columns.target,
        [*columns.covariates, *columns.known],
        static=list(columns.static),
        options=options,
        **layout,
    )
    return panel, replace(columns, target=panel.target)


def is_one_series(panel: Panel) -> bool:
    """Whether ``panel`` was given as one series: then its results come back unwrapped,
    and its messages name no series."""
    return panel.layout == "single"


def one_series(series: SeriesData) -> Panel:
    """A series already read, as the panel of one that the forecaster works on."""
    return panel_of_one(series)


def read_as_fitted(state: FittedState, data: Any, options: ReadOptions) -> Panel:
    """``data`` read and checked as the fitted data was (``Forecaster.read``), as a panel.

    Data already read comes back as it is; None is the data fitted on.
    """
    if isinstance(data, Panel):
        return data
    if isinstance(data, SeriesData):
        return one_series(data)
    if data is None:
        if state.data is None:
            raise SeqcastError("give the data to forecast from (a loaded model keeps none)")
        return state.data
    columns, wide = state.columns, state.layout == "wide"
    try:
        panel = read_panel(
            data,
            None if wide else columns.target,  # wide: a column per series
            [*columns.covariates, *columns.known],
            id_column=state.id_column if state.layout in ("long", "multiindex") else None,
            targets=list(state.transforms.ids) if wide else None,
            static=columns.static,
            categorical=tuple(state.transforms.categories.levels),
            options=fitted_options(state, options),
        )
    except UnknownColumn as err:
        raise SeqcastError(missing_columns_message(columns, err, data)) from err
    if state.freq and panel.freq and panel.freq != state.freq:
        raise SeqcastError(
            f"the model was trained on data of frequency {state.freq!r}, but this data has "
            f"frequency {panel.freq!r}; resample it (df.resample('{state.freq}').mean()) "
            "or fit a model on it"
        )
    # Dates a user gives about new ISO data read as the data fitted on wrote its dates.
    return panel.with_date_style(state.dates_written)


def missing_columns_message(columns: Columns, err: UnknownColumn, data: Any) -> str:
    """Say which columns the model was fitted with that ``data`` lacks (``err`` found one).

    >>> err = UnknownColumn("unknown covariate column 'price'", columns=("sales",))
    >>> missing_columns_message(Columns("sales", ("price",)), err, "new.csv")
    "the model was fitted with covariate 'price'; the file has only: sales; give data that \
has it, or fit a model without it"
    """
    roles = (
        ("covariate", columns.covariates),
        ("known covariate", columns.known),
        ("static column", columns.static),
    )
    lacking = {role: [name for name in names if name not in err.columns] for role, names in roles}
    missing = [
        f"{role}{'s' if len(names) > 1 else ''} " + ", ".join(f"'{name}'" for name in names)
        for role, names in lacking.items()
        if names
    ]
    where = "the file" if isinstance(data, (str, os.PathLike)) else "the data"
    them = "it" if sum(map(len, lacking.values())) == 1 else "them"
    return (
        f"the model was fitted with {' and '.join(missing)}; {where} has only: "
        f"{listing(err.columns, limit=12)}{err.hint}; give data that has {them}, or fit a "
        f"model without {them}"
    )


def fitted_options(state: FittedState, options: ReadOptions) -> ReadOptions:
    """``options``, each one not said as fit was told (fill, duplicates, date format).

    Data filled at fit is put on the fitted frequency, unless told otherwise.
    """
    merged = options.or_else(state.reading)
    if merged.freq is None and merged.fill_method != "none":
        merged = replace(merged, freq=state.freq)
    return merged
