"""What the per-series panel baselines cost: seconds for a synthetic panel, per method.

A panel shaped like ``us_employment`` (148 monthly series) by default: each
series 300 points of level + trend + a yearly sine of random phase + a random
walk, fitted on the first 259 points, forecast 12 steps ahead from 30 origins
(259 ... 288). Prints the seconds and the milliseconds per series for naive +
seasonal naive, AutoETS, AutoARIMA, and all four in one call, with the MAE of
each against the true values (a check that the forecasts are sensible).

    python benchmarks/panel_baselines.py [--series 148] [--points 300] [--origins 30]
                                         [--horizon 12] [--season 12] [--jobs 2]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from seqcast.baselines.statistical import panel_baselines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=148)
    parser.add_argument("--points", type=int, default=300)
    parser.add_argument("--origins", type=int, default=30)
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--season", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    steps = np.arange(args.points)
    targets = [
        100
        + 0.1 * rng.normal() * steps
        + 10 * np.sin(2 * np.pi * steps / args.season + rng.uniform(0, 2 * np.pi))
        + np.cumsum(rng.normal(0, 1, args.points))
        for _ in range(args.series)
    ]
    fit_end = args.points - args.horizon - args.origins + 1
    origins = [np.arange(fit_end, args.points - args.horizon + 1)] * args.series
    truth = np.stack([t[origins[0][:, None] + np.arange(args.horizon)] for t in targets])
    runs = [("naive", "seasonal_naive"), ("auto_ets",), ("auto_arima",), None]
    for methods in runs:
        chosen = methods or ("naive", "seasonal_naive", "auto_ets", "auto_arima")
        start = time.perf_counter()
        result = panel_baselines(
            targets, origins, args.horizon, season=args.season,
            fit_ends=[fit_end] * args.series, methods=chosen, n_jobs=args.jobs,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        maes = ", ".join(
            f"{name} {np.mean(np.abs(np.stack(f) - truth)):.3f}"
            for name, f in result.forecasts.items()
        )
        print(
            f"{'all four' if methods is None else ' + '.join(chosen)}: {seconds:.1f} s, "
            f"{1000 * seconds / args.series:.0f} ms per series (jobs {args.jobs}); MAE {maes}",
            flush=True,
        )


if __name__ == "__main__":
    main()
