"""The practitioner's commands: ``seqcast fit / forecast / backtest / lr-find / datasets``.

:func:`add_commands` declares them; each handler turns parsed arguments into
``Forecaster`` calls and prints what a person needs to read. Heavy modules
are imported inside the handlers so ``seqcast --help`` stays instant.
"""

from __future__ import annotations

import argparse

from seqcast.choices import INTERVAL_METHODS
from seqcast.cli.arguments import (
    add_data_arguments,
    add_model_arguments,
    add_saved_model_arguments,
    positive_count,
)
from seqcast.cli.data import (
    NO_DATES_NOTE,
    fit_part,
    keep_compiled_programs,
    make_forecaster,
    reading,
    resolve_data,
)
from seqcast.cli.outputs import check_outputs, writing
from seqcast.errors import SeqcastError
from seqcast.files import atomic_path

#: The library's words for its arguments as these commands spell them (seqcast.spelling):
#: a message then names the flag to change.
SPELLING = {
    "valid": "--valid-from",
    "future=": "--future",
    "known_covariates=": "--known",
    "start": "--start",
}

# --------------------------------------------------------------------------- parsers


def add_commands(commands: argparse._SubParsersAction) -> None:
    """fit / forecast / backtest / lr-find / datasets: the chapter's models on your data."""
    fit_parser = commands.add_parser(
        "fit",
        help="train a model on your series and save it",
        description="Train a zoo model on windows of a series (CSV, Parquet or a built-in "
        "dataset) and save it, with its scaling and settings, to one file.",
    )
    add_data_arguments(fit_parser)
    add_model_arguments(fit_parser)
    fit_parser.add_argument(
        "--valid-from",
        metavar="DATE",
        help="hold out the data from DATE on to stop training at the best epoch",
    )
    fit_parser.add_argument(
        "--test-from",
        metavar="DATE",
        help="ignore the data from DATE on (keep it unseen for `seqcast backtest`)",
    )
    fit_parser.add_argument(
        "--patience",
        type=positive_count,
        default=10,
        help="epochs without a better validation MAE before stopping (default: 10)",
    )
    fit_parser.add_argument("--out", required=True, metavar="MODEL", help="where to save the model")
    fit_parser.set_defaults(handler=fit)

    forecast_parser = commands.add_parser(
        "forecast",
        help="forecast the next values after the end of a series",
        description="Forecast the horizon after the last point of DATA with a saved model.",
    )
    add_saved_model_arguments(forecast_parser)
    forecast_parser.add_argument(
        "--intervals",
        type=float,
        default=None,
        metavar="LEVEL",
        help="add a LEVEL interval, e.g. 0.9: from MC dropout for a model fitted with "
        "--dropout, else from its validation errors (fitted with --valid-from)",
    )
    forecast_parser.add_argument(
        "--interval-method",
        choices=INTERVAL_METHODS,
        default="auto",
        help="mc_dropout: the model's doubt only; residuals: the errors it made on the "
        "validation part, noise included (default: auto)",
    )
    forecast_parser.add_argument(
        "--samples", type=positive_count, default=100, help="MC-dropout passes"
    )
    forecast_parser.add_argument(
        "--future",
        metavar="FILE",
        help="the known covariates' values on the forecast dates (models fitted with --known)",
    )
    forecast_parser.add_argument("--csv", metavar="OUT", help="write the forecast as CSV")
    forecast_parser.add_argument(
        "--plot", metavar="OUT.png", help="plot history, forecast and band"
    )
    forecast_parser.set_defaults(handler=forecast)

    backtest_parser = commands.add_parser(
        "backtest",
        help="score a saved model from rolling origins, beside naive, seasonal and SARIMA",
        description="Forecast from every STRIDE-th point after START with a saved model and "
        "with the baselines, and print MAE, MSE, RMSE, MAPE, sMAPE and MASE for each.",
    )
    add_saved_model_arguments(backtest_parser)
    backtest_parser.add_argument("--start", metavar="DATE", help="first forecast origin")
    backtest_parser.add_argument(
        "--stride", type=positive_count, default=1, help="steps between origins"
    )
    backtest_parser.add_argument(
        "--season", type=positive_count, default=None, help="seasonal period (default: from dates)"
    )
    backtest_parser.add_argument(
        "--no-sarima", action="store_true", help="skip the SARIMA baseline"
    )
    backtest_parser.add_argument("--csv", metavar="OUT", help="write the score table as CSV")
    backtest_parser.add_argument(
        "--plot", metavar="OUT.png", help="plot forecasts and error by horizon"
    )
    backtest_parser.set_defaults(handler=backtest)

    sweep = commands.add_parser(
        "lr-find",
        help="the course's learning-rate sweep, with a suggested rate",
        description="Train with the learning rate growing as MIN_LR * 10**(epoch / 20) and "
        "report the loss per rate (SGD with momentum 0.9 by default, as in the course).",
    )
    add_data_arguments(sweep)
    add_model_arguments(sweep, sweep=True)
    sweep.add_argument("--min-lr", type=float, default=1e-8, help="first rate (default: 1e-8)")
    sweep.add_argument("--plot", metavar="OUT.png", help="plot loss against learning rate")
    sweep.set_defaults(handler=lr_find)

    datasets_parser = commands.add_parser("datasets", help="list the built-in datasets (offline)")
    datasets_parser.set_defaults(handler=datasets)


# --------------------------------------------------------------------------- handlers


def fit(args: argparse.Namespace) -> int:
    from seqcast.data.dates import label
    from seqcast.data.read import DATES_ATTR, NO_DATES

    check_outputs(args, {"--out": args.out}, (args.data,))
    data, defaults = resolve_data(args)
    forecaster = make_forecaster(args, defaults)
    valid = args.valid_from or defaults.get("valid_from")
    frame = fit_part(data, args, defaults, valid)
    if frame.attrs.get(DATES_ATTR) == NO_DATES:
        print(NO_DATES_NOTE)
    forecaster.fit(
        frame,
        target=args.target or defaults.get("target"),
        covariates=args.covariates,
        valid=valid,
        known_covariates=args.known,
        date_format=args.date_format,  # frame is read already: this is for the saved model
        freq=args.freq,
        fill=args.fill,
        duplicates=args.duplicates,
    )
    for note in forecaster.series_.notes:  # duplicates dropped, points filled, encoding
        print(note)
    epochs = len(forecaster.history_.get("loss", []))
    line = (
        f"trained {forecaster!r} on {len(forecaster.series_)} points: {epochs} epochs in "
        f"{forecaster.train_seconds_:.1f} s"
    )
    if forecaster.residuals_ is not None:
        # The saved model's errors on the validation part, in the data's units
        # (levels, also when the model forecasts differences).
        mae = float(abs(forecaster.residuals_).mean())
        which = "best " if forecaster.patience else ""  # early stopping kept the best epoch
        line += f"; {which}validation MAE {mae:.4g} (validation from {label(valid)})"
    print(line)
    for column, categories in forecaster.transform_.categories.levels.items():
        names = ", ".join(category or "(blank)" for category in categories)
        print(f"read '{column}' as {len(categories)} categories: {names}")
    with writing(args, args.out):
        forecaster.save(args.out)
    return 0


def forecast(args: argparse.Namespace) -> int:
    import pandas as pd

    from seqcast.forecaster import Forecaster

    outputs = {"--csv": args.csv, "--plot": args.plot}
    check_outputs(args, outputs, (args.model_file, args.data, args.future))
    keep_compiled_programs()
    forecaster = Forecaster.load(args.model_file)
    data, _ = resolve_data(args)
    # read once, as the model was fitted (unless the flags say otherwise): forecast and plot
    series = forecaster.read(data, date_column=args.date_column, **reading(args))
    table = forecaster.predict(
        series,
        date_format=args.date_format,  # the --future file's, when given
        intervals=args.intervals,
        interval_method=args.interval_method,
        samples=args.samples,
        future=args.future,
    )
    print(table.to_string(float_format=lambda v: f"{v:.6g}"))
    note = table.attrs.get("interval", {}).get("note")
    if note:
        print(f"note: {note}")
    if args.csv:
        with writing(args, args.csv), atomic_path(args.csv) as tmp:
            dated = isinstance(table.index, pd.DatetimeIndex)
            table.to_csv(tmp, index_label="date" if dated else "step")
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            plots.plot_forecast(series.frame[forecaster.target_], table, args.plot)
    return 0


def backtest(args: argparse.Namespace) -> int:
    from seqcast.forecaster import Forecaster

    outputs = {"--csv": args.csv, "--plot": args.plot}
    check_outputs(args, outputs, (args.model_file, args.data))
    keep_compiled_programs()
    forecaster = Forecaster.load(args.model_file)
    data, defaults = resolve_data(args)
    start = args.start or defaults.get("test_from") or defaults.get("valid_from")
    if start is None:
        raise SeqcastError("say where the backtest starts with --start DATE")
    result = forecaster.backtest(
        data,
        start=start,
        stride=args.stride,
        season=args.season or defaults.get("season"),
        sarima=not args.no_sarima,
        date_column=args.date_column,
        **reading(args),
    )
    print(result)
    if args.csv:
        with writing(args, args.csv), atomic_path(args.csv) as tmp:
            result.scores.to_csv(tmp, index_label="method")
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            plots.plot_backtest(result, args.plot)
    return 0


def lr_find(args: argparse.Namespace) -> int:
    check_outputs(args, {"--plot": args.plot}, (args.data,))
    data, defaults = resolve_data(args)
    forecaster = make_forecaster(args, defaults)
    sweep = forecaster.lr_find(
        data,
        target=args.target or defaults.get("target"),
        # the sweep reads known covariates like the others: the rate does not hinge on it
        covariates=[*args.covariates, *args.known],
        min_lr=args.min_lr,
        epochs=args.epochs,
        date_column=args.date_column,
        **reading(args),
    )
    for rate, loss in list(zip(sweep.learning_rates, sweep.losses))[:: max(1, args.epochs // 10)]:
        print(f"  lr {rate:9.3g}  loss {loss:.5g}")
    suggestion = sweep.suggestion
    if not sweep.reached_the_minimum:
        print(
            f"the loss was still falling at the largest rate tried "
            f"({sweep.learning_rates[-1]:.3g}): sweep further with more --epochs or a larger "
            "--min-lr before trusting the suggestion"
        )
    print(
        f"suggested learning rate: {suggestion:.3g} (where the loss falls fastest); use it "
        f"with --optimizer {args.optimizer} --learning-rate {suggestion:.3g}"
    )
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            plots.plot_lr_sweep(sweep, args.plot)
    return 0


def datasets(args: argparse.Namespace) -> int:
    from seqcast.data.datasets import dataset_names, load_dataset

    for name in dataset_names():
        dataset = load_dataset(name)
        index = dataset.frame.index
        span = f"{index[0]:%Y-%m-%d} to {index[-1]:%Y-%m-%d}"
        print(
            f"{name:<9} {len(index):>5} points, {index.freqstr:<7} {span}, target "
            f"{dataset.target!r}, season {dataset.season}"
        )
        print(f"{'':<9} {dataset.description}")
        print(f"{'':<9} source: {dataset.source}")
    return 0
