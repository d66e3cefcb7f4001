"""``fit --model auto``: the search's flags, the search itself, and its leaderboard as text.

:func:`add_search_arguments` declares ``--budget`` and ``--trials``;
:func:`search` runs :class:`~seqcast.search.ModelSearch` on the validation
part and prints what it tried and chose; :func:`leaderboard_text` is the
table both ``fit`` and ``show`` print.
"""

from __future__ import annotations

import argparse
from typing import Any

from seqcast.cli.arguments import budget, positive_count
from seqcast.cli.data import many_series, remembered_reading

__all__ = ["AUTO_VALID", "CHOSEN", "add_search_arguments", "leaderboard_text", "search"]

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

#: The validation part `fit --model auto` holds back without --valid-from: the last fifth.
AUTO_VALID = 0.2


def add_search_arguments(parser: argparse.ArgumentParser) -> None:
    """--budget and --trials: how ``fit --model auto`` searches (--ensemble: its refit)."""
    group = parser.add_argument_group(
        "--model auto",
        "search the zoo's models, windows, transforms, losses, learning rates and dropout "
        "with Optuna (seeded TPE, median pruning), choose on the validation part only, and "
        "refit the best; --loss, --learning-rate, --scaler, --difference, --dropout and "
        "--optimizer are then the search's to choose",
    )
    group.add_argument(
        "--budget",
        type=budget,
        default=budget("5m"),
        metavar="TIME",
        help="stop starting trials after TIME: 90s, 5m, 1h or plain seconds (default: 5m); "
        "where the time runs out depends on the machine's speed and load, so a search ended "
        "by the budget is not repeatable: give --trials for one that is",
    )
    group.add_argument(
        "--trials",
        type=positive_count,
        default=None,
        metavar="N",
        help="stop after N trials (or the budget, whichever comes first); the same --seed, "
        "data and machine then give the same leaderboard",
    )


def chosen_defaults(parser: argparse.ArgumentParser) -> dict[str, Any]:
    """The defaults of the :data:`CHOSEN` flags: one given otherwise is ignored, with a warning."""
    return {flag: parser.get_default(flag.lstrip("-").replace("-", "_")) for flag in CHOSEN}


def search(args: argparse.Namespace, defaults: dict[str, Any], frame: Any, valid: Any) -> Any:
    """The Forecaster `--model auto` chose on the validation part, refitted; prints the search."""
    from seqcast.search import ModelSearch

    _warn_of_ignored_flags(args)
    if valid is None:
        print("validating on the last 20% of the data (choose the part with --valid-from)")
    model_search = ModelSearch(
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
    model_search.fit(
        frame,
        target=args.target or defaults.get("target"),
        covariates=args.covariates,
        valid=valid if valid is not None else AUTO_VALID,
        known_covariates=args.known,
        **(many_series(args, defaults) or {}),
        **remembered_reading(args),
    )
    print(leaderboard_text(model_search.leaderboard_))
    print(_chosen_text(model_search))
    return model_search.best_forecaster_


def _warn_of_ignored_flags(args: argparse.Namespace) -> None:
    """One warning naming the :data:`CHOSEN` flags given, which the search overrides."""
    import warnings

    from seqcast.errors import SeqcastWarning

    defaults_of = args.chosen_by_search
    ignored = [flag for flag, default in defaults_of.items() if _flag(args, flag) != default]
    if ignored:
        warnings.warn(
            f"--model auto chooses these settings itself, so {', '.join(ignored)} "
            f"{'is' if len(ignored) == 1 else 'are'} ignored",
            SeqcastWarning,
            stacklevel=3,
        )


def _chosen_text(model_search: Any) -> str:
    """The line saying what the search chose, and its validation score."""
    chosen = ", ".join(f"{k} {_short(v)}" for k, v in model_search.best_params_.items())
    how = f"its ensemble of {model_search.ensemble}: " if model_search.ensemble > 1 else ""
    score = (
        "validation WAPE"
        if "WAPE" in model_search.best_forecaster_.search_["score"]
        else ("validation MAE")
    )
    return f"chosen on the validation part: {chosen} ({how}{score} {model_search.best_score_:.4g})"


def _flag(args: argparse.Namespace, flag: str) -> Any:
    return getattr(args, flag.lstrip("-").replace("-", "_"))


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


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
