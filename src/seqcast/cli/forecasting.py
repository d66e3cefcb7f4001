"""The practitioner's commands: ``seqcast fit / forecast / backtest / lr-find / show / datasets``.

:func:`add_commands` declares them; each handler turns parsed arguments into
``Forecaster`` calls and prints what a person needs to read. Heavy modules
are imported inside the handlers so ``seqcast --help`` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
from typing import Any

from seqcast.choices import AUTO_MODEL, INTERVAL_METHODS
from seqcast.cli.arguments import (
    add_cluster_arguments,
    add_data_arguments,
    add_model_arguments,
    add_saved_model_arguments,
    add_search_arguments,
    positive_count,
)
from seqcast.cli.data import (
    NO_DATES_NOTE,
    fit_part,
    keep_compiled_programs,
    make_forecaster,
    many_series,
    reading,
    resolve_data,
    share_of,
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
    "budget": "--budget",
    "trials": "--trials",
    "ensemble": "--ensemble",
}

#: The flags of `fit` whose settings `--model auto` chooses (or fixes) itself.
CHOSEN = (
    "--loss",
    "--learning-rate",
    "--scaler",
    "--difference",
    "--dropout",
    "--optimizer",
    "--momentum",
    "--clipnorm",
    "--strategy",
)

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
    add_search_arguments(fit_parser)
    add_cluster_arguments(fit_parser)
    # what --model auto chooses itself: a flag changed from these is ignored, with a warning
    chosen = {flag: fit_parser.get_default(flag.lstrip("-").replace("-", "_")) for flag in CHOSEN}
    fit_parser.set_defaults(handler=fit, chosen_by_search=chosen)

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
        "--series-csv",
        metavar="OUT",
        help="many series: write each series' scores (MAE, sMAPE, MASE, WAPE per method) as CSV",
    )
    backtest_parser.add_argument(
        "--plot",
        metavar="OUT.png",
        help="plot forecasts and error by horizon; for many series the best, median and worst "
        "series, and the spread of MASE over series in OUT_mase.png",
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

    show_parser = commands.add_parser(
        "show",
        help="print a saved model's settings, and the leaderboard of --model auto",
        description="Print what a model file from `seqcast fit` holds: its model, window, "
        "horizon, transform, training, data columns and frequency, and for a model chosen by "
        "--model auto the search's leaderboard. The network is not loaded.",
    )
    show_parser.add_argument("model_file", metavar="MODEL", help="a file from `seqcast fit --out`")
    show_parser.add_argument(
        "--top", type=positive_count, default=10, help="leaderboard rows shown (default: 10)"
    )
    show_parser.set_defaults(handler=show)

    datasets_parser = commands.add_parser("datasets", help="list the built-in datasets (offline)")
    datasets_parser.set_defaults(handler=datasets)


# --------------------------------------------------------------------------- handlers


def fit(args: argparse.Namespace) -> int:
    from seqcast import distributed

    cluster = distributed.cluster_from(args.coordinator, args.num_processes, args.process_id)
    if cluster.is_single:
        return _fit_and_save(args, cluster)
    if args.model == AUTO_MODEL:
        raise SeqcastError(
            "--model auto searches on one process (its time budget would differ between "
            "processes); search alone, then fit the chosen settings with --num-processes"
        )
    if not cluster.is_main:  # process 0 speaks and writes for all
        args.quiet = True
    distributed.join(cluster, timeout=args.join_timeout)
    quiet = contextlib.nullcontext() if cluster.is_main else contextlib.redirect_stdout(None)
    with quiet, distributed.guarded("training"):
        code = _fit_and_save(args, cluster)
    distributed.leave()  # waits for every process, so none leaves while others still need it
    return code


def _fit_and_save(args: argparse.Namespace, cluster: Any) -> int:
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
        forecaster = _search(args, defaults, frame, valid)
    else:
        forecaster = _fit(args, defaults, frame, valid)
    _print_fitted(forecaster, valid if valid is not None else AUTO_VALID)
    if args.partitioned and not cluster.is_single:
        print(
            f"(process {cluster.process_id} of {cluster.num_processes} read only its share of "
            "the series, which the figures above are about; the model trained on every share)"
        )
    if cluster.is_main:
        with writing(args, args.out):
            forecaster.save(args.out)
    return 0


#: The validation part `fit --model auto` holds back without --valid-from: the last fifth.
AUTO_VALID = 0.2


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
        date_format=args.date_format,  # frame is read already: this is for the saved model
        freq=args.freq,
        fill=args.fill,
        duplicates=args.duplicates,
        partitioned=args.partitioned,
    )


def _search(args: argparse.Namespace, defaults: dict[str, Any], frame: Any, valid: Any) -> Any:
    """The Forecaster `--model auto` chose on the validation part, refitted; prints the search."""
    import warnings

    from seqcast.errors import SeqcastWarning
    from seqcast.search import ModelSearch

    defaults_of = args.chosen_by_search
    ignored = [flag for flag, default in defaults_of.items() if _flag(args, flag) != default]
    if ignored:
        warnings.warn(
            f"--model auto chooses these settings itself, so {', '.join(ignored)} "
            f"{'is' if len(ignored) == 1 else 'are'} ignored",
            SeqcastWarning,
            stacklevel=2,
        )
    if valid is None:
        print("validating on the last 20% of the data (choose the part with --valid-from)")
    search = ModelSearch(
        horizon=args.horizon or defaults.get("horizon") or 1,
        window=defaults.get("window") or 30,
        windows=[args.window] if args.window else None,
        season=defaults.get("season"),
        budget=args.budget,
        trials=args.trials,
        epochs=args.epochs,
        patience=args.patience,
        batch_size=args.batch_size,
        **({"ensemble": args.ensemble} if args.ensemble else {}),  # else the search's default
        seed=args.seed,
        verbose=0 if args.quiet else 1,
    )
    search.fit(
        frame,
        target=args.target or defaults.get("target"),
        covariates=args.covariates,
        valid=valid if valid is not None else AUTO_VALID,
        known_covariates=args.known,
        **(many_series(args, defaults) or {}),
        date_format=args.date_format,
        freq=args.freq,
        fill=args.fill,
        duplicates=args.duplicates,
    )
    print(leaderboard_text(search.leaderboard_))
    chosen = ", ".join(f"{k} {_short(v)}" for k, v in search.best_params_.items())
    how = f"its ensemble of {search.ensemble}: " if search.ensemble > 1 else ""
    score = (
        "validation WAPE"
        if "WAPE" in search.best_forecaster_.search_["score"]
        else ("validation MAE")
    )
    print(f"chosen on the validation part: {chosen} ({how}{score} {search.best_score_:.4g})")
    return search.best_forecaster_


def _flag(args: argparse.Namespace, flag: str) -> Any:
    return getattr(args, flag.lstrip("-").replace("-", "_"))


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _print_fitted(forecaster: Any, valid: Any) -> None:
    """What `fit` says of the fitted model: notes on the data, epochs, validation MAE."""
    from seqcast.data.dates import label

    data = forecaster.data_
    notes = [*data.notes, *(note for series in data for note in series.notes)]
    for note in dict.fromkeys(notes):  # duplicates dropped, points filled, encoding
        print(note)
    epochs = len(forecaster.history_.get("loss", []))
    points = sum(len(series) for series in data)
    what = f"{points} points" if len(data) == 1 else f"{len(data)} series ({points} points)"
    line = f"trained {forecaster!r} on {what}: {epochs} epochs in {forecaster.train_seconds_:.1f} s"
    if forecaster.residuals_ is not None:
        # The saved model's errors on the validation part, in the data's units
        # (levels, also when the model forecasts differences); pooled over a panel's series.
        which = "best " if forecaster.patience else ""  # early stopping kept the best epoch
        where = f"the last {valid:.0%}" if isinstance(valid, float) else f"from {label(valid)}"
        if isinstance(forecaster.residuals_, dict):
            # series in other units do not add up: the errors relative to the values do
            wape = forecaster.validation_wape()
            line += f"; {which}validation WAPE {wape:.2%} over the series (validation {where})"
        else:
            mae = float(abs(forecaster.residuals_).mean())
            line += f"; {which}validation MAE {mae:.4g} (validation {where})"
    print(line)
    for column, categories in forecaster.transform_.categories.levels.items():
        names = ", ".join(category or "(blank)" for category in categories)
        print(f"read '{column}' as {len(categories)} categories: {names}")


def forecast(args: argparse.Namespace) -> int:
    import pandas as pd

    from seqcast.data.series import SeriesData
    from seqcast.forecaster import Forecaster

    outputs = {"--csv": args.csv, "--plot": args.plot}
    check_outputs(args, outputs, (args.model_file, args.data, args.future))
    keep_compiled_programs()
    forecaster = Forecaster.load(args.model_file)
    data, _ = resolve_data(args)
    data = share_of(data, _saved_id_column(forecaster))
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
    many = not isinstance(series, SeriesData)
    shown = table.head(3 * forecaster.horizon) if many and len(series) > 3 else table
    print(shown.to_string(float_format=lambda v: f"{v:.6g}", index=not many))
    if len(shown) < len(table):
        print(f"... {len(series)} series, {len(table)} rows in all (--csv writes them)")
    note = table.attrs.get("interval", {}).get("note")
    if note:
        print(f"note: {note}")
    if args.csv:
        with writing(args, args.csv), atomic_path(args.csv) as tmp:
            if many:
                table.to_csv(tmp, index=False)  # long format: id, date, forecast[, band]
            else:
                dated = isinstance(table.index, pd.DatetimeIndex)
                table.to_csv(tmp, index_label="date" if dated else "step")
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            if many:
                plots.plot_panel_forecast(series, table, args.plot)
            else:
                plots.plot_forecast(series.frame[forecaster.target_], table, args.plot)
    return 0


def backtest(args: argparse.Namespace) -> int:
    from seqcast.forecaster import Forecaster

    outputs = {"--csv": args.csv, "--plot": args.plot, "--series-csv": args.series_csv}
    check_outputs(args, outputs, (args.model_file, args.data))
    keep_compiled_programs()
    forecaster = Forecaster.load(args.model_file)
    data, defaults = resolve_data(args)
    data = share_of(data, _saved_id_column(forecaster))
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
        n_jobs=None,  # the baselines of many series on every core: safe from the command line
        **reading(args),
    )
    print(result)
    many = hasattr(result, "per_series")
    if args.csv:
        with writing(args, args.csv), atomic_path(args.csv) as tmp:
            result.scores.to_csv(tmp, index_label="method")
    if args.series_csv:
        if not many:
            raise SeqcastError("--series-csv is for models of many series; use --csv")
        with writing(args, args.series_csv), atomic_path(args.series_csv) as tmp:
            result.per_series.to_csv(tmp, index=False)
    if args.plot:
        from seqcast import plots

        with writing(args, args.plot):
            if many:
                plots.plot_panel_series(result, args.plot)
                plots.plot_panel_mase(result, _beside(args.plot, "mase"))
            else:
                plots.plot_backtest(result, args.plot)
    return 0


def _saved_id_column(forecaster: Any) -> str | None:
    """The id column a saved model of many series read its data by (None for one series)."""
    return None if forecaster.layout_ == "single" else forecaster.id_column_


def _beside(path: str, what: str) -> str:
    """A second figure's path next to ``path``: ``out.png`` → ``out_mase.png``."""
    from pathlib import Path

    where = Path(path)
    return str(where.with_name(f"{where.stem}_{what}{where.suffix or '.png'}"))


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


def show(args: argparse.Namespace) -> int:
    from seqcast.bundle import read_manifest

    manifest = read_manifest(args.model_file)
    params = manifest.params
    scaling = f"{manifest.scaler.kind} scaling" if manifest.scaler.kind else "no scaling"
    change = f"difference {params['difference']}" if params.get("difference") else "level"
    rate = params.get("learning_rate")
    epochs = len(manifest.history.get("loss", []))
    rows = [
        ("model", params.get("model")),
        ("window", params.get("window")),
        ("horizon", params.get("horizon")),
        ("strategy", manifest.strategy),
        ("transform", f"{change}, {scaling}"),
        ("loss", params.get("loss")),
        ("optimizer", params.get("optimizer")),
        ("learning rate", "the optimizer's default" if rate is None else f"{rate:.3g}"),
        ("dropout", f"{params.get('dropout') or 0:.3g}"),
        ("epochs run", f"{epochs} (at most {params.get('epochs')})"),
        ("ensemble", params.get("ensemble", 1)),
        ("target", manifest.target),
        ("covariates", ", ".join(manifest.covariates) or "none"),
        ("known covariates", ", ".join(manifest.known_covariates) or "none"),
        ("frequency", manifest.freq or "none (steps)"),
    ]
    if manifest.panel:
        ids = manifest.panel["ids"]
        shown = ", ".join(map(str, ids[:3])) + (", ..." if len(ids) > 3 else "")
        rows.append(("series", f"{len(ids)} by '{manifest.panel['id_column']}' ({shown})"))
        rows.append(("static", ", ".join(manifest.panel.get("static", [])) or "none"))
    if manifest.residuals is not None:
        rows.append(("validation MAE", f"{float(abs(manifest.residuals).mean()):.4g}"))
    rows.append(("seqcast", manifest.seqcast_version))
    for name, value in rows:
        print(f"{name:<17} {value}")
    search = manifest.search
    if search:
        budget = search.get("budget_seconds")
        limits = [f"seed {search.get('seed')}"]
        if search.get("trials"):
            limits.append(f"at most {search['trials']} trials")
        if budget:
            limits.append(f"budget {budget:g} s")
        print(f"\nchosen by --model auto ({', '.join(limits)}) on {search.get('score')}:")
        print(leaderboard_text(search["leaderboard"], top=args.top))
    return 0


def leaderboard_text(rows: Any, top: int = 10) -> str:
    """The ``top`` trials of a search (a DataFrame or its saved rows) and a line counting them.

    >>> print(leaderboard_text([{"trial": 0, "model": "gru", "window": 5,
    ...     "transform": "level", "loss": "mse", "learning_rate": 0.001, "dropout": 0.0,
    ...     "val_mae": 1.25, "ensemble_val_mae": 1.2, "epochs": 3, "seconds": 0.4,
    ...     "state": "complete"}]))
    trial model window transform loss    lr dropout val_mae ensemble_mae epochs seconds    state
        0   gru      5     level  mse 0.001            1.25          1.2      3     0.4 complete
    1 trials: 1 complete
    """
    import pandas as pd

    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    counts = frame["state"].value_counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in ("complete", "pruned", "failed") if s in counts)
    shown = frame.head(top).astype(object).rename(columns={"learning_rate": "lr"})

    def formatted(form: str):
        return lambda v: "" if v is None or v != v or v == 0 else format(v, form)

    shown = shown.rename(columns={"ensemble_val_mae": "ensemble_mae"})
    if "ensemble_mae" not in shown:  # saved before finalists were refitted as ensembles
        shown.insert(list(shown.columns).index("val_mae") + 1, "ensemble_mae", None)
    columns = (("lr", ".2g"), ("dropout", ".2f"), ("val_mae", ".4g"), ("ensemble_mae", ".4g"))
    for column, form in columns:
        shown[column] = shown[column].map(formatted(form))
    shown["seconds"] = shown["seconds"].map(formatted(".1f"))
    shown["epochs"] = shown["epochs"].map(formatted("d"))
    more = f" (the best {len(shown)} shown)" if len(frame) > len(shown) else ""
    return f"{shown.to_string(index=False)}\n{len(frame)} trials: {summary}{more}"


def datasets(args: argparse.Namespace) -> int:
    from seqcast.data.datasets import dataset_names, load_dataset

    for name in dataset_names():
        try:
            dataset = load_dataset(name)
        except SeqcastError as err:  # an optional package it needs is missing
            print(f"{name:<13} (not available: {err})")
            continue
        if getattr(dataset, "id_column", None):
            panel = dataset.panel()
            first = min(series.frame.index[0] for series in panel)
            last = max(series.frame.index[-1] for series in panel)
            print(
                f"{name:<13} {len(panel):>5} series, {panel.freq:<7} {first:%Y-%m-%d} to "
                f"{last:%Y-%m-%d}, target {dataset.target!r} by {dataset.id_column!r}, "
                f"season {dataset.season}"
            )
        else:
            index = dataset.frame.index
            span = f"{index[0]:%Y-%m-%d} to {index[-1]:%Y-%m-%d}"
            print(
                f"{name:<13} {len(index):>5} points, {index.freqstr:<7} {span}, target "
                f"{dataset.target!r}, season {dataset.season}"
            )
        print(f"{'':<13} {dataset.description}")
        print(f"{'':<13} source: {dataset.source}")
    return 0
