"""``--model auto``: an Optuna search over the zoo, chosen on the validation part only.

:class:`ModelSearch` tries configurations of a :class:`~seqcast.forecaster.Forecaster`
(model, window, transform, loss, learning rate, dropout) with Optuna's seeded
TPE sampler, prunes the poor ones on their per-epoch validation MAE, refits
the best few as the ensembles that will be saved, and keeps the one whose
ensemble validates best (``ModelSearch._finalists``).

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

>>> window_candidates(season=11, default=22, room=200)
[5, 11, 22, 33]
>>> window_candidates(season=1, default=30, room=40)
[15, 30]
>>> [t.name for t in transforms(12)][:3]
['level', 'difference 1', 'difference 12']
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import optuna
import pandas as pd

from seqcast.checks import column_names, duration, optional_positive_int, positive_int
from seqcast.choices import SCALERS, SEARCH_LOSSES, SEARCH_MODELS
from seqcast.data.frequency import season_of
from seqcast.data.panel import Panel, read_panel
from seqcast.data.read import read_table
from seqcast.data.series import read_series
from seqcast.data.transform import training_end
from seqcast.errors import SeqcastError
from seqcast.forecaster import Forecaster
from seqcast.models import get_entry

# Optuna logs every trial at INFO; the progress bar and the leaderboard say it instead.
optuna.logging.set_verbosity(optuna.logging.WARNING)

#: The learning rates tried (Adam), drawn log-uniformly.
LEARNING_RATES = (1e-4, 1e-2)
#: The best configurations refitted as ensembles, the best of which is kept.
FINALISTS = 3
#: Adam's default rate: that of the first trials (``ModelSearch._starting_points``).
DEFAULT_LEARNING_RATE = 1e-3
#: The recurrent dropout tried, for the models that take it (ZooEntry.takes_dropout).
DROPOUTS = (0.0, 0.3)
#: The shortest window tried (conv_gru's front end reads 4 steps).
MIN_WINDOW = 4
#: Training windows the training part must hold at the longest window tried.
MIN_TRAINING_WINDOWS = 16
#: A trial is pruned only after this many finished trials of its transform...
PRUNE_AFTER_TRIALS = 4
#: ...and only from this epoch on (the first epochs of every model are poor).
PRUNE_AFTER_EPOCHS = 5
#: The leaderboard's columns, in order.
COLUMNS = (
    "trial",
    "model",
    "window",
    "transform",
    "loss",
    "learning_rate",
    "dropout",
    "val_mae",
    "ensemble_val_mae",
    "epochs",
    "seconds",
    "state",
)


@dataclass(frozen=True)
class Transform:
    """A way to present the series to the network: a Forecaster's ``scaler`` and ``difference``."""

    name: str
    scaler: str | None
    difference: int | None


def transforms(season: int) -> list[Transform]:
    """The transforms tried: the level, its change, its seasonal change, window scaling.

    The seasonal change only with a season (> 1); window scaling only where
    the Forecaster has it (``"window"`` in :data:`seqcast.choices.SCALERS`).
    """
    found = [Transform("level", "standard", None), Transform("difference 1", "standard", 1)]
    if season > 1:
        found.append(Transform(f"difference {season}", "standard", season))
    if "window" in SCALERS:
        found.append(Transform("window scaling", "window", None))
    return found


def window_candidates(season: int, default: int, room: int) -> list[int]:
    """The windows tried: fractions and multiples of the season and ``default``, if they fit.

    Without a season (1): half, once and twice ``default``. ``room`` is the
    longest window the training part leaves room for; when none fits, the
    shortest is kept and the Forecaster says why it cannot train.
    """
    if season > 1:
        wanted = {season // 4, season // 2, season, 2 * season, 3 * season, default}
    else:
        wanted = {default // 2, default, 2 * default}
    wanted = {w for w in wanted if w >= MIN_WINDOW}
    return sorted(w for w in wanted if w <= room) or [min(wanted)]


class _SameTransformMedianPruner(optuna.pruners.BasePruner):
    """Prune a trial whose best validation MAE so far is worse than the median of its peers'.

    Its peers are the finished trials of the same transform (their best up to
    the same epoch), since only those report MAEs in the same scaled units.
    """

    def prune(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> bool:
        step = trial.last_step
        if step is None or step < PRUNE_AFTER_EPOCHS:
            return False
        transform = trial.params.get("transform")
        peers = [
            min(v for s, v in t.intermediate_values.items() if s <= step)
            for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
            if t.params.get("transform") == transform
            and any(s <= step for s in t.intermediate_values)
        ]
        if len(peers) < PRUNE_AFTER_TRIALS:
            return False
        values = [v for v in trial.intermediate_values.values() if math.isfinite(v)]
        return not values or min(values) > float(np.median(peers))


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
    1), ``leaderboard_`` (a DataFrame, one row per trial, best first),
    ``best_forecaster_`` (fitted, with the leaderboard in its ``search_``,
    saved with it) and ``study_`` (Optuna's).

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
        fill: str = "none",
        duplicates: str = "error",
    ) -> ModelSearch:
        """Search on ``data`` (as ``Forecaster.fit`` takes it), validating on ``valid``; self.

        ``valid`` is needed: the trials are compared on it. Give ``data``
        without its test part; nothing after its end is read. Many series
        (``id_column``, ``targets``, or a Panel) are searched for one global
        model; series in other units cannot add their MAEs, so the trials are
        compared on their validation WAPE (``Forecaster.validation_wape``).
        """
        budget = self._check_params()
        if valid is None:
            raise SeqcastError(
                "the search compares models on a validation part; give valid= (a fraction "
                "such as 0.2, or the first validation date)"
            )
        covariates, known = column_names(covariates), column_names(known_covariates)
        many = id_column is not None or targets is not None or isinstance(data, Panel)
        if many:  # read once: every trial fits the same checked panel
            frame = read_panel(
                data,
                target,
                [*covariates, *known],
                id_column=id_column,
                targets=targets,
                static=static,
                date_column=date_column,
                date_format=date_format,
                sep=sep,
                decimal=decimal,
                freq=freq,
                fill=fill,
                duplicates=duplicates,
            )
            parts = list(frame)
        else:
            frame = read_table(
                data, date_column=date_column, date_format=date_format, sep=sep, decimal=decimal
            )
            parts = [
                read_series(
                    frame,
                    target,
                    [*covariates, *known],
                    freq=freq,
                    fill=fill,
                    duplicates=duplicates,
                )
            ]
        fit_args = {
            "target": parts[0].target,
            "covariates": covariates,
            "valid": valid,
            "known_covariates": known,
            "date_format": date_format,
            "freq": freq,
            "fill": fill,
            "duplicates": duplicates,
            **({"static": column_names(static)} if many else {}),
        }
        season = self.season or season_of(parts[0].freq)
        space = transforms(season)
        # the windows must fit the shortest training part
        n_train = min(training_end(part.frame.index, valid) for part in parts)
        room = n_train - max(t.difference or 0 for t in space) - self.horizon - MIN_TRAINING_WINDOWS
        windows = list(self.windows or window_candidates(season, self.window, room))
        kept: dict[str, Any] = {}  # the best trial's fitted forecaster
        tried: dict[int, dict[str, Any]] = {}  # each trial's Forecaster settings

        def objective(trial: optuna.Trial) -> float:
            settings = tried[trial.number] = self._suggest(trial, windows, space)
            forecaster = Forecaster(**settings, **self._training())

            def report(epoch: int, val_mae: float) -> bool:
                trial.report(val_mae, epoch)
                return trial.should_prune()

            started = time.perf_counter()
            try:
                forecaster.fit(frame, **fit_args, report=report)
            except Exception as err:
                trial.set_user_attr("error", f"{type(err).__name__}: {err}")
                raise
            finally:
                trial.set_user_attr("seconds", time.perf_counter() - started)
            trial.set_user_attr("epochs", len(forecaster.history_.get("loss", [])))
            if forecaster.stopped_by_report_:
                raise optuna.TrialPruned()
            mae = validation_score(forecaster)
            if not math.isfinite(mae):
                raise SeqcastError(f"the training diverged (validation MAE {mae})")
            if "mae" not in kept or mae < kept["mae"]:
                kept.update(mae=mae, forecaster=forecaster)
            return mae

        sampler = optuna.samplers.TPESampler(seed=self.seed)
        study = optuna.create_study(
            direction="minimize", sampler=sampler, pruner=_SameTransformMedianPruner()
        )
        for start in self._starting_points(windows, space):
            study.enqueue_trial(start, skip_if_exists=True)
        with _SearchProgress(self.trials, budget, self.verbose) as progress:
            study.optimize(
                objective,
                n_trials=self.trials,
                timeout=budget,
                # a configuration that cannot train here (too long a window...) is a failed
                # trial, not the end of the search; if all fail, the first error is raised below
                catch=(Exception,),
                callbacks=[progress.update],
            )
        self.study_ = study
        if "forecaster" not in kept:
            failed = [t for t in study.trials if t.state == optuna.trial.TrialState.FAIL]
            reason = failed[0].user_attrs.get("error", "") if failed else ""
            raise SeqcastError(
                f"no trial of the search finished ({len(study.trials)} tried"
                + (f"; the first failed with {reason}" if reason else "")
                + "); give a longer budget, more trials, or more data"
            )
        if self.ensemble > 1:
            chosen, best, scores = self._finalists(study, tried, frame, fit_args)
        else:
            chosen, best, scores = study.best_trial, kept["forecaster"], {}
            scores[chosen.number] = float(chosen.value)
        self.leaderboard_ = leaderboard(study, scores if self.ensemble > 1 else {})
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
        return self

    def _finalists(
        self, study: optuna.Study, tried: dict[int, dict[str, Any]], frame: Any, fit_args: dict
    ) -> tuple[optuna.trial.FrozenTrial, Forecaster, dict[int, float]]:
        """The chosen trial, its fitted ensemble and the finalists' ensemble validation MAEs.

        The best single trial of a hundred is partly the luckiest seed (its
        validation MAE is biased low: the winner's curse), and what is saved
        is an ensemble. So the :data:`FINALISTS` best configurations are each
        fitted as the ensemble that will be saved, and the one whose
        ensemble validates best is chosen: on the validation part still.
        """
        from tqdm.auto import tqdm  # as the search's own bar

        done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
        finalists = sorted(done, key=lambda t: (t.value, t.number))[:FINALISTS]
        scores, fitted = {}, {}
        for trial in tqdm(finalists, desc="finalists", unit="ensemble", disable=not self.verbose):
            settings = {**tried[trial.number], **self._training(), "ensemble": self.ensemble}
            fitted[trial.number] = Forecaster(**settings).fit(frame, **fit_args)
            scores[trial.number] = validation_score(fitted[trial.number])
        chosen = min(finalists, key=lambda t: (scores[t.number], t.number))
        return chosen, fitted[chosen.number], scores

    def _suggest(
        self, trial: optuna.Trial, windows: list[int], space: list[Transform]
    ) -> dict[str, Any]:
        """The Forecaster settings of one trial, drawn from the search space."""
        model = trial.suggest_categorical("model", list(self.models))
        window = trial.suggest_categorical("window", windows)
        by_name = {t.name: t for t in space}
        transform = by_name[trial.suggest_categorical("transform", list(by_name))]
        loss = trial.suggest_categorical("loss", list(SEARCH_LOSSES))
        rate = trial.suggest_float("learning_rate", *LEARNING_RATES, log=True)
        dropout = 0.0
        if get_entry(model).takes_dropout:
            dropout = trial.suggest_float("dropout", *DROPOUTS)
        return {
            "model": model,
            "window": window,
            "scaler": transform.scaler,
            "difference": transform.difference,
            "loss": loss,
            "learning_rate": rate,
            "dropout": dropout,
        }

    def _starting_points(self, windows: list[int], space: list[Transform]) -> list[dict]:
        """The first trials: seqcast's defaults, under each transform a user would try first.

        The first model searched (gru by default), the window closest to
        ``window``, MSE and Adam's default rate, on the level, window-scaled
        and seasonally differenced (or differenced once, without a season):
        what one would fit by hand, so the search
        never ends worse on validation than these, and TPE starts from
        points known to train.
        """
        model = "gru" if "gru" in self.models else self.models[0]
        window = min(windows, key=lambda w: (abs(w - self.window), w))
        names = [t.name for t in space]
        differences = [n for n in names if n.startswith("difference ")]
        wanted = ["level", "window scaling", differences[-1] if differences else None]
        starts = []
        for name in (n for n in wanted if n in names):
            start = {"model": model, "window": window, "transform": name, "loss": "mse"}
            start["learning_rate"] = DEFAULT_LEARNING_RATE
            if get_entry(model).takes_dropout:
                start["dropout"] = 0.0
            starts.append(start)
        return starts

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


def validation_score(forecaster: Forecaster) -> float:
    """How a trial is compared: its validation MAE in the data's units, or for many series
    (whose units differ) its validation WAPE, a fraction of their values.

    >>> class Fitted:
    ...     residuals_ = np.array([[1.0, -3.0]])
    >>> validation_score(Fitted())
    2.0
    """
    if isinstance(forecaster.residuals_, dict):
        return float(forecaster.validation_wape())
    return float(np.abs(forecaster.residuals_).mean())


def leaderboard(study: optuna.Study, ensembles: dict[int, float] | None = None) -> pd.DataFrame:
    """One row per trial of ``study``, finished ones first from the lowest validation MAE.

    ``val_mae`` is empty for pruned and failed trials; ``ensemble_val_mae``
    is the validation MAE of a finalist's ensemble (``ensembles``, by trial
    number), empty for the others; ``epochs`` is how many ran (for a
    pruned trial, until it was pruned).
    """
    ensembles = ensembles or {}
    states = {
        optuna.trial.TrialState.COMPLETE: "complete",
        optuna.trial.TrialState.PRUNED: "pruned",
        optuna.trial.TrialState.FAIL: "failed",
    }
    rows = []
    for trial in study.trials:
        if trial.state == optuna.trial.TrialState.WAITING:
            continue  # a starting point the budget left no time for
        params = trial.params
        complete = trial.state == optuna.trial.TrialState.COMPLETE
        rows.append(
            {
                "trial": trial.number,
                "model": params.get("model"),
                "window": params.get("window"),
                "transform": params.get("transform"),
                "loss": params.get("loss"),
                "learning_rate": params.get("learning_rate"),
                "dropout": params.get("dropout", 0.0),
                "val_mae": float(trial.value) if complete else None,
                "ensemble_val_mae": ensembles.get(trial.number),
                "epochs": trial.user_attrs.get("epochs"),
                "seconds": trial.user_attrs.get("seconds"),
                "state": states.get(trial.state, trial.state.name.lower()),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.sort_values(["val_mae", "trial"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The leaderboard's rows as JSON-able dicts, a missing value as None (not NaN)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    for row in rows:
        row["epochs"] = None if row["epochs"] is None else int(row["epochs"])
    return rows


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
