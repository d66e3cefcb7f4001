"""``seqcast fit``: train a zoo model (or search for one) on DATA and save it to one file.

:func:`run` reads DATA less its test part (:func:`~seqcast.cli.data.fit_part`),
fits the flags' model, or the one ``--model auto`` chooses
(:mod:`seqcast.cli.auto`), on one process or many (:mod:`seqcast.cli.cluster`),
says what it learned, and saves it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from seqcast.choices import AUTO_MODEL
from seqcast.cli import auto
from seqcast.cli.arguments import add_data_arguments, add_model_arguments, positive_count
from seqcast.cli.cluster import add_cluster_arguments, fit_on_processes
from seqcast.cli.data import (
    NO_DATES_NOTE,
    fit_part,
    make_forecaster,
    many_series,
    remembered_reading,
    resolve_data,
    share_of,
)
from seqcast.cli.outputs import check_outputs, writing

if TYPE_CHECKING:
    from seqcast.distributed import Cluster

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``fit`` command's parser."""
    parser = commands.add_parser(
        "fit",
        help="train a model on your series and save it",
        description="Train a zoo model on windows of a series (CSV, Parquet or a built-in "
        "dataset) and save it, with its scaling and settings, to one file.",
    )
    add_data_arguments(parser)
    add_model_arguments(parser)
    parser.add_argument(
        "--valid-from",
        metavar="DATE",
        help="hold out the data from DATE on to stop training at the best epoch",
    )
    parser.add_argument(
        "--test-from",
        metavar="DATE",
        help="ignore the data from DATE on (keep it unseen for `seqcast backtest`)",
    )
    parser.add_argument(
        "--patience",
        type=positive_count,
        default=10,
        help="epochs without a better validation MAE before stopping (default: 10)",
    )
    parser.add_argument("--out", required=True, metavar="MODEL", help="where to save the model")
    auto.add_search_arguments(parser)
    add_cluster_arguments(parser)
    parser.set_defaults(handler=run, chosen_by_search=auto.chosen_defaults(parser))
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast fit``: on this process alone, or as one of several (``--num-processes``)."""
    from seqcast import distributed

    cluster = distributed.cluster_from(args.coordinator, args.num_processes, args.process_id)
    if cluster.is_single:
        return fit_and_save(args, cluster)
    return fit_on_processes(args, cluster, fit_and_save)


def fit_and_save(args: argparse.Namespace, cluster: Cluster) -> int:
    """Read this process's data, fit, and (process 0) save: ``fit`` on one process or many."""
    from seqcast.data.read import DATES_ATTR, NO_DATES

    if cluster.is_main:
        check_outputs(args, {"--out": args.out}, (args.data,))
    else:
        args.written = []
    data, defaults = resolve_data(args)
    id_column = args.id_column or defaults.get("id_column")
    if args.partitioned and not cluster.is_single:
        data = share_of(data, id_column, cluster.process_id, cluster.num_processes)
    else:
        data = share_of(data, id_column)
    valid = args.valid_from or defaults.get("valid_from")
    frame = fit_part(data, args, defaults, valid)
    if getattr(frame, "attrs", {}).get(DATES_ATTR) == NO_DATES:
        print(NO_DATES_NOTE)
    if args.model == AUTO_MODEL:
        forecaster = auto.search(args, defaults, frame, valid)
    else:
        forecaster = _fit(args, defaults, frame, valid)
    _print_fitted(forecaster, valid if valid is not None else auto.AUTO_VALID)
    if args.partitioned and not cluster.is_single:
        print(
            f"(process {cluster.process_id} of {cluster.num_processes} read only its share of "
            "the series, which the figures above are about; the model trained on every share)"
        )
    if cluster.is_main:
        with writing(args, args.out):
            forecaster.save(args.out)
    return 0


def _fit(args: argparse.Namespace, defaults: dict[str, Any], frame: Any, valid: Any) -> Any:
    """A Forecaster of the flags' model and settings, fitted on ``frame``."""
    forecaster = make_forecaster(args, defaults)
    return forecaster.fit(
        frame,
        target=args.target or defaults.get("target"),
        covariates=args.covariates,
        valid=valid,
        known_covariates=args.known,
        **(many_series(args, defaults) or {}),
        **remembered_reading(args),  # frame is read already: these are for the saved model
        partitioned=args.partitioned,
    )


def _print_fitted(forecaster: Any, valid: Any) -> None:
    """What `fit` says of the fitted model: notes on the data, epochs, validation MAE."""
    for note in _data_notes(forecaster.data_):
        print(note)
    print(_trained_line(forecaster, valid))
    for column, categories in forecaster.transform_.categories.levels.items():
        names = ", ".join(category or "(blank)" for category in categories)
        print(f"read '{column}' as {len(categories)} categories: {names}")


def _data_notes(data: Any) -> list[str]:
    """What reading the data did (duplicates dropped, points filled, encoding), each once."""
    # The panel's notes say its series' own already, each named: not again unnamed.
    return list(dict.fromkeys(data.notes))


def _trained_line(forecaster: Any, valid: Any) -> str:
    """The line saying what was trained on what, for how long, and its validation error."""
    from seqcast.data.dates import label, parse_label

    data = forecaster.data_
    epochs = len(forecaster.history_.get("loss", []))
    # the series trained on: a panel's too short ones were left out (fit warned of them)
    trained = [series for sid, series in zip(data.ids, data) if sid in forecaster.n_trains_]
    points = sum(len(series) for series in trained)
    what = f"{points} points" if len(data) == 1 else f"{len(trained)} series ({points} points)"
    line = f"trained {forecaster!r} on {what}: {epochs} epochs in {forecaster.train_seconds_:.1f} s"
    if forecaster.residuals_ is None:
        return line
    # The saved model's errors on the validation part, in the data's units
    # (levels, also when the model forecasts differences); pooled over a panel's series.
    which = "best " if forecaster.patience else ""  # early stopping kept the best epoch
    if isinstance(valid, float):
        where = f"the last {valid:.0%}"
    else:  # the date as it was read, in ISO form (given as the file writes dates)
        index = data.series[0].frame.index
        where = f"from {label(parse_label(index, valid, '--valid-from', data.date_style))}"
    if isinstance(forecaster.residuals_, dict):
        # series in other units do not add up: the errors relative to the values do
        wape = forecaster.validation_wape()
        return line + f"; {which}validation WAPE {wape:.2%} over the series (validation {where})"
    mae = float(abs(forecaster.residuals_).mean())
    return line + f"; {which}validation MAE {mae:.4g} (validation {where})"
