"""The ``seqcast`` command.

Only argparse is imported at start-up, so ``seqcast --help`` answers at once;
Keras and JAX load when a command needs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from seqcast import __version__
from seqcast.errors import SeqcastError


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _model_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seqcast",
        description="Forecast time series with the RNNs and CNNs of Hands-On ML ch. 15, "
        "trained by a compiled JAX trainer.",
    )
    parser.add_argument("--version", action="version", version=f"seqcast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    reproduce = commands.add_parser(
        "reproduce",
        help="train the book's (or the course's) models beside the published figures",
        description="Train the rows of the book's table on its synthetic series "
        "(7000/2000/1000 split), or with --suite course the course's methods on its series, "
        "and compare each validation figure with the published one.",
    )
    reproduce.add_argument(
        "--models",
        type=_model_list,
        default=None,
        metavar="A,B,...",
        help="rows to run (default: all); see `seqcast models`",
    )
    reproduce.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help="epochs per model (default: the book's, 20)",
    )
    reproduce.add_argument(
        "--seed",
        type=int,
        default=42,
        help="seed of weights and shuffling (default: 42); the data is always the book's",
    )
    reproduce.add_argument("--json", metavar="PATH", default=None, help="write the results as JSON")
    reproduce.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="write a report folder: README.md table, figures, trained models",
    )
    reproduce.add_argument(
        "--suite",
        choices=["book", "course"],
        default="book",
        help="the book's table (Hands-On ML ch. 15, default) or the course's "
        "(Sequences, Time Series and Prediction)",
    )
    reproduce.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        help="rows trained at a time, each in its own process (default: one per core, "
        "at most 4, on a CPU; 1 on a GPU); the figures do not depend on it",
    )
    reproduce.add_argument("--quiet", action="store_true", help="no progress bars")
    reproduce.set_defaults(handler=_reproduce)

    models = commands.add_parser("models", help="list the book's rows and the zoo")
    models.set_defaults(handler=_models)
    _add_practitioner_commands(commands)
    return parser


def _add_practitioner_commands(commands) -> None:
    """fit / forecast / backtest / lr-find / datasets: the chapter's models on your data."""
    from seqcast import commands as run

    fit = commands.add_parser(
        "fit",
        help="train a model on your series and save it",
        description="Train a zoo model on windows of a series (CSV, Parquet or a built-in "
        "dataset) and save it, with its scaling and settings, to one file.",
    )
    run.add_data_arguments(fit)
    run.add_model_arguments(fit)
    fit.add_argument(
        "--valid-from",
        metavar="DATE",
        help="hold out the data from DATE on to stop training at the best epoch",
    )
    fit.add_argument(
        "--test-from",
        metavar="DATE",
        help="ignore the data from DATE on (keep it unseen for `seqcast backtest`)",
    )
    fit.add_argument(
        "--patience",
        type=_positive_int,
        default=10,
        help="epochs without a better validation MAE before stopping (default: 10)",
    )
    fit.add_argument("--out", required=True, metavar="MODEL", help="where to save the model")
    fit.set_defaults(handler=run.fit)

    forecast = commands.add_parser(
        "forecast",
        help="forecast the next values after the end of a series",
        description="Forecast the horizon after the last point of DATA with a saved model.",
    )
    run.add_saved_model_arguments(forecast)
    forecast.add_argument(
        "--intervals",
        type=float,
        default=None,
        metavar="LEVEL",
        help="add a LEVEL interval, e.g. 0.9: from MC dropout for a model fitted with "
        "--dropout, else from its validation errors (fitted with --valid-from)",
    )
    forecast.add_argument(
        "--interval-method",
        choices=["auto", "mc_dropout", "residuals"],
        default="auto",
        help="mc_dropout: the model's doubt only; residuals: the errors it made on the "
        "validation part, noise included (default: auto)",
    )
    forecast.add_argument("--samples", type=_positive_int, default=100, help="MC-dropout passes")
    forecast.add_argument(
        "--future",
        metavar="FILE",
        help="the known covariates' values on the forecast dates (models fitted with --known)",
    )
    forecast.add_argument("--csv", metavar="OUT", help="write the forecast as CSV")
    forecast.add_argument("--plot", metavar="OUT.png", help="plot history, forecast and band")
    forecast.set_defaults(handler=run.forecast)

    backtest = commands.add_parser(
        "backtest",
        help="score a saved model from rolling origins, beside naive, seasonal and SARIMA",
        description="Forecast from every STRIDE-th point after START with a saved model and "
        "with the baselines, and print MAE, MSE, RMSE, MAPE, sMAPE and MASE for each.",
    )
    run.add_saved_model_arguments(backtest)
    backtest.add_argument("--start", metavar="DATE", help="first forecast origin")
    backtest.add_argument("--stride", type=_positive_int, default=1, help="steps between origins")
    backtest.add_argument(
        "--season", type=_positive_int, default=None, help="seasonal period (default: from dates)"
    )
    backtest.add_argument("--no-sarima", action="store_true", help="skip the SARIMA baseline")
    backtest.add_argument("--csv", metavar="OUT", help="write the score table as CSV")
    backtest.add_argument("--plot", metavar="OUT.png", help="plot forecasts and error by horizon")
    backtest.set_defaults(handler=run.backtest)

    sweep = commands.add_parser(
        "lr-find",
        help="the course's learning-rate sweep, with a suggested rate",
        description="Train with the learning rate growing as MIN_LR * 10**(epoch / 20) and "
        "report the loss per rate (SGD with momentum 0.9 by default, as in the course).",
    )
    run.add_data_arguments(sweep)
    run.add_model_arguments(sweep, sweep=True)
    sweep.add_argument("--min-lr", type=float, default=1e-8, help="first rate (default: 1e-8)")
    sweep.add_argument("--plot", metavar="OUT.png", help="plot loss against learning rate")
    sweep.set_defaults(handler=run.lr_find)

    datasets = commands.add_parser("datasets", help="list the built-in datasets (offline)")
    datasets.set_defaults(handler=run.datasets)


def _reproduce(args: argparse.Namespace) -> int:
    from seqcast.experiments.runner import select_rows

    rows = select_rows(args.models, args.suite)  # unknown names fail before anything loads

    import os
    import time
    from pathlib import Path

    import jax
    import keras

    from seqcast.experiments import report
    from seqcast.experiments.parallel import default_jobs, run_rows, workers_for
    from seqcast.training import enable_compilation_cache

    enable_compilation_cache()

    device = jax.devices()[0]
    meta = {
        "backend": keras.backend.backend(),
        "device": f"{device.platform} ({device.device_kind}, {os.cpu_count()} cores)",
        "version": __version__,
    }
    out = Path(args.out) if args.out else None
    jobs = workers_for(rows, args.jobs or default_jobs())
    print(
        f"seqcast {__version__}: {len(rows)} row(s) of the {args.suite}'s table on "
        f"{meta['device']}, seed {args.seed}, {jobs} row(s) at a time",
        file=sys.stderr,
    )
    started = time.perf_counter()
    results = run_rows(
        rows,
        jobs=jobs,
        epochs=args.epochs,
        seed=args.seed,
        verbose=0 if args.quiet else 1,
        save_model_to=out / "models" if out else None,
    )
    total = time.perf_counter() - started
    print()
    print(report.format_table(results))
    print(f"\n{len(results)} row(s) in {total:.1f} s (compilation included)")
    if args.json:
        report.write_json(args.json, results, meta)
        print(f"wrote {args.json}")
    if out:
        for path in report.write_report(out, results, {**meta, "seed": args.seed, "jobs": jobs}):
            print(f"wrote {path}")
    return 0


def _models(args: argparse.Namespace) -> int:
    from seqcast.experiments.runner import TABLES
    from seqcast.models import ZOO

    for suite, (rows, _) in TABLES.items():
        print(f"The {suite}'s rows (seqcast reproduce --suite {suite} --models ...):")
        for row in rows:
            what = f"zoo model {row.model}" if row.model else f"baseline {row.baseline}"
            published = "–" if row.published is None else row.published
            print(f"  {row.name:<18} {row.metric} {published:<9} ({what})")
        print()
    print("The zoo:")
    width = max(len(name) for name in ZOO)
    for entry in ZOO.values():
        print(f"  {entry.name:<{width}}  {entry.description}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.handler(args)
    except SeqcastError as err:
        print(f"seqcast: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `seqcast models | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("seqcast: interrupted; files already written are intact", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
