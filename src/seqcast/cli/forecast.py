"""``seqcast forecast``: the horizon after the end of DATA, from a model ``fit`` saved.

:func:`run` reads DATA as the model was fitted (unless the flags say
otherwise), prints the forecast (with its interval, when asked), and writes
it as CSV and as a figure.
"""

from __future__ import annotations

import argparse
from typing import Any

from seqcast.choices import INTERVAL_METHODS
from seqcast.cli.arguments import add_saved_model_arguments, positive_count
from seqcast.cli.data import (
    keep_compiled_programs,
    read_options,
    resolve_data,
    saved_id_column,
    share_of,
)
from seqcast.cli.outputs import check_outputs, writing
from seqcast.files import atomic_path

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``forecast`` command's parser."""
    parser = commands.add_parser(
        "forecast",
        help="forecast the next values after the end of a series",
        description="Forecast the horizon after the last point of DATA with a saved model.",
    )
    add_saved_model_arguments(parser)
    parser.add_argument(
        "--intervals",
        type=float,
        default=None,
        metavar="LEVEL",
        help="add a LEVEL interval, e.g. 0.9: from MC dropout for a model fitted with "
        "--dropout, else from its validation errors (fitted with --valid-from)",
    )
    parser.add_argument(
        "--interval-method",
        choices=INTERVAL_METHODS,
        default="auto",
        help="mc_dropout: the model's doubt only; residuals: the errors it made on the "
        "validation part, noise included (default: auto)",
    )
    parser.add_argument("--samples", type=positive_count, default=100, help="MC-dropout passes")
    parser.add_argument(
        "--future",
        metavar="FILE",
        help="the known covariates' values on the forecast dates (models fitted with --known)",
    )
    parser.add_argument("--csv", metavar="OUT", help="write the forecast as CSV")
    parser.add_argument("--plot", metavar="OUT.png", help="plot history, forecast and band")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast forecast``: print the forecast, and write what the flags ask for."""
    from seqcast.data.series import SeriesData
    from seqcast.forecaster import Forecaster

    outputs = {"--csv": args.csv, "--plot": args.plot}
    check_outputs(args, outputs, (args.model_file, args.data, args.future))
    keep_compiled_programs()
    forecaster = Forecaster.load(args.model_file)
    data, _ = resolve_data(args)
    data = share_of(data, saved_id_column(forecaster))
    # read once, as the model was fitted (unless the flags say otherwise): forecast and plot
    options = read_options(args)
    series = forecaster.read(data, **options.keywords())
    table = forecaster.predict(
        series,
        date_format=options.date_format,  # the --future file's, when given
        intervals=args.intervals,
        interval_method=args.interval_method,
        samples=args.samples,
        future=args.future,
    )
    many = not isinstance(series, SeriesData)
    _print_forecast(table, series, many, forecaster.horizon)
    if args.csv:
        with writing(args, args.csv), atomic_path(args.csv) as tmp:
            _write_csv(table, tmp, many)
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            if many:
                plots.plot_panel_forecast(series, table, args.plot)
            else:
                plots.plot_forecast(series.frame[forecaster.target_], table, args.plot)
    return 0


def _print_forecast(table: Any, series: Any, many: bool, horizon: int) -> None:
    """The forecast table (its first three series, for many), and the interval's note."""
    shown = table.head(3 * horizon) if many and len(series) > 3 else table
    print(shown.to_string(float_format=lambda v: f"{v:.6g}", index=not many))
    if len(shown) < len(table):
        print(f"... {len(series)} series, {len(table)} rows in all (--csv writes them)")
    note = table.attrs.get("interval", {}).get("note")
    if note:
        print(f"note: {note}")


def _write_csv(table: Any, path: Any, many: bool) -> None:
    """Many series in long format (id, date, forecast[, band]); one series by date or step."""
    import pandas as pd

    if many:
        table.to_csv(path, index=False)
    else:
        dated = isinstance(table.index, pd.DatetimeIndex)
        table.to_csv(path, index_label="date" if dated else "step")
