"""``seqcast models``: the rows of the book's and the course's tables, and the model zoo."""

from __future__ import annotations

import argparse

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``models`` command's parser."""
    parser = commands.add_parser("models", help="list the book's rows and the zoo")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast models``: the rows of each table, then the zoo, one line each."""
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
