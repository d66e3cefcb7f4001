"""``--model auto``: an Optuna search over the zoo, chosen on the validation part only.

:class:`ModelSearch` tries configurations of a :class:`~seqcast.forecaster.Forecaster`
(model, window, transform, loss, learning rate, dropout) with Optuna's seeded
TPE sampler, prunes the poor ones on their per-epoch validation MAE, refits
the best few as the ensembles that will be saved, and keeps the one whose
ensemble validates best (:mod:`seqcast.search.finalists`).

What it sees: exactly what ``Forecaster.fit`` sees. Each trial is
``Forecaster(...).fit(data, valid=valid)``: it trains on the part before
``valid`` and stops early on the validation part. A trial's score is its
validation MAE in the data's units, the mean absolute value of its
validation residuals (``Forecaster.residuals_``: every origin of the
validation part, every horizon step, levels also when the model forecasts
differences), the same figure ``seqcast fit`` prints. Nothing after the end
of ``data`` is read, so a test part kept out of ``data`` (``seqcast fit
--test-from``, a built-in dataset's test part) is never seen.

Pruning compares a trial with the finished trials of the same transform
only: the per-epoch MAE is in the model's scaled units, which differ
between the level, its differences and window-scaled values.

With ``trials`` (and a budget that does not run out first) the same seed on
the same data and machine gives the same leaderboard; a time budget ends
the search at a moment that depends on the machine's speed and load.

The search in steps, each a module of this package: the data read once
(:mod:`~seqcast.search.inputs`), the search space cut to what that data can
hold (:mod:`~seqcast.search.space`), one trial (:mod:`~seqcast.search.objective`,
pruned by :mod:`~seqcast.search.pruning`), the study run to its budget
(:mod:`~seqcast.search.driver`), the finalists refitted
(:mod:`~seqcast.search.finalists`) and the leaderboard
(:mod:`~seqcast.search.leaderboard`).

>>> window_candidates(season=11, default=22, room=200)
[5, 11, 22, 33]
>>> window_candidates(season=1, default=30, room=40)
[15, 30]
>>> [t.name for t in transforms(12)][:3]
['level', 'difference 1', 'difference 12']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from seqcast.checks import duration, optional_positive_int, positive_int
from seqcast.choices import SEARCH_MODELS
from seqcast.data.frequency import season_of
from seqcast.data.options import ReadOptions
from seqcast.errors import SeqcastError
from seqcast.models import get_entry
from seqcast.search.driver import nothing_finished, run_study
from seqcast.search.finalists import FINALISTS, Choice, best_trial, refit_finalists
from seqcast.search.inputs import SearchData, read_once, require_validation
from seqcast.search.leaderboard import COLUMNS, leaderboard, records
from seqcast.search.objective import Objective, validation_score
from seqcast.search.pruning import (
    PRUNE_AFTER_EPOCHS,
    PRUNE_AFTER_TRIALS,
    SameTransformMedianPruner,
)
from seqcast.search.space import (
    DEFAULT_LEARNING_RATE,
    DROPOUTS,
    LEARNING_RATES,
    MIN_TRAINING_WINDOWS,
    MIN_WINDOW,
    SearchSpace,
    Transform,
    search_space,
    transforms,
    window_candidates,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_LEARNING_RATE",
    "DROPOUTS",
    "FINALISTS",
    "LEARNING_RATES",
    "MIN_TRAINING_WINDOWS",
    "MIN_WINDOW",
    "PRUNE_AFTER_EPOCHS",
    "PRUNE_AFTER_TRIALS",
    "ModelSearch",
    "SearchSpace",
    "Transform",
    "leaderboard",
    "records",
    "transforms",
    "validation_score",
    "window_candidates",
]

#: The pruner's name before the search became a package.
_SameTransformMedianPruner = SameTransformMedianPruner


class ModelSearch:
    """Choose a Forecaster's model and settings on the validation part, with Optuna.

    Args:
        horizon: values forecast at once (not searched).
        window: the window the candidates are built around where the
            series has no season (and one of them where it has).
        windows: the windows to try instead (e.g. ``[24]`` to fix it).
        season: the seasonal period in steps (default: from the frequency
            of the dates; 1 for none).
        models: the zoo models tried (default :data:`seqcast.choices.SEARCH_MODELS`).
        budget: stop starting trials after this long: seconds, or text
            such as ``"90s"``, ``"5m"``, ``"1h"``; None for no limit.
        trials: stop after this many trials (None: until the budget).
        epochs, patience, batch_size: each trial's training, as the Forecaster's.
        ensemble: members of the saved model. With more than one, the
            :data:`FINALISTS` best configurations are refitted as ensembles
            and the best on validation is kept; with one, the best trial.
        seed: seeds the sampler and every trial's Forecaster.
        verbose: 1 shows a progress bar over the trials (or the budget).

    After ``fit``: ``best_params_`` (the chosen point of the search space),
    ``best_score_`` (its validation MAE: its ensemble's, with ``ensemble`` >
    1), ``leaderboard_`` (a DataFrame, one row per trial, best first, a
    pruned or failed one with its ``reason``), ``best_forecaster_`` (fitted,
    with the leaderboard in its ``search_``, saved with it) and ``study_``
    (Optuna's).

    >>> import numpy as np, pandas as pd
    >>> days = pd.date_range("2024-01-01", periods=160, freq="D")
    >>> sales = pd.Series(10 + np.sin(np.arange(160) / 3), index=days, name="sales")
    >>> search = ModelSearch(models=["linear"], trials=2, epochs=2, verbose=0)
    >>> search = search.fit(sales, valid=0.25)
    >>> len(search.leaderboard_), search.best_params_["model"]
    (2, 'linear')
    >>> search.best_forecaster_.predict().shape
    (1, 1)
    """

    def __init__(
        self,
        *,
        horizon: int = 1,
        window: int = 30,
        windows: Sequence[int] | None = None,
        season: int | None = None,
        models: Sequence[str] = SEARCH_MODELS,
        budget: float | str | None = "5m",
        trials: int | None = None,
        epochs: int = 100,
        patience: int = 10,
        batch_size: int = 32,
        ensemble: int = 5,
        seed: int = 42,
        verbose: int = 1,
    ):
        self.horizon = horizon
        self.window = window
        self.windows = windows
        self.season = season
        self.models = models
        self.budget = budget
        self.trials = trials
        self.epochs = epochs
        self.patience = patience
        self.batch_size = batch_size
        self.ensemble = ensemble
        self.seed = seed
        self.verbose = verbose

    def fit(
        self,
        data: Any,
        target: str | None = None,
        covariates: Sequence[str] = (),
        valid: float | str | pd.Timestamp | int = 0.2,
        date_column: str | None = None,
        known_covariates: Sequence[str] = (),
        *,
        id_column: str | None = None,
        targets: Sequence[str] | str | None = None,
        static: Sequence[str] = (),
        date_format: str | None = None,
        sep: str | None = None,
        decimal: str | None = None,
        freq: str | None = None,
        fill: str | None = None,
        duplicates: str | None = None,
        options: ReadOptions | None = None,
    ) -> ModelSearch:
        """Search on ``data`` (as ``Forecaster.fit`` takes it), validating on ``valid``; self.

        ``valid`` is needed: the trials are compared on it. Give ``data``
        without its test part; nothing after its end is read. Many series
        (``id_column``, ``targets``, or a Panel) are searched for one global
        model; series in other units cannot add their MAEs, so the trials are
        compared on their validation WAPE (``Forecaster.validation_wape``).
        How the table is read: ``options``, with the reading keywords given
        put over it (``fill`` "none" and ``duplicates`` "error" where not said).
        """
        budget = self._check_params()
        require_validation(valid)
        reading = ReadOptions.of(
            options,
            date_column=date_column,
            date_format=date_format,
            sep=sep,
            decimal=decimal,
            freq=freq,
            fill=fill,
            duplicates=duplicates,
        )
        searched = read_once(
            data, target, covariates, known_covariates, valid, reading,
            id_column=id_column, targets=targets, static=static,
        )  # fmt: skip
        season = self.season or season_of(searched.freq)
        space = self._space(season, searched)
        objective = Objective(space, self._training(), searched.frame, searched.fit_args)
        self.study_ = run_study(
            objective,
            objective.space.starting_points(self.window),
            seed=self.seed,
            trials=self.trials,
            budget=budget,
            verbose=self.verbose,
        )
        self._keep(self._choose(objective), season, budget, searched.many)
        return self

    def _check_params(self) -> float | None:
        """Check the settings; the budget in seconds (None: no limit)."""
        for name in ("horizon", "window", "epochs", "patience", "batch_size", "ensemble"):
            positive_int(getattr(self, name), name)
        optional_positive_int(self.season, "season")
        optional_positive_int(self.trials, "trials")
        for window in self.windows or ():
            positive_int(window, "windows")
        if not self.models:
            raise SeqcastError("models is empty; name at least one zoo model to search over")
        for model in self.models:
            get_entry(model)  # an unknown name fails here, listing the zoo
        if self.budget is None and self.trials is None:
            raise SeqcastError("give the search a budget (e.g. '5m') or a number of trials")
        return None if self.budget is None else duration(self.budget, "budget")

    def _space(self, season: int, searched: SearchData) -> SearchSpace:
        """The space searched: windows and transforms the shortest training part can hold."""
        return search_space(
            self.models,
            season=season,
            window=self.window,
            n_train=searched.n_train,
            horizon=self.horizon,
            windows=self.windows,
        )

    def _training(self) -> dict[str, Any]:
        """The Forecaster settings every trial shares."""
        return {
            "horizon": self.horizon,
            "epochs": self.epochs,
            "patience": self.patience,
            "batch_size": self.batch_size,
            "seed": self.seed,
            "verbose": 0,  # the search's bar, not one per trial
        }

    def _choose(self, objective: Objective) -> Choice:
        """The chosen trial, fitted: the best finalist's ensemble, or the best trial."""
        if objective.best is None:
            raise nothing_finished(self.study_)
        if self.ensemble > 1:
            return refit_finalists(self.study_, objective, self.ensemble, self.verbose)
        return best_trial(self.study_, objective)

    def _keep(self, choice: Choice, season: int, budget: float | None, many: bool) -> None:
        """The fitted attributes, and the search's record in the chosen Forecaster."""
        chosen, best, scores = choice
        self.leaderboard_ = leaderboard(self.study_, scores if self.ensemble > 1 else {})
        self.best_params_ = dict(chosen.params)
        self.best_params_.setdefault("dropout", 0.0)
        self.best_score_ = scores[chosen.number]
        best.set_params(verbose=self.verbose)  # trials ran silent
        best.search_ = {
            "seed": self.seed,
            "budget_seconds": budget,
            "trials": self.trials,
            "season": season,
            "score": (
                "validation WAPE over the series (Forecaster.validation_wape)"
                if many
                else "validation MAE in the data's units (Forecaster.residuals_)"
            ),
            "leaderboard": records(self.leaderboard_),
        }
        self.best_forecaster_ = best
