"""One series' chosen columns typed and repaired on a regular index: a SeriesData.

The last stage of reading, run on each series once its columns are chosen
(:mod:`seqcast.data.choose`): the target and numeric covariates become
float64 (:func:`~seqcast.data.columns.as_float`), text covariates their
categories; repeated dates are merged and missing ones filled as the user
asked (:mod:`seqcast.data.repair`); the dates are checked evenly spaced and
their frequency found (:mod:`seqcast.data.frequency`). One series and each
series of a panel go through :func:`checked_series` alike.

>>> days = pd.date_range("2024-01-01", periods=3, freq="D")
>>> data = checked_series(pd.DataFrame({"y": [1, 2, 3]}, index=days), "y", (), None)
>>> data.freq, data.frame["y"].tolist()
('D', [1.0, 2.0, 3.0])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from seqcast.data.choose import check_columns, unique_columns
from seqcast.data.columns import as_float, as_text, check_finite, check_some_values, text_columns
from seqcast.data.frequency import Spacings
from seqcast.data.load import read_notes
from seqcast.data.repair import fill_missing, merge_duplicates
from seqcast.data.series_data import SeriesData
from seqcast.errors import SeqcastError

__all__ = ["MIN_POINTS", "checked_series", "regular_series"]

MIN_POINTS = 3  # pd.infer_freq needs three dates, and a forecaster needs something to learn


def checked_series(
    frame: pd.DataFrame,
    target: str,
    covariates: tuple[str, ...],
    categorical: Sequence[str] | None,
    *,
    freq: str | None = None,
    fill: str = "none",
    duplicates: str = "error",
    columns_checked: bool = True,
    typed: bool = False,
    spacings: Spacings | None = None,
) -> SeriesData:
    """``frame``'s target and covariates, typed, repaired and on a regular index.

    ``frame`` is indexed by dates or whole-number steps, its columns chosen
    (and checked, unless ``columns_checked`` is False: one series of a panel);
    it is not modified. ``categorical`` names the text covariates (None: those
    mostly of text); ``freq``, ``fill`` and ``duplicates`` are
    :func:`~seqcast.data.series.prepare_series`' own. A ``typed`` frame's
    columns were typed and screened clear of every problem with the other
    series of its panel (:mod:`seqcast.data.screen`): only its spacing is
    left, found once per set of labels that ``spacings`` has seen.
    """
    if typed:
        text = tuple(categorical or ())
        return regular_series(
            frame, target, covariates, text, freq=freq, fill=fill, spacings=spacings
        )
    if not columns_checked:
        unique_columns(frame)
        check_columns(frame, target, covariates)
    index = _dates_filled_in(frame.index)
    _check_enough_points(len(frame))
    text = text_columns(frame, covariates, categorical, index)
    columns: dict[str, np.ndarray] = {}
    for name in (target, *covariates):
        if name in text:
            columns[name] = as_text(frame[name]).to_numpy(dtype=object)
        else:
            columns[name] = as_float(frame[name], name, index)
    clean, notes = merge_duplicates(pd.DataFrame(columns, index=index), duplicates)
    # Rows on repeated dates become one point each: three rows of one date are one point.
    _check_enough_points(len(clean), rows=len(frame))
    notes = [*read_notes(frame), *notes]
    return regular_series(clean, target, covariates, text, freq=freq, fill=fill, notes=notes)


def regular_series(
    clean: pd.DataFrame,
    target: str,
    covariates: tuple[str, ...],
    text: tuple[str, ...],
    *,
    freq: str | None = None,
    fill: str = "none",
    notes: Sequence[str] = (),
    spacings: Spacings | None = None,
) -> SeriesData:
    """Typed columns, one row per label: checked finite, on their regular index (filled).

    The second half of :func:`checked_series`, which a panel's series whose
    columns were typed all at once (:mod:`seqcast.data.screen`) start from;
    ``spacings`` remembers the indexes of the series before (they often share
    their dates).
    """
    _check_numbers(clean, text, fill)
    spacings = spacings or Spacings()
    notes = list(notes)
    filled = None
    if fill == "none":
        index, freq = spacings.regular(clean.index, freq)
        clean = clean.set_axis(index)
    else:
        full, freq = spacings.full(clean.index, freq)
        clean, filled = fill_missing(clean, full, fill)
        count = int(filled.any(axis=1).sum())
        if count:
            notes.append(f"filled {count} missing point{'s' if count > 1 else ''} (--fill {fill})")
        check_some_values(clean)
    return SeriesData(
        frame=clean,
        target=target,
        covariates=covariates,
        freq=freq,
        filled=filled,
        notes=tuple(notes),
        categorical=text,
    )


def _check_enough_points(points: int, rows: int | None = None) -> None:
    """Refuse fewer than MIN_POINTS points; ``rows``: how many rows they were before merging."""
    if points >= MIN_POINTS:
        return
    what = f"{points} point{'s' if points != 1 else ''}"
    if rows is not None and rows != points:
        what = f"{what} (from {rows} rows) after merging the rows that repeat a date"
    raise SeqcastError(
        f"the series has {what}, too few to forecast; "
        f"give at least {MIN_POINTS} (many more for a neural network)"
    )


def _dates_filled_in(index: pd.Index) -> pd.Index:
    """The index, refused where a date is missing (a pandas index may hold NaT)."""
    if isinstance(index, pd.DatetimeIndex) and index.hasnans:
        pos = int(np.argmax(index.isna()))
        raise SeqcastError(f"the date in row {pos + 1} is empty; fill it in or drop that row")
    return index


def _check_numbers(clean: pd.DataFrame, text: tuple[str, ...], fill: str) -> None:
    """Refuse missing and infinite numbers; with ``fill``, blanks are filled like missing dates."""
    for name in clean.columns:
        if name in text:
            continue
        values = clean[name].to_numpy(dtype="float64")
        # With fill, blank values are filled like missing dates; infinities never are.
        check_finite(
            values if fill == "none" else np.where(np.isnan(values), 0.0, values),
            name,
            clean.index,
        )
