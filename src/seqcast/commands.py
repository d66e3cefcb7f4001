"""The practitioner's commands: ``seqcast fit / forecast / backtest / lr-find / datasets``.

Each handler turns parsed arguments into ``Forecaster`` calls and prints what
a person needs to read; ``seqcast.cli`` defines the arguments. Heavy modules
are imported inside the handlers so ``seqcast --help`` stays instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from seqcast.errors import SeqcastError

# --------------------------------------------------------------------------- arguments


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data",
        metavar="DATA",
        help="a CSV or Parquet file, or the name of a built-in dataset (seqcast datasets)",
    )
    parser.add_argument("--target", help="the column to forecast (default: the only numeric one)")
    parser.add_argument("--date-column", help="the column of dates (default: found by name)")
    parser.add_argument(
        "--covariates",
        type=lambda text: [c.strip() for c in text.split(",") if c.strip()],
        default=[],
        metavar="A,B",
        help="other columns the model reads over the window, up to the forecast origin",
    )
    parser.add_argument(
        "--known",
        type=lambda text: [c.strip() for c in text.split(",") if c.strip()],
        default=[],
        metavar="A,B",
        help="columns known in advance (holidays, day types, planned prices): read up to the "
        "end of the horizon; `forecast` then needs their future values (--future)",
    )


def add_saved_model_arguments(parser: argparse.ArgumentParser) -> None:
    """MODEL and DATA, for the commands that use a model `seqcast fit` saved."""
    parser.add_argument("model_file", metavar="MODEL", help="a file from `seqcast fit --out`")
    parser.add_argument("data", metavar="DATA", help="CSV / Parquet file or built-in dataset")
    parser.add_argument("--date-column", help="the column of dates (default: found by name)")


def add_model_arguments(parser: argparse.ArgumentParser, *, sweep: bool = False) -> None:
    from seqcast.cli import _positive_int

    parser.add_argument("--model", default="lstm", help="zoo model (seqcast models); default lstm")
    parser.add_argument(
        "--window", type=_positive_int, help="input steps (default: the dataset's, else 30)"
    )
    parser.add_argument(
        "--horizon", type=_positive_int, help="steps forecast (default: the dataset's, else 1)"
    )
    parser.add_argument(
        "--strategy", default="auto", choices=["auto", "seq2seq", "direct", "iterative"]
    )
    parser.add_argument("--loss", default="mse", help="Keras loss name: mse, huber, mae...")
    parser.add_argument("--optimizer", default="sgd" if sweep else "adam")
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--momentum", type=float, default=0.9 if sweep else None)
    parser.add_argument("--clipnorm", type=float, default=None, help="clip gradients by norm")
    parser.add_argument("--scaler", default="standard", choices=["standard", "minmax", "none"])
    parser.add_argument(
        "--epochs", type=_positive_int, default=100, help="at most this many epochs (default: 100)"
    )
    parser.add_argument("--batch-size", type=_positive_int, default=32)
    parser.add_argument(
        "--dropout", type=float, default=0.0, help="dropout in the recurrent layers (intervals)"
    )
    parser.add_argument(
        "--difference",
        type=_positive_int,
        default=None,
        metavar="LAG",
        help="model the change over LAG steps (1 for a trend, the season for seasonal data)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


# --------------------------------------------------------------------------- data


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
        "target": dataset.target,
        "window": dataset.window,
        "horizon": dataset.horizon,
        "valid_from": dataset.valid_from,
        "test_from": dataset.test_from,
        "season": dataset.season,
    }
    return dataset.frame, defaults


def _forecaster(args: argparse.Namespace, defaults: dict[str, Any]):
    from seqcast.forecaster import Forecaster

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
        scaler=None if args.scaler == "none" else args.scaler,
        epochs=args.epochs,
        patience=getattr(args, "patience", None),
        batch_size=args.batch_size,
        dropout=args.dropout,
        difference=args.difference,
        seed=args.seed,
        verbose=0 if args.quiet else 1,
    )


def _until(data: Any, until: Any, date_column: str | None):
    """The rows before ``until`` (a date or step): the part ``fit`` may see."""
    from seqcast.data.dates import parse_label
    from seqcast.data.read import read_table

    frame = read_table(data, date_column=date_column)
    if until is None:
        return frame
    kept = frame[frame.index < parse_label(frame.index, until, "--test-from")]
    if kept.empty:
        raise SeqcastError(f"--test-from {until} is before the first point; nothing left to fit")
    return kept


# --------------------------------------------------------------------------- handlers


def fit(args: argparse.Namespace) -> int:
    from seqcast.data.dates import label

    data, defaults = resolve_data(args)
    forecaster = _forecaster(args, defaults)
    test_from = args.test_from or defaults.get("test_from")
    frame = _until(data, test_from, args.date_column)
    valid = args.valid_from or defaults.get("valid_from")
    forecaster.fit(
        frame,
        target=args.target or defaults.get("target"),
        covariates=args.covariates,
        valid=valid,
        known_covariates=args.known,
    )
    epochs = len(forecaster.history_.get("loss", []))
    line = (
        f"trained {forecaster!r} on {len(frame)} points: {epochs} epochs in "
        f"{forecaster.train_seconds_:.1f} s"
    )
    if forecaster.residuals_ is not None:
        # The saved model's errors on the validation part, in the data's units
        # (levels, also when the model forecasts differences).
        mae = float(abs(forecaster.residuals_).mean())
        which = "best " if forecaster.patience else ""  # early stopping kept the best epoch
        line += f"; {which}validation MAE {mae:.4g} (validation from {label(valid)})"
    print(line)
    forecaster.save(args.out)
    print(f"wrote {args.out}")
    return 0


def forecast(args: argparse.Namespace) -> int:
    import pandas as pd

    from seqcast.data.read import read_table
    from seqcast.data.series import prepare_series
    from seqcast.forecaster import Forecaster

    forecaster = Forecaster.load(args.model_file)
    data, _ = resolve_data(args)
    frame = read_table(data, date_column=args.date_column)  # read once: forecast and plot
    table = forecaster.predict(
        frame,
        intervals=args.intervals,
        interval_method=args.interval_method,
        samples=args.samples,
        future=args.future,
    )
    print(table.to_string(float_format=lambda v: f"{v:.6g}"))
    if args.csv:
        from seqcast.files import atomic_path

        with atomic_path(args.csv) as tmp:
            dated = isinstance(table.index, pd.DatetimeIndex)
            table.to_csv(tmp, index_label="date" if dated else "step")
        print(f"wrote {args.csv}")
    if args.plot:
        from seqcast import plots

        # the observed target alone, checked as forecasting checked it
        series = prepare_series(frame, forecaster.target_)
        plots.plot_forecast(series.frame[forecaster.target_], table, args.plot)
        print(f"wrote {args.plot}")
    return 0


def backtest(args: argparse.Namespace) -> int:
    from seqcast.forecaster import Forecaster

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
    )
    print(result)
    if args.csv:
        from seqcast.files import atomic_path

        with atomic_path(args.csv) as tmp:
            result.scores.to_csv(tmp, index_label="method")
        print(f"wrote {args.csv}")
    if args.plot:
        from seqcast import plots

        plots.plot_backtest(result, args.plot)
        print(f"wrote {args.plot}")
    return 0


def lr_find(args: argparse.Namespace) -> int:
    data, defaults = resolve_data(args)
    forecaster = _forecaster(args, defaults)
    sweep = forecaster.lr_find(
        data,
        target=args.target or defaults.get("target"),
        # the sweep reads known covariates like the others: the rate does not hinge on it
        covariates=[*args.covariates, *args.known],
        min_lr=args.min_lr,
        epochs=args.epochs,
        date_column=args.date_column,
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

        plots.plot_lr_sweep(sweep, args.plot)
        print(f"wrote {args.plot}")
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
