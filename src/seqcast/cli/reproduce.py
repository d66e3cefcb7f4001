"""``seqcast reproduce``: the book's and the course's tables, trained beside the published figures.

``reproduce`` trains the rows of a table and prints each figure beside the
published one; ``--json`` writes them in the documented schema
(``{"rows": [{"model", "metric", "value", "published", "epochs",
"train_seconds"}], "backend", "device", "version"}``), ``--out`` a report
folder. The experiments load inside the handlers, after the row names are
checked, so ``seqcast --help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys

from seqcast.choices import SUITES
from seqcast.cli.arguments import comma_list, positive_count
from seqcast.version import __version__

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``reproduce`` command's parser."""
    parser = commands.add_parser(
        "reproduce",
        help="train the book's (or the course's) models beside the published figures",
        description="Train the rows of the book's table on its synthetic series "
        "(7000/2000/1000 split), or with --suite course the course's methods on its series, "
        "and compare each validation figure with the published one.",
    )
    parser.add_argument(
        "--models",
        type=comma_list,
        default=None,
        metavar="A,B,...",
        help="rows to run (default: all); see `seqcast models`",
    )
    parser.add_argument(
        "--epochs",
        type=positive_count,
        default=None,
        help="epochs per model (default: the book's, 20)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=42,
        help="seed of weights and shuffling (default: 42); the data is always the book's",
    )
    parser.add_argument("--json", metavar="PATH", default=None, help="write the results as JSON")
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="write a report folder: README.md table, figures, trained models",
    )
    parser.add_argument(
        "--suite",
        choices=SUITES,
        default="book",
        help="the book's table (Hands-On ML ch. 15, default) or the course's "
        "(Sequences, Time Series and Prediction)",
    )
    parser.add_argument(
        "--jobs",
        type=positive_count,
        default=None,
        help="rows trained at a time, each in its own process (default: one per core, "
        "at most 4, on a CPU; 1 on a GPU); the figures do not depend on it",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast reproduce``: train the rows, print the table, write what the flags ask for."""
    from seqcast.experiments.runner import select_rows

    rows = select_rows(args.models, args.suite)  # unknown names fail before anything loads

    import time
    from pathlib import Path

    from seqcast.experiments import report
    from seqcast.experiments.parallel import default_jobs, run_rows, workers_for
    from seqcast.training import enable_compilation_cache

    enable_compilation_cache()
    meta = _environment()
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


def _environment() -> dict[str, str]:
    """What the figures were computed with: Keras's backend, the device, seqcast's version."""
    import os

    import jax
    import keras

    device = jax.devices()[0]
    return {
        "backend": keras.backend.backend(),
        "device": f"{device.platform} ({device.device_kind}, {os.cpu_count()} cores)",
        "version": __version__,
    }
