"""From a series' values to what a network reads, and from its outputs back to levels.

A :class:`SeriesTransform` is fitted once on the training part and then
frozen: every later forecast (predict, backtest, the validation residuals)
goes through the same changes, in this order,

0. text covariates become one 0/1 column per category seen by ``fit``
   (:class:`~seqcast.data.categories.Categories`);
1. the covariates known in advance are moved ``horizon`` steps earlier, so
   that a window ending at the forecast origin holds them up to the end of
   the horizon;
2. the target is differenced at lag ``difference`` (a network cannot
   extrapolate a level it never saw in training; its changes it can);
3. every column is scaled (:class:`~seqcast.data.scaling.Scaler`), but for
   the 0/1 category columns, which are left as they are: standard scaling
   would turn a rare category (one day in a hundred) into an input near 10,
   far louder than the others, and 0/1 is already the size of a standardised
   input.

and :meth:`SeriesTransform.to_levels` undoes 3 then 2 on the model's outputs.

>>> values = np.arange(10.0)[:, None] ** 2
>>> transform = SeriesTransform.fit(values, n_train=8, window=3, horizon=2, difference=1)
>>> x = transform.inputs_at(values, np.array([10]))       # the window before the end
>>> x.shape
(1, 3, 1)
>>> changes = np.array([[19.0, 21.0]])                     # t**2 rises by 2 t + 1
>>> scaled = (changes - transform.scaler.offset[0]) / transform.scaler.scale[0]
>>> transform.to_levels(values[:, 0], np.array([10]), scaled).round(6).tolist()
[[100.0, 121.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from seqcast.checks import fraction
from seqcast.data.categories import Categories
from seqcast.data.dates import DateStyle, label, label_position
from seqcast.data.read import read_table
from seqcast.data.scaling import Scaler
from seqcast.data.series import SeriesData
from seqcast.data.windows import windows_ending_at
from seqcast.errors import SeqcastError
from seqcast.spelling import argument


def model_values(
    values: np.ndarray,
    *,
    horizon: int,
    difference: int | None = None,
    known: int = 0,
    future: np.ndarray | None = None,
) -> np.ndarray:
    """What the model reads at each step, unscaled: ``values`` with two changes.

    The target (column 0) is differenced at lag ``difference``, so the result
    has ``difference`` rows fewer; the last ``known`` columns (covariates
    known in advance) are moved ``horizon`` steps earlier. Their last
    ``horizon`` rows come from ``future`` when forecasting past the data, else
    repeat the last value (no training window reads those rows). ``values``
    itself is left as it was.

    >>> values = np.array([[0.0, 10], [1, 11], [4, 12], [9, 13]])
    >>> model_values(values, horizon=2, difference=1, known=1).tolist()
    [[1.0, 13.0], [3.0, 13.0], [5.0, 13.0]]
    """
    values = np.array(values, dtype="float32")
    if known:
        ahead = values[:, -known:].copy()  # a copy: the columns are overwritten below
        if future is not None:
            ahead = np.concatenate([ahead, np.asarray(future).astype("float32")])
        shifted = ahead[horizon : horizon + len(values)]
        values[:, -known:] = values[-1, -known:]
        values[: len(shifted), -known:] = shifted
    lag = difference
    if not lag:
        return values
    changed = values[lag:].copy()
    changed[:, 0] = values[lag:, 0] - values[:-lag, 0]
    return changed


@dataclass(frozen=True)
class SeriesTransform:
    """The fitted mapping values -> model inputs -> levels of one series.

    A forecaster holds one per series, in its
    :class:`~seqcast.data.panel_transform.PanelTransform`.

    ``window`` and ``horizon`` are the forecaster's; ``difference`` the lag of
    the target's differencing (None: the level itself); ``known`` how many of
    the last encoded columns are covariates known in advance; ``scaler`` the
    scaling fitted on the training part's model values; ``categories`` those
    of the text covariates; ``bounds`` the lowest and highest model value of
    each column in the training part, to tell inputs far outside them
    (:meth:`far_outside`), or None (a bundle saved before they were kept).
    """

    window: int
    horizon: int
    difference: int | None
    known: int
    scaler: Scaler
    categories: Categories = field(default_factory=Categories)
    bounds: tuple[tuple[float, ...], tuple[float, ...]] | None = None

    @classmethod
    def fit(
        cls,
        values: np.ndarray | pd.DataFrame,
        n_train: int,
        *,
        window: int,
        horizon: int,
        difference: int | None = None,
        known: int = 0,
        scaler: str | None = "standard",
        categorical: Sequence[str] = (),
        categories: Categories | None = None,
    ) -> SeriesTransform:
        """Fit the scaling on the first ``n_train`` model values (rows after differencing).

        ``values`` is an array of numbers, or a frame (``SeriesData.frame``)
        whose ``categorical`` columns hold text: their categories are those of
        all its rows, the validation part included (a holiday first seen there
        is still a holiday, not an error), unless ``categories`` gives them
        (those of every series of a panel), and ``known`` counts the frame's
        last columns, each text one standing for its categories.

        >>> frame = pd.DataFrame({"y": [1.0, 2, 3, 4], "day": ["W", "A", "W", "U"]})
        >>> transform = SeriesTransform.fit(frame, 3, window=2, horizon=1, categorical=["day"])
        >>> transform.categories.levels, transform.encode(frame).shape, transform.scaler.scale[1:]
        ({'day': ('A', 'U', 'W')}, (4, 4), (1.0, 1.0, 1.0))
        """
        given, categories, one_hot = categories, Categories(), None
        if isinstance(values, pd.DataFrame):
            columns = list(values.columns)
            categories = given if given is not None else Categories.fit(values, categorical)
            known = categories.width(columns[len(columns) - known :]) if known else 0
            one_hot = categories.mask(columns)
            values = categories.encode(values)
        unscaled = model_values(values, horizon=horizon, difference=difference, known=known)
        fitted = Scaler.fit(scaler, unscaled[:n_train])
        if one_hot is not None and one_hot.any():
            offset = np.where(one_hot, 0.0, fitted.offset)
            scale = np.where(one_hot, 1.0, fitted.scale)
            fitted = Scaler(fitted.kind, tuple(map(float, offset)), tuple(map(float, scale)))
        part = unscaled[:n_train]
        bounds = (tuple(map(float, part.min(axis=0))), tuple(map(float, part.max(axis=0))))
        return cls(window, horizon, difference, known, fitted, categories, bounds)

    def encode(self, values: np.ndarray | pd.DataFrame) -> np.ndarray:
        """A frame's values as numbers, text covariates one-hot; an array as it is."""
        if isinstance(values, pd.DataFrame):
            return self.categories.encode(values)
        return values

    @property
    def window_scaled(self) -> bool:
        """Whether the network normalises each input window itself (``scaler="window"``)."""
        return self.scaler.kind == "window"

    def window_scaling(self, columns: Sequence[str]) -> list[int] | None:
        """The encoded columns a window-scaled network normalises, or None without window scaling.

        ``columns`` are the data's (``SeriesData.frame.columns``): every
        numeric column, the target (0) first, but not the 0/1 category ones,
        which stay 0 or 1 as the global scaling leaves them.

        >>> frame = pd.DataFrame({"y": [1.0, 2, 3, 4], "day": ["W", "A", "W", "U"]})
        >>> fitted = SeriesTransform.fit(frame, 3, window=2, horizon=1, categorical=["day"],
        ...                              scaler="window")
        >>> fitted.window_scaling(frame.columns)
        [0]
        """
        if not self.window_scaled:
            return None
        return [int(i) for i in np.flatnonzero(~self.categories.mask(columns))]

    @property
    def lag(self) -> int:
        """The differencing lag, 0 without differencing: data rows before the first model row."""
        return self.difference or 0

    def model_values(
        self, values: np.ndarray | pd.DataFrame, future: np.ndarray | None = None
    ) -> np.ndarray:
        """:func:`model_values` with this transform's settings (not scaled)."""
        return model_values(
            self.encode(values),
            horizon=self.horizon,
            difference=self.difference,
            known=self.known,
            future=future,
        )

    def scaled(
        self, values: np.ndarray | pd.DataFrame, future: np.ndarray | None = None
    ) -> np.ndarray:
        """The scaled model values of ``values``, float32 ``(len(values) - lag, features)``."""
        return self.scaler.transform(self.model_values(values, future))

    def inputs_at(
        self,
        values: np.ndarray | pd.DataFrame,
        origins: np.ndarray,
        future: np.ndarray | None = None,
    ) -> np.ndarray:
        """Scaled input windows ``(len(origins), window, features)`` for forecasts at ``origins``.

        ``origins`` are positions in ``values`` (the data, not its differences):
        the forecast at origin ``t`` reads the window that ends just before ``t``.
        """
        return windows_ending_at(self.scaled(values, future), origins - self.lag, self.window)

    def far_outside(
        self,
        frame: pd.DataFrame,
        origins: np.ndarray,
        future: np.ndarray | None = None,
    ) -> str | None:
        """A warning when the inputs of the forecasts at ``origins`` lie far outside training.

        Far: beyond the lowest or highest value a column had in the training
        part by more than the width of that range (a training range of 90 to
        110 tolerates 70 to 130). A network forecasts near the levels it was
        trained on, so a series now ten times larger gets forecasts near its
        old level. The columns compared are those the model reads: the target
        (its changes, for a differenced model) and the numeric covariates; the
        0/1 category columns cannot stray. None when nothing is far, when
        the transform keeps no bounds (a bundle saved before they were), or
        for window scaling (``scaler="window"``), whose network reads every
        numeric column relative to its own window and so has no level to leave.

        >>> values = np.arange(40.0)[:, None]
        >>> transform = SeriesTransform.fit(values, 30, window=5, horizon=1)
        >>> frame = pd.DataFrame({"y": values[:, 0]})
        >>> transform.far_outside(frame, np.array([40])) is None
        True
        >>> transform.far_outside(10 * frame, np.array([40]))  # doctest: +ELLIPSIS
        "column 'y' goes from 350 to 390 in the inputs, far outside its range from 0 to 29 in ..."
        """
        if self.bounds is None or len(origins) == 0 or self.window_scaled:
            return None
        unscaled = self.model_values(frame, future)
        first = max(0, int(np.min(origins)) - self.lag - self.window)
        rows = unscaled[first : int(np.max(origins)) - self.lag]
        if not len(rows):
            return None
        low, high = (np.asarray(bound) for bound in self.bounds)
        width = high - low
        seen_low, seen_high = rows.min(axis=0), rows.max(axis=0)
        far = (seen_low < low - width) | (seen_high > high + width)
        far &= ~self.categories.mask(frame.columns)
        if not far.any():
            return None
        sources = self.categories.sources(frame.columns)
        column = int(np.argmax(far))
        what = f"column '{sources[column]}'"
        if column == 0 and self.difference:
            what = f"the change of '{sources[0]}' over {self.difference} step(s)"
        others = len({sources[i] for i in np.flatnonzero(far)}) - 1
        also = f" (and {others} other column{'s' if others > 1 else ''})" if others else ""
        return (
            f"{what}{also} goes from {seen_low[column]:.4g} to {seen_high[column]:.4g} in the "
            f"inputs, far outside its range from {low[column]:.4g} to {high[column]:.4g} in "
            "training; the model never learnt what happens there, so these forecasts are "
            "unreliable (a network tends to stay near the levels it saw): fit it again on "
            "data like this, or, if the level drifts, with difference=1 (--difference 1) or "
            "scaler='window' (--scaler window)"
        )

    def to_levels(self, target: np.ndarray, origins: np.ndarray, scaled: np.ndarray) -> np.ndarray:
        """Model outputs ``(n, horizon)`` back to the data's units, undoing the differencing.

        ``target`` is the target column of the data (float64). A differenced
        forecast is a change from ``lag`` steps earlier: a known value for the
        first ``lag`` steps, then the forecast itself.
        """
        change = self.scaler.inverse_target(scaled)
        lag = self.difference
        if not lag:
            return change
        level = np.empty_like(change)
        for step in range(change.shape[1]):
            before = target[origins + step - lag] if step < lag else level[:, step - lag]
            level[:, step] = change[:, step] + before
        return level


def training_end(
    index: Any, valid: float | str | int | None, style: DateStyle | None = None
) -> int:
    """Where the validation part starts in a series with labels ``index`` (``len`` without one).

    ``valid`` is a fraction of the points held back (``0.2``), or the label
    (date or step) of the first validation point, a date read as the data's
    ``style`` writes dates (:class:`~seqcast.data.dates.DateStyle`).

    >>> import pandas as pd
    >>> index = pd.date_range("2020-01-01", periods=10, freq="D")
    >>> training_end(index, None), training_end(index, 0.2), training_end(index, "2020-01-04")
    (10, 8, 3)
    """
    n = len(index)
    if valid is None:
        return n
    name = argument("valid")
    if isinstance(valid, float) and not isinstance(valid, bool):
        return n - max(1, round(n * fraction(valid, name)))
    position = label_position(index, valid, name, style)
    if position == 0:
        raise SeqcastError(f"{name} {valid} is at or before the first point: nothing left to train")
    return position


def known_future(
    series: SeriesData,
    future: Any,
    known: tuple[str, ...],
    horizon: int,
    categories: Categories | None = None,
    date_format: str | None = None,
) -> np.ndarray | None:
    """The known covariates ``known`` on the ``horizon`` dates after ``series``, encoded.

    ``future`` is what the user gave (a DataFrame or a file with those
    columns and dates, or None); None comes back when ``known`` is empty.
    A text covariate's values must be among its fitted ``categories``; they
    come back one-hot, as :meth:`SeriesTransform.encode` gives them.
    """
    future_name = argument("future=")
    if not known:
        if future is not None:
            raise SeqcastError(
                f"{future_name} gives known covariates, but this model was fitted without any; "
                f"leave {future_name} out, or fit with known covariates "
                f"({argument('known_covariates=')})"
            )
        return None
    dates = series.future_index(horizon)
    span = f"{label(dates[0])} to {label(dates[-1])}"
    if future is None:
        raise SeqcastError(
            f"this model reads known covariates ({', '.join(known)}) up to the end of "
            f"the horizon; give their values from {span} with {future_name}"
        )
    table = read_table(future, date_format=date_format)
    missing = [c for c in known if c not in table.columns]
    if missing:
        raise SeqcastError(
            f"the future values lack the column(s) {', '.join(missing)}; give "
            f"{', '.join(known)} for {span}"
        )
    lacking = [label(date) for date in dates if date not in table.index]
    if lacking:
        shown = ", ".join(lacking[:5]) + (", ..." if len(lacking) > 5 else "")
        raise SeqcastError(
            f"the future values lack {len(lacking)} of the {horizon} dates after the data: "
            f"{shown}; give {', '.join(known)} for {span}"
        )
    rows = table.loc[dates, list(known)]
    if len(rows) != horizon:
        twice = table.index[table.index.duplicated()].intersection(dates)
        raise SeqcastError(
            f"the future values give {label(twice[0])} more than once; keep one row per date"
        )
    values = (categories or Categories()).encode(rows)
    if not np.isfinite(values).all():
        raise SeqcastError("the future values of the known covariates have missing values")
    return values
