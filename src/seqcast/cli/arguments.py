"""The command line's argument types and the argument groups several commands share.

Choices come from :mod:`seqcast.choices` and counts are checked by
:func:`seqcast.checks.positive_int`, so the command line and the library accept
the same values and say the same sentence about a wrong one; :data:`SPELLING`
makes the library's messages name the flags. Nothing heavy is imported here:
``seqcast --help`` builds every parser.

>>> positive_count("20")
20
>>> positive_count("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a whole number of at least 1, got 0
>>> scaler_from_name("none") is None, scaler_names()
(True, ['auto', 'standard', 'minmax', 'window', 'none'])
"""

from __future__ import annotations

import argparse

from seqcast.checks import duration, positive_int
from seqcast.choices import ALL_TARGETS, DUPLICATE_POLICIES, FILL_METHODS, SCALERS, STRATEGIES
from seqcast.errors import SeqcastError

__all__ = [
    "SPELLING",
    "add_data_arguments",
    "add_date_arguments",
    "add_model_arguments",
    "add_reading_arguments",
    "add_saved_model_arguments",
    "budget",
    "comma_list",
    "positive_count",
    "scaler_from_name",
    "scaler_names",
    "separator",
    "target_columns",
]

#: The library's words for its arguments as the commands spell them (seqcast.spelling):
#: a message then names the flag to change.
SPELLING = {
    "valid": "--valid-from",
    "future=": "--future",
    "known_covariates=": "--known",
    "start": "--start",
    "budget": "--budget",
    "trials": "--trials",
    "ensemble": "--ensemble",
}

# How the command line writes the scaler None (no scaling).
NO_SCALER = "none"

# The name checks.positive_int puts before its rule; argparse names the flag instead.
_SUBJECT = "it"


def positive_count(text: str) -> int:
    """An argparse ``type``: a whole number of at least 1.

    argparse puts the flag's name in front of the message
    (``argument --epochs: must be a whole number of at least 1, got 0``).
    """
    try:
        value: object = int(text)
    except ValueError:
        value = text  # not a number at all: positive_int quotes it back
    try:
        return positive_int(value, _SUBJECT)
    except SeqcastError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix(f"{_SUBJECT} ")) from None


def budget(text: str) -> float:
    """An argparse ``type`` for ``--budget``: seconds from ``90s``, ``5m``, ``1h`` or ``300``.

    >>> budget("5m"), budget("1.5h")
    (300.0, 5400.0)
    """
    try:
        return duration(text, _SUBJECT)
    except SeqcastError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix(f"{_SUBJECT} ")) from None


def comma_list(text: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``: names given as one comma-separated argument.

    >>> comma_list("naive, linear,")
    ['naive', 'linear']
    """
    return [name.strip() for name in text.split(",") if name.strip()]


def target_columns(text: str) -> list[str] | str:
    """An argparse ``type`` for ``--targets``: the columns that are each a series, or ``"all"``.

    ``all`` alone is every numeric column but the covariates, as ``read_panel(targets="all")``
    reads it; a column named ``all`` is listed with a comma (``all,``).

    >>> target_columns("north, south"), target_columns("all"), target_columns("all,")
    (['north', 'south'], 'all', ['all'])
    """
    return ALL_TARGETS if text.strip() == ALL_TARGETS else comma_list(text)


def scaler_names() -> list[str]:
    """The ``--scaler`` choices: :data:`seqcast.choices.SCALERS`, with None written "none"."""
    return [NO_SCALER if scaler is None else scaler for scaler in SCALERS]


def scaler_from_name(name: str) -> str | None:
    """The Forecaster's ``scaler`` for a ``--scaler`` choice ("none" is None)."""
    return None if name == NO_SCALER else name


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """DATA and the columns to read, for the commands that train."""
    parser.add_argument(
        "data",
        metavar="DATA",
        help="a CSV or Parquet file, or the name of a built-in dataset (seqcast datasets)",
    )
    parser.add_argument("--target", help="the column to forecast (default: the only numeric one)")
    add_date_arguments(parser)
    parser.add_argument(
        "--covariates",
        type=comma_list,
        default=[],
        metavar="A,B",
        help="other columns the model reads over the window, up to the forecast origin",
    )
    parser.add_argument(
        "--known",
        type=comma_list,
        default=[],
        metavar="A,B",
        help="columns known in advance (holidays, day types, planned prices): read up to the "
        "end of the horizon; `forecast` then needs their future values (--future)",
    )
    add_panel_arguments(parser)
    add_reading_arguments(parser, remembered=False)


def add_panel_arguments(parser: argparse.ArgumentParser) -> None:
    """Many series in one file: long (--id-column) or wide (--targets), static columns."""
    parser.add_argument(
        "--id-column",
        metavar="C",
        help="many series in long format: the column that names each row's series (a store, a "
        "sensor); one model is trained over all of them and every one is forecast",
    )
    parser.add_argument(
        "--targets",
        type=target_columns,
        default=None,
        metavar="A,B",
        help="many series in wide format: the columns that are each a series ('all': every "
        "numeric column but the covariates)",
    )
    parser.add_argument(
        "--static",
        type=comma_list,
        default=[],
        metavar="A,B",
        help="with --id-column: columns constant within each series (region, category), read "
        "by the model at every step",
    )


def add_date_arguments(parser: argparse.ArgumentParser) -> None:
    """--date-column and --date-format: where the dates are and how they are written."""
    parser.add_argument(
        "--date-column", help="the column of dates (default: found by its name or its values)"
    )
    parser.add_argument(
        "--date-format",
        metavar="FORMAT",
        help="how the dates are written, e.g. %%d/%%m/%%Y or %%d.%%m.%%Y (default: read from "
        "the column; needed when it reads both day first and month first)",
    )


def add_saved_model_arguments(parser: argparse.ArgumentParser) -> None:
    """MODEL and DATA, for the commands that use a model `seqcast fit` saved."""
    parser.add_argument("model_file", metavar="MODEL", help="a file from `seqcast fit --out`")
    parser.add_argument("data", metavar="DATA", help="CSV / Parquet file or built-in dataset")
    add_date_arguments(parser)
    add_reading_arguments(parser, remembered=True)


def separator(text: str) -> str:
    """An argparse ``type`` for ``--sep``: one character, or ``tab`` (or ``\\t``) for a tab.

    The rule is the library's (:func:`seqcast.data.sniff.checked_format`).

    >>> separator(";"), separator("tab")
    (';', '\\t')
    """
    from seqcast.data.sniff import checked_format  # pandas: loaded only when --sep is given

    try:
        sep, _ = checked_format(text, None)
    except SeqcastError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return sep


def add_reading_arguments(parser: argparse.ArgumentParser, *, remembered: bool) -> None:
    """How DATA is written and repaired: separator, decimal mark, frequency, gaps, duplicates.

    ``remembered``: for a saved model, whose --fill / --duplicates default to those it was
    fitted with.
    """
    group = parser.add_argument_group("reading DATA")
    group.add_argument(
        "--sep",
        type=separator,
        help="the column separator of a text file: , ; | or tab (default: found from its lines)",
    )
    group.add_argument(
        "--decimal",
        choices=(".", ","),
        help="the decimal mark of a text file (default: ',' when the numbers read like 12,5)",
    )
    group.add_argument(
        "--freq",
        metavar="FREQ",
        help="the frequency of the dates, a pandas alias: D (daily), B (business days), h "
        "(hourly), W, MS...; with --fill the missing dates are put on it (default: inferred)",
    )
    fitted = "default: as the model was fitted"
    group.add_argument(
        "--fill",
        choices=FILL_METHODS,
        default=None if remembered else "none",
        help="fill missing dates and blank values: interpolate, ffill (repeat the last value), "
        f"zero; filled values are never scored in backtests ({fitted if remembered else 'none'})",
    )
    group.add_argument(
        "--duplicates",
        choices=DUPLICATE_POLICIES,
        default=None if remembered else "error",
        help="rows that repeat a date with different values: keep the first or last, or their "
        "mean or sum (exact duplicate rows are always dropped; "
        f"{fitted if remembered else 'default: error'})",
    )


def add_model_arguments(parser: argparse.ArgumentParser, *, sweep: bool = False) -> None:
    """The model and its training settings, for ``fit`` and ``lr-find``.

    ``sweep``: the defaults of the course's learning-rate sweep (SGD with momentum 0.9).
    """
    parser.add_argument(
        "--model",
        default="lstm",
        help="zoo model (seqcast models), or auto to search for one on the validation part "
        "(see --budget); default lstm",
    )
    parser.add_argument(
        "--window", type=positive_count, help="input steps (default: the dataset's, else 30)"
    )
    parser.add_argument(
        "--horizon", type=positive_count, help="steps forecast (default: the dataset's, else 1)"
    )
    parser.add_argument("--strategy", default="auto", choices=STRATEGIES)
    parser.add_argument("--loss", default="mse", help="Keras loss name: mse, huber, mae...")
    parser.add_argument("--optimizer", default="sgd" if sweep else "adam")
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--momentum", type=float, default=0.9 if sweep else None)
    parser.add_argument("--clipnorm", type=float, default=None, help="clip gradients by norm")
    parser.add_argument(
        "--scaler",
        default="auto",
        choices=scaler_names(),
        help="auto (default): standard for one series, window for many (--id-column, --targets)",
    )
    parser.add_argument(
        "--epochs", type=positive_count, default=100, help="at most this many epochs (default: 100)"
    )
    parser.add_argument("--batch-size", type=positive_count, default=32)
    parser.add_argument(
        "--dropout", type=float, default=0.0, help="dropout in the recurrent layers (intervals)"
    )
    parser.add_argument(
        "--difference",
        type=positive_count,
        default=None,
        metavar="LAG",
        help="model the change over LAG steps (1 for a trend, the season for seasonal data)",
    )
    parser.add_argument(
        "--ensemble",
        type=positive_count,
        default=None,
        metavar="K",
        help="train K members together and forecast their median; their spread is "
        "--interval-method ensemble (default: 1; with --model auto, the chosen "
        "configuration is refit as 5)",
    )
    parser.add_argument(
        "--id-embedding",
        type=int,
        default=0,
        metavar="SIZE",
        help="many series: the model also reads a learned vector of SIZE numbers per series "
        "(default: 0, none, so that it can forecast series it was not fitted on)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--devices",
        type=positive_count,
        default=None,
        metavar="N",
        help="train on N devices of this machine, each batch split among them (default: "
        "as many as split --batch-size evenly; on a CPU, more than one exists only with "
        "XLA_FLAGS=--xla_force_host_platform_device_count=N)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
