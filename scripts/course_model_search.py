"""Choose seqcast's model for the course's series without looking at the scored points.

Each candidate trains on series[:800] and is scored (one-step MAE) on
series[800:1000]; only then is the chosen one retrained on series[:1000] and
scored on series[1000:] (what the course reports). Run:

    .venv/bin/python scripts/course_model_search.py
"""

from __future__ import annotations

import time

import numpy as np

import seqcast  # noqa: F401  (sets the JAX backend before Keras loads)
from seqcast.data.synthetic import COURSE_SPLIT
from seqcast.experiments.course import course_frame
from seqcast.forecaster import Forecaster

INNER_SPLIT = 800
LAST_YEAR_LEAD = 10  # the "last_year" input holds y[t-375 : t-355] beside the window y[t-20 : t]

CANDIDATES = {
    "dnn w20 adam 100": dict(model="dnn", window=20, epochs=100),
    "dnn w20 adam 300": dict(model="dnn", window=20, epochs=300),
    "dnn w40 adam 200": dict(model="dnn", window=40, epochs=200),
    "linear w20 adam 200": dict(model="linear", window=20, epochs=200),
    "gru w30 adam 100": dict(model="gru", window=30, epochs=100),
    "lstm w30 adam 100": dict(model="lstm", window=30, epochs=100),
    "deep_rnn_dense w30 adam 100": dict(model="deep_rnn_dense", window=30, epochs=100),
    "conv_lstm w30 huber adam 200": dict(model="conv_lstm", window=30, epochs=200, loss="huber"),
    "wavenet w64 adam 100": dict(model="wavenet", window=64, epochs=100),
    # With last year's values around the same date as a second input channel.
    "linear w20 +last_year": dict(model="linear", window=20, epochs=200, last_year=True),
    "dnn w20 +last_year": dict(model="dnn", window=20, epochs=200, last_year=True),
    "gru w20 +last_year": dict(model="gru", window=20, epochs=100, last_year=True),
    "gru w20 huber +last_year": dict(
        model="gru", window=20, epochs=100, loss="huber", last_year=True
    ),
    "lstm w20 +last_year": dict(model="lstm", window=20, epochs=100, last_year=True),
}


def one_step_mae(settings: dict, split: int, end: int | None = None) -> float:
    """Train on the steps before ``split``; one-step MAE from ``split`` to ``end`` (the end)."""
    settings = dict(settings)
    lead = LAST_YEAR_LEAD if settings.pop("last_year", False) else None
    frame, covariates = course_frame(lead)
    forecaster = Forecaster(horizon=1, patience=None, verbose=0, **settings)
    forecaster.fit(frame.loc[: split - 1], covariates=covariates)
    scored_part = frame if end is None else frame.loc[: end - 1]  # labels are time steps
    scored = forecaster.backtest(scored_part, start=split, compare=False)
    return float(scored.scores["MAE"].iloc[0])


def main() -> None:
    results = {}
    for name, settings in CANDIDATES.items():
        started = time.perf_counter()
        results[name] = one_step_mae(settings, INNER_SPLIT, COURSE_SPLIT)
        print(f"{name:<32} inner MAE {results[name]:.4f}  ({time.perf_counter() - started:.1f} s)")
    best = min(results, key=results.get)
    final = one_step_mae(CANDIDATES[best], COURSE_SPLIT)
    print(f"chosen: {best}; trained on [:1000], MAE on [1000:] = {final:.4f}")
    print("for comparison, every candidate on [1000:] (not used to choose):")
    for name, settings in CANDIDATES.items():
        print(f"  {name:<32} {one_step_mae(settings, COURSE_SPLIT):.4f}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
