"""How far does a row's figure move with the seed?

The book prints one run per model; ``seqcast reproduce`` compares one run
(seed 42) with it. This trains the chosen rows once per seed (initial weights
and batch order both follow the seed) and prints, per row, the spread of the
figure against the published one, and how many seeds land within the 1.10x
tolerance of the book.

    .venv/bin/python scripts/seed_spread.py --models wavenet,lstm --seeds 0-11
"""

from __future__ import annotations

import argparse
import statistics
import sys

import seqcast  # noqa: F401  (before Keras: points it at JAX)
from seqcast.experiments.parallel import default_jobs, run_seeds
from seqcast.experiments.report import TOLERANCE
from seqcast.experiments.runner import select_rows


def parse_seeds(text: str) -> list[int]:
    """``"0-11"`` or ``"1,5,42"`` (or both, comma-separated) as a list of seeds."""
    seeds: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds.extend(range(int(first), int(last) + 1) if last else [int(first)])
    return seeds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", required=True, help="rows of the book's table, A,B,...")
    parser.add_argument("--seeds", default="0-11", help="e.g. 0-11 or 1,5,42 (default: 0-11)")
    parser.add_argument("--jobs", type=int, default=None, help="runs at a time")
    args = parser.parse_args()
    rows = select_rows(args.models.split(","))
    seeds = parse_seeds(args.seeds)
    spread = run_seeds(rows, seeds, jobs=args.jobs or default_jobs(), verbose=1)

    print(f"\n{len(seeds)} seeds ({args.seeds}); ratio = figure / published")
    header = f"{'row':<16} {'published':>9} {'median':>9} {'min':>9} {'max':>9} {'ratio':>12}"
    print(header + f" {f'<= {TOLERANCE:.2f}x':>10}")
    print("-" * (len(header) + 11))
    for row in rows:
        values = [result.value for result in spread[row.name]]
        median = statistics.median(values)
        if row.published is None:
            print(f"{row.name:<16} {'-':>9} {median:>9.6f} {min(values):>9.6f} {max(values):>9.6f}")
            continue
        within = sum(v <= row.published * TOLERANCE for v in values)
        ratios = f"{min(values) / row.published:.2f}-{max(values) / row.published:.2f}"
        print(
            f"{row.name:<16} {row.published:>9.6f} {median:>9.6f} {min(values):>9.6f} "
            f"{max(values):>9.6f} {ratios:>12} {f'{within}/{len(values)}':>10}"
        )
    print("\nper seed:")
    for row in rows:
        pairs = ", ".join(f"{s}: {r.value:.6f}" for s, r in zip(seeds, spread[row.name]))
        print(f"  {row.name}: {pairs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
