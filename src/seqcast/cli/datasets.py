"""``seqcast datasets``: the built-in datasets, each with its span, target and source (offline)."""

from __future__ import annotations

import argparse
from typing import Any

from seqcast.errors import SeqcastError

__all__ = ["add_parser", "run"]


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``datasets`` command's parser."""
    parser = commands.add_parser("datasets", help="list the built-in datasets (offline)")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """``seqcast datasets``: three lines a dataset; one for a dataset that cannot load here."""
    from seqcast.data.datasets import dataset_names, load_dataset

    for name in dataset_names():
        try:
            dataset = load_dataset(name)
        except SeqcastError as err:  # an optional package it needs is missing
            print(f"{name:<13} (not available: {err})")
            continue
        print(_summary(name, dataset))
        print(f"{'':<13} {dataset.description}")
        print(f"{'':<13} source: {dataset.source}")
    return 0


def _summary(name: str, dataset: Any) -> str:
    """A dataset's first line: how many series or points, their frequency and span, target."""
    if getattr(dataset, "id_column", None):
        panel = dataset.panel()
        first = min(series.frame.index[0] for series in panel)
        last = max(series.frame.index[-1] for series in panel)
        return (
            f"{name:<13} {len(panel):>5} series, {panel.freq:<7} {first:%Y-%m-%d} to "
            f"{last:%Y-%m-%d}, target {dataset.target!r} by {dataset.id_column!r}, "
            f"season {dataset.season}"
        )
    index = dataset.frame.index
    span = f"{index[0]:%Y-%m-%d} to {index[-1]:%Y-%m-%d}"
    return (
        f"{name:<13} {len(index):>5} points, {index.freqstr:<7} {span}, target "
        f"{dataset.target!r}, season {dataset.season}"
    )
