"""``seqcast show``: what a model file holds, and the leaderboard of the search that chose it.

:func:`run` reads only the file's manifest (the network is not loaded) and
prints one line a setting; a model chosen by ``--model auto`` adds its
leaderboard (:func:`seqcast.cli.auto.leaderboard_text`).
"""

from __future__ import annotations

import argparse
from typing import Any

from seqcast.cli.arguments import positive_count
from seqcast.cli.auto import leaderboard_text

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``show`` command's parser."""
    parser = commands.add_parser(
        "show",
        help="print a saved model's settings, and the leaderboard of --model auto",
        description="Print what a model file from `seqcast fit` holds: its model, window, "
        "horizon, transform, training, data columns and frequency, and for a model chosen by "
        "--model auto the search's leaderboard. The network is not loaded.",
    )
    parser.add_argument("model_file", metavar="MODEL", help="a file from `seqcast fit --out`")
    parser.add_argument(
        "--top", type=positive_count, default=10, help="leaderboard rows shown (default: 10)"
    )
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast show``: the settings, then the search's leaderboard when there was one."""
    from seqcast.bundle import read_manifest

    manifest = read_manifest(args.model_file)
    for name, value in _settings(manifest):
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


def _settings(manifest: Any) -> list[tuple[str, Any]]:
    """The (name, value) rows ``show`` prints of a model's manifest."""
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
    return rows
