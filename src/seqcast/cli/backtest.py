"""``seqcast backtest``: a saved model scored from rolling origins, beside the baselines.

:func:`run` forecasts from every ``--stride``-th point after ``--start`` with
the model and with naive, seasonal naive and SARIMA, prints the scores, and
writes them (per series, for many) as CSV and as figures.
"""

from __future__ import annotations

import argparse
from typing import Any

from seqcast.cli.arguments import add_saved_model_arguments, positive_count
from seqcast.cli.data import (
    keep_compiled_programs,
    read_options,
    resolve_data,
    saved_id_column,
    share_of,
)
from seqcast.cli.outputs import check_outputs, writing
from seqcast.errors import SeqcastError
from seqcast.files import atomic_path

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``backtest`` command's parser."""
    parser = commands.add_parser(
        "backtest",
        help="score a saved model from rolling origins, beside naive, seasonal and SARIMA",
        description="Forecast from every STRIDE-th point after START with a saved model and "
        "with the baselines, and print MAE, MSE, RMSE, MAPE, sMAPE and MASE for each.",
    )
    add_saved_model_arguments(parser)
    parser.add_argument(
        "--start",
        metavar="DATE",
        help="first forecast origin (default: the first point after the data the model was "
        "fitted on, e.g. its --test-from part; else the last fifth of the data)",
    )
    parser.add_argument("--stride", type=positive_count, default=1, help="steps between origins")
    parser.add_argument(
        "--season", type=positive_count, default=None, help="seasonal period (default: from dates)"
    )
    parser.add_argument("--no-sarima", action="store_true", help="skip the SARIMA baseline")
    parser.add_argument("--csv", metavar="OUT", help="write the score table as CSV")
    parser.add_argument(
        "--series-csv",
        metavar="OUT",
        help="many series: write each series' scores (MAE, sMAPE, MASE, WAPE per method) as CSV",
    )
    parser.add_argument(
        "--plot",
        metavar="OUT.png",
        help="plot forecasts and error by horizon; for many series the best, median and worst "
        "series, and the spread of MASE over series in OUT_mase.png",
    )
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast backtest``: print the scores, and write what the flags ask for."""
    from seqcast.forecaster import Forecaster

    outputs = {"--csv": args.csv, "--plot": args.plot, "--series-csv": args.series_csv}
    check_outputs(args, outputs, (args.model_file, args.data))
    _check_series_csv(args)
    keep_compiled_programs()
    forecaster = Forecaster.load(args.model_file)
    data, defaults = resolve_data(args)
    data = forecaster.read(
        share_of(data, saved_id_column(forecaster)), **read_options(args).keywords()
    )
    result = forecaster.backtest(
        data,
        start=args.start if args.start else _default_start(forecaster, data, defaults),
        stride=args.stride,
        season=args.season or defaults.get("season"),
        sarima=not args.no_sarima,
        n_jobs=None,  # the baselines of many series on every core: safe from the command line
    )
    print(result)
    if args.csv:
        with writing(args, args.csv), atomic_path(args.csv) as tmp:
            result.scores.to_csv(tmp, index_label="method")
    if args.series_csv:
        with writing(args, args.series_csv), atomic_path(args.series_csv) as tmp:
            result.per_series.to_csv(tmp, index=False)
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            if result.many:
                plots.plot_panel_series(result, args.plot)
                plots.plot_panel_mase(result, _beside(args.plot, "mase"))
            else:
                plots.plot_backtest(result, args.plot)
    return 0


def _check_series_csv(args: argparse.Namespace) -> None:
    """Before any work: ``--series-csv`` needs a model of many series (its manifest says)."""
    from seqcast.bundle import read_manifest  # the manifest alone: no Keras yet

    if args.series_csv and read_manifest(args.model_file).panel is None:
        raise SeqcastError("--series-csv is for models of many series; use --csv")


def _default_start(forecaster: Any, data: Any, defaults: dict[str, Any]) -> Any:
    """Where the backtest starts without ``--start``, said on a line of its own: after the
    data the model was fitted on, else a built-in dataset's test part, else the last fifth."""
    from seqcast.backtesting import start
    from seqcast.data.dates import parse_label
    from seqcast.data.panel import Panel

    indexes = [s.frame.index for s in (data.series if isinstance(data, Panel) else [data])]
    fitted_until = forecaster.state_.fitted_until
    if fitted_until is not None:
        until = parse_label(indexes[0], fitted_until, "the model's last fitted date")
        after = start.after_fitted(indexes, until, forecaster.horizon)
        if after is not None:
            return _said(after, start.MODEL_TEST_PART)
    if defaults.get("test_from") is not None:
        return _said(defaults["test_from"], start.DATASET_TEST_PART)
    earliest = forecaster.window + (forecaster.difference or 0)
    return _said(start.last_fifth(indexes, earliest), start.LAST_FIFTH)


def _said(start: Any, why: str) -> Any:
    """``start``, after printing where the backtest starts and why there."""
    from seqcast.data.dates import label

    print(f"backtest from {label(start)} ({why})")
    return start


def _beside(path: str, what: str) -> str:
    """A second figure's path next to ``path``: ``out.png`` → ``out_mase.png``.

    >>> _beside("runs/out.png", "mase")
    'runs/out_mase.png'
    """
    from pathlib import Path

    where = Path(path)
    return str(where.with_name(f"{where.stem}_{what}{where.suffix or '.png'}"))
