"""A backtest as text: what ``print(backtest)`` shows, for one series or many.

>>> skipped_and_unscored({"sarima": "too little history"}, unscored=2)
['(skipped sarima: too little history)', '(not scored: 2 forecast values whose actual value was filled in, not observed)']
"""  # noqa: E501

from __future__ import annotations

from typing import TYPE_CHECKING

from seqcast.data.dates import label

if TYPE_CHECKING:
    from seqcast.backtesting.result import Backtest


def describe(backtest: Backtest) -> str:
    """The summary of ``backtest``: its span, the score table, the winner, the notes."""
    lines = _many_series(backtest) if backtest.many else _one_series(backtest)
    lines += skipped_and_unscored(backtest.skipped, backtest.unscored)
    return "\n".join(lines)


def _scores_table(backtest: Backtest) -> str:
    return backtest.scores.to_string(float_format=lambda v: f"{v:.4g}")


def _one_series(backtest: Backtest) -> list[str]:
    origins = backtest.origins
    first, last = label(origins[0]), label(origins[-1])
    return [
        f"backtest: {len(origins)} origins from {first} to {last}, horizon "
        f"{backtest.horizon}, season {backtest.season}; lower is better",
        _scores_table(backtest),
        f"best by MAE: {backtest.winner()}",
    ]


def _many_series(backtest: Backtest) -> list[str]:
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
    missing = int(mase.isna().sum())
    if missing:
        lines.append(
            f"(no MASE for {missing} series whose fit part is constant: left out of the mean)"
        )
    return lines


def skipped_and_unscored(skipped: dict[str, str], unscored: int) -> list[str]:
    """The closing lines of a printed backtest: baselines that did not run, values not scored."""
    lines = [f"(skipped {name}: {why})" for name, why in skipped.items()]
    if unscored:
        lines.append(
            f"(not scored: {unscored} forecast value{'s' if unscored > 1 else ''} "
            "whose actual value was filled in, not observed)"
        )
    return lines
