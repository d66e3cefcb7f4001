"""A backtest as text: what ``print(backtest)`` shows, for one series or many.

>>> skipped_and_unscored({"sarima": "too little history"}, unscored=2)
['(skipped sarima: too little history)', '(not scored: 2 forecast values whose actual value was filled in, not observed)']
"""  # noqa: E501

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

from seqcast.checks import listing
from seqcast.data.dates import label

#: Why a series has no MASE: the in-sample errors that scale it are all zero (a constant
#: history, or one that repeats its season exactly), or there are none (too short).
NO_SCALE = "{whose} history before the start has no seasonal-naive error to scale by"


class BacktestView(Protocol):
    """What the summary reads of a :class:`seqcast.backtesting.result.Backtest`.

    Named here rather than imported, so that the result (which prints itself
    with :func:`describe`) and its text do not import each other.
    """

    scores: pd.DataFrame
    origins: Any
    ids: list[str]
    model_name: str
    season: int
    skipped: dict[str, str]
    unscored: int
    many: bool

    @property
    def horizon(self) -> int: ...

    def winner(self, metric: str | None = None) -> str: ...

    def series_mase(self, method: str | None = None) -> pd.Series: ...

    def series_score(self, column: str, method: str | None = None) -> pd.Series: ...

    def ranked_series(self, method: str | None = None) -> dict[str, str]: ...


def describe(backtest: BacktestView) -> str:
    """The summary of ``backtest``: its span, the score table, the winner, the notes."""
    lines = _many_series(backtest) if backtest.many else _one_series(backtest)
    lines += skipped_and_unscored(backtest.skipped, backtest.unscored)
    return "\n".join(lines)


def _scores_table(backtest: BacktestView) -> str:
    return backtest.scores.to_string(float_format=lambda v: f"{v:.4g}")


def _one_series(backtest: BacktestView) -> list[str]:
    origins = backtest.origins
    first, last = label(origins[0]), label(origins[-1])
    return [
        f"backtest: {len(origins)} origins from {first} to {last}, horizon "
        f"{backtest.horizon}, season {backtest.season}; lower is better",
        _scores_table(backtest),
        f"best by MAE: {backtest.winner()}",
        *_one_series_mase_note(backtest.scores),
    ]


def _one_series_mase_note(scores: pd.DataFrame) -> list[str]:
    """Why the MASE column shows NaN, where it does though the errors were scored."""
    if "MASE" not in scores or not (scores["MASE"].isna() & scores["MAE"].notna()).any():
        return []
    return ["(MASE is NaN: " + NO_SCALE.format(whose="the series'") + ")"]


def _many_series(backtest: BacktestView) -> list[str]:
    counts = [len(at) for at in backtest.origins]
    spread = f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"
    lines = [
        f"panel backtest: {len(backtest.ids)} series, {sum(counts)} origins ({spread} per "
        f"series), horizon {backtest.horizon}, season {backtest.season}; lower is better",
        _scores_table(backtest),
        "MASE: mean over series; MAE, RMSE, sMAPE...: over all forecast values; "
        "WAPE: sum |error| / sum |actual|, %",
        f"best by MASE: {backtest.winner()}",
    ]
    mase = backtest.series_mase()
    picks = backtest.ranked_series()
    if picks:
        named = ", ".join(f"{kind} {name} ({mase[name]:.3g})" for kind, name in picks.items())
        lines.append(f"{backtest.model_name} MASE by series: {named}")
    return [*lines, *_many_series_mase_note(backtest, mase)]


def _many_series_mase_note(backtest: BacktestView, mase: pd.Series) -> list[str]:
    """Which series have no MASE, and why: their errors are scored but cannot be scaled."""
    mae = backtest.series_score("MAE")
    missing = [str(name) for name in mase.index[mase.isna() & mae.notna().to_numpy()]]
    if not missing:
        return []
    whose = "its" if len(missing) == 1 else "their"
    return [
        f"(MASE is NaN for {len(missing)} series ({listing(missing, limit=5)}): "
        f"{NO_SCALE.format(whose=whose)}; left out of the mean)"
    ]


def skipped_and_unscored(skipped: dict[str, str], unscored: int) -> list[str]:
    """The closing lines of a printed backtest: baselines that did not run, values not scored."""
    lines = [f"(skipped {name}: {why})" for name, why in skipped.items()]
    if unscored:
        lines.append(
            f"(not scored: {unscored} forecast value{'s' if unscored > 1 else ''} "
            "whose actual value was filled in, not observed)"
        )
    return lines
