"""How long read_panel takes on a long-format panel of many series.

Builds ``--series`` random-walk series of ``--points`` daily points each, in
long format (id, date, value; one row per series and date), and times
:func:`seqcast.data.panel.read_panel` on the pandas frame and on the same
table written to a CSV (the CSV's writing is not timed). Each series is split
with one factorize and one stable sort, then checked by prepare_series.

    .venv/bin/python benchmarks/read_panel.py --series 10000 --points 1000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from seqcast.data.panel import read_panel


def long_panel(series: int, points: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2000-01-01", periods=points, freq="D")
    return pd.DataFrame(
        {
            "id": np.repeat([f"s{i}" for i in range(series)], points),
            "date": np.tile(dates.to_numpy(), series),
            "value": rng.normal(size=(series, points)).cumsum(axis=1).reshape(-1),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=1_000)
    args = parser.parse_args()
    frame = long_panel(args.series, args.points)
    start = time.perf_counter()
    panel = read_panel(frame, "value", id_column="id")
    frame_s = time.perf_counter() - start
    print(f"{len(panel)} series x {args.points} points, pandas frame: {frame_s:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "panel.csv"
        frame.to_csv(path, index=False)
        start = time.perf_counter()
        panel = read_panel(path, "value", id_column="id")
        csv_s = time.perf_counter() - start
    print(f"{len(panel)} series x {args.points} points, CSV ({len(frame):,} rows): {csv_s:.1f} s")


if __name__ == "__main__":
    main()
