"""DATA as the commands take it: a file or a built-in dataset, read and cut as flags say.

:func:`resolve_data` tells a file from a built-in dataset (whose target,
window, horizon and splits become the defaults), :func:`make_forecaster`
turns the model flags into a ``Forecaster``, :func:`read_options` gathers the
reading flags as one :class:`~seqcast.data.options.ReadOptions` (and
:func:`reading` as the library's keywords), and :func:`fit_part` holds back the
test part (``--test-from``) that ``fit`` must not see.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seqcast.cli.arguments import scaler_from_name
from seqcast.errors import SeqcastError

if TYPE_CHECKING:
    from seqcast.data.options import ReadOptions
    from seqcast.forecaster import Forecaster

__all__ = [
    "NO_DATES_NOTE",
    "fit_part",
    "keep_compiled_programs",
    "make_forecaster",
    "many_series",
    "read_options",
    "reading",
    "remembered_reading",
    "resolve_data",
    "saved_id_column",
    "share_of",
]


# What `fit` says when read_table found no dates (read_table itself prints nothing).
NO_DATES_NOTE = (
    "no column of dates found (looked for a column named date, ds, time... or whose every "
    "value is a date); forecasts are labelled by step; name one with --date-column"
)


def resolve_data(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The data to read and the defaults it implies (a built-in dataset knows its target...).

    A path that exists is a file; otherwise a built-in dataset's name; otherwise
    an error that says both.
    """
    from seqcast.data.datasets import dataset_names, load_dataset

    if Path(args.data).exists() or args.data not in dataset_names():
        if not Path(args.data).exists():
            raise SeqcastError(
                f"no file '{args.data}' and no built-in dataset of that name; give a CSV or "
                f"Parquet file, or one of: {', '.join(dataset_names())}"
            )
        return args.data, {}
    dataset = load_dataset(args.data)
    defaults = {
        "id_column": getattr(dataset, "id_column", None),
        "static": list(getattr(dataset, "static", ()) or ()),
        "date_column": getattr(dataset, "date_column", None),
        "freq": getattr(dataset, "freq", None),
        "target": dataset.target,
        "window": dataset.window,
        "horizon": dataset.horizon,
        "valid_from": dataset.valid_from,
        "test_from": dataset.test_from,
        "season": dataset.season,
    }
    return dataset.frame, defaults


def share_of(data: Any, id_column: str | None, process_id: int = 0, num_processes: int = 1) -> Any:
    """DATA as a table when it is a folder (or a share of it, for one of many processes).

    A folder holds many series split over files: Parquet partitioned by the id
    (``store=A/...``) or files each holding whole series
    (``seqcast.data.partition``). Anything else is returned as it is, to be
    read as usual; so is a file, unless a process reads only its share of it.
    """
    from seqcast.data.partition import partition_table

    is_folder = isinstance(data, (str, Path)) and Path(data).is_dir()
    if not is_folder and num_processes == 1:
        return data
    if not isinstance(data, (str, Path)):
        raise SeqcastError(
            "--partitioned reads a folder or file of many series; a built-in dataset is read "
            "whole (write it as partitions with scripts/make_partitioned_panel.py)"
        )
    if id_column is None:
        raise SeqcastError(
            f"{data} is read as many series, split by id: name the id column with --id-column"
        )
    return partition_table(
        data, id_column=id_column, process_id=process_id, num_processes=num_processes
    )


def keep_compiled_programs() -> None:
    """Keep compiled XLA programs on disk, so the next run of a command skips compiling.

    ``SEQCAST_CACHE_DIR`` says where (``off`` turns it off); see
    :func:`seqcast.training.enable_compilation_cache`.
    """
    from seqcast.training import enable_compilation_cache

    enable_compilation_cache()


def make_forecaster(args: argparse.Namespace, defaults: dict[str, Any]) -> Forecaster:
    """A Forecaster of the model flags; window and horizon default to the dataset's."""
    from seqcast.forecaster import Forecaster

    keep_compiled_programs()
    return Forecaster(
        args.model,
        window=args.window or defaults.get("window") or 30,
        horizon=args.horizon or defaults.get("horizon") or 1,
        strategy=args.strategy,
        loss=args.loss,
        optimizer=args.optimizer,
        learning_rate=args.learning_rate,
        momentum=args.momentum,
        clipnorm=args.clipnorm,
        scaler=scaler_from_name(args.scaler),
        epochs=args.epochs,
        patience=getattr(args, "patience", None),
        batch_size=args.batch_size,
        dropout=args.dropout,
        difference=args.difference,
        ensemble=getattr(args, "ensemble", None) or 1,
        id_embedding=getattr(args, "id_embedding", 0),
        seed=args.seed,
        devices=getattr(args, "devices", None),
        verbose=0 if args.quiet else 1,
    )


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The reading flags (``--date-column``, ``--sep``, ``--fill``...) as one ReadOptions.

    A flag a command does not have, or left out, is None: found from the data, or
    as the model was fitted.
    """
    from seqcast.data.options import READ_KEYWORDS, ReadOptions

    return ReadOptions(**{name: getattr(args, name, None) for name in READ_KEYWORDS})


def reading(args: argparse.Namespace) -> dict[str, Any]:
    """How to read and repair DATA, as ``Forecaster`` takes it beside ``date_column``."""
    keywords = read_options(args).keywords()
    del keywords["date_column"]
    return keywords


def remembered_reading(args: argparse.Namespace) -> dict[str, Any]:
    """The reading flags ``fit`` gives the model to keep, its data being read already.

    The dates' format (for a ``--future`` file), the frequency and the repairs
    apply again to the data a saved model forecasts; the separator and decimal
    mark were the file's.
    """
    keywords = reading(args)
    return {name: keywords[name] for name in ("date_format", "freq", "fill", "duplicates")}


def saved_id_column(forecaster: Any) -> str | None:
    """The id column a saved model of many series read its data by (None for one series)."""
    return None if forecaster.layout_ == "single" else forecaster.id_column_


def many_series(args: argparse.Namespace, defaults: dict[str, Any]) -> dict[str, Any] | None:
    """How DATA holds many series (``read_panel``'s keywords), or None for one series."""
    id_column = getattr(args, "id_column", None) or defaults.get("id_column")
    targets = getattr(args, "targets", None)
    if id_column is None and targets is None:
        return None
    static = getattr(args, "static", None) or defaults.get("static") or []
    return {"id_column": id_column, "targets": targets, "static": static}


def fit_part(data: Any, args: argparse.Namespace, defaults: dict[str, Any], valid: Any) -> Any:
    """DATA read, less the rows from ``--test-from`` on (a date or step): what ``fit`` may see.

    The test part must hold some of the data and come after the validation part.
    Many series (:func:`many_series`) are read as a panel and each is cut.
    """
    from seqcast.data.date_index import date_style_of
    from seqcast.data.dates import label, parse_label, said
    from seqcast.data.read import read_table

    panel = many_series(args, defaults)
    if panel is not None:
        return _panel_part(data, args, defaults, valid, panel)
    options = read_options(args)
    frame = read_table(
        data,
        date_column=options.date_column,
        date_format=options.date_format,
        sep=options.sep,
        decimal=options.decimal,
    )
    until = args.test_from or defaults.get("test_from")
    if until is None:
        return frame
    test_name = "--test-from" if args.test_from else "the dataset's --test-from"
    style = date_style_of(frame, options.date_format)  # dates given as the file writes them
    end = parse_label(frame.index, until, test_name, style)
    if end > frame.index[-1]:
        raise SeqcastError(
            f"{test_name} {said(until, end)} is after the last point of the data "
            f"({label(frame.index[-1])}), so nothing would be held out for the test; give a "
            "date within the data, or leave --test-from out"
        )
    kept = frame[frame.index < end]
    if kept.empty:
        raise SeqcastError(
            f"{test_name} {said(until, end)} is before the first point; nothing left to fit"
        )
    if valid is not None:
        valid_name = "--valid-from" if args.valid_from else "the dataset's --valid-from"
        start = parse_label(frame.index, valid, valid_name, style)
        if end <= start:
            where = "before" if end < start else "at"
            raise SeqcastError(
                f"{test_name} {said(until, end)} is {where} {valid_name} {said(valid, start)}; "
                "the test part must come after the validation part"
            )
    return kept


def _panel_part(
    data: Any,
    args: argparse.Namespace,
    defaults: dict[str, Any],
    valid: Any,
    how: dict[str, Any],
) -> Any:
    """:func:`fit_part` for many series: each series less its rows from ``--test-from`` on."""
    from seqcast.data.dates import parse_label, said
    from seqcast.data.panel import read_panel

    options = read_options(args).keywords()
    for name in ("date_column", "freq"):  # a built-in dataset's, unless the flags say
        options[name] = options[name] or defaults.get(name)
    panel = read_panel(
        data,
        args.target or defaults.get("target"),
        [*args.covariates, *args.known],
        **how,
        **options,
    )
    until = args.test_from or defaults.get("test_from")
    if until is None:
        return panel
    test_name = "--test-from" if args.test_from else "the dataset's --test-from"
    if valid is not None:
        index, style = panel.series[0].frame.index, panel.date_style
        valid_name = "--valid-from" if args.valid_from else "the dataset's --valid-from"
        end = parse_label(index, until, test_name, style)
        start = parse_label(index, valid, valid_name, style)
        if end <= start:
            raise SeqcastError(
                f"{test_name} {said(until, end)} is not after {valid_name} "
                f"{said(valid, start)}; the test part must come after the validation part"
            )
    return panel.before(until, test_name)
