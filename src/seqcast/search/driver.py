"""The driver: Optuna's seeded study run until the trials or the budget run out.

:func:`run_study` starts from the given points, then lets the seeded TPE
sampler draw, pruning with :class:`~seqcast.search.pruning.SameTransformMedianPruner`,
under one progress bar. A trial that cannot train is a failed trial (the
leaderboard says why), not the end of the search; Optuna's own log of it (a
warning with a traceback) is kept off the terminal. :func:`nothing_finished`
is the sentence for a search none of whose trials finished.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import optuna

from seqcast.errors import SeqcastError
from seqcast.search.pruning import SameTransformMedianPruner

__all__ = ["nothing_finished", "run_study"]

# Optuna logs every trial at INFO; the progress bar and the leaderboard say it instead.
optuna.logging.set_verbosity(optuna.logging.WARNING)


def run_study(
    objective: Callable[[optuna.Trial], float],
    starts: list[dict[str, Any]],
    *,
    seed: int,
    trials: int | None,
    budget: float | None,
    verbose: int,
) -> optuna.Study:
    """The study of ``objective``: ``starts`` first, then TPE's draws, until ``trials`` or
    ``budget`` (seconds) run out, whichever comes first."""
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(
        direction="minimize", sampler=sampler, pruner=SameTransformMedianPruner()
    )
    for start in starts:
        study.enqueue_trial(start, skip_if_exists=True)
    with _SearchProgress(trials, budget, verbose) as progress, _failures_unlogged():
        study.optimize(
            objective,
            n_trials=trials,
            timeout=budget,
            # a configuration that cannot train here is a failed trial, not the end of the
            # search; if all fail, nothing_finished says why the first did
            catch=(Exception,),
            callbacks=[progress.update],
        )
    return study


def nothing_finished(study: optuna.Study) -> SeqcastError:
    """The error of a search none of whose trials finished, with the first failure's reason."""
    failed = [t for t in study.trials if t.state == optuna.trial.TrialState.FAIL]
    reason = failed[0].user_attrs.get("error", "") if failed else ""
    return SeqcastError(
        f"no trial of the search finished ({len(study.trials)} tried"
        + (f"; the first failed with {reason}" if reason else "")
        + "); give a longer budget, more trials, or more data"
    )


@contextlib.contextmanager
def _failures_unlogged() -> Iterator[None]:
    """Optuna's warnings of failed trials (each with its traceback) held back for the block.

    The leaderboard gives each failed trial's reason in one line instead.
    """
    before = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    try:
        yield
    finally:
        optuna.logging.set_verbosity(before)


class _SearchProgress:
    """One bar over the search: a tick per trial with ``trials``, else the budget's seconds."""

    def __init__(self, trials: int | None, budget: float | None, verbose: int):
        from tqdm.auto import tqdm  # as the trainer's bars

        self.by_trials = trials is not None
        total = trials if self.by_trials else round(budget or 0)
        self.started = time.perf_counter()
        self.bar = tqdm(
            total=total,
            desc="auto search",
            unit="trial" if self.by_trials else "s",
            disable=not verbose,
            dynamic_ncols=True,
        )

    def update(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        if self.by_trials:
            self.bar.update(1)
        else:
            elapsed = min(self.bar.total, round(time.perf_counter() - self.started))
            self.bar.update(max(0, elapsed - self.bar.n))
        finished = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
        if finished:
            best = min(finished, key=lambda t: t.value)
            self.bar.set_postfix_str(f"best MAE {best.value:.4g} ({best.params['model']})")

    def __enter__(self) -> _SearchProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()
