"""A forecaster's one transform: an entry per series, fitted on that series' own training part.

:class:`PanelTransform` is the only transform a forecaster holds, whatever
the number of series: one series is a panel of one, its transform an entry
of one. A global model reads windows of every series of a panel, so each
series is scaled (and differenced) by its own entry, a
:class:`~seqcast.data.transform.SeriesTransform` fitted on its own training
part: one series in the millions and one in the tens both reach the network
at order 1, and neither dominates the loss.
What the series share is fitted on all of them:

* the categories of a text covariate (one 0/1 column per category seen in
  any series), so every series has the same columns;
* static covariates (``static=["region"]``): one value per series, given to
  the network as a constant column of every window. Text ones become 0/1
  columns; numeric ones are standardised across the series (scaling a
  constant column by its own series would make it 0 everywhere);
* the optional series index that a learned id embedding reads
  (``seqcast.layers.SeriesEmbedding``): left unscaled, a whole number.

These columns sit before the covariates known in advance, which stay last
(``seqcast.data.transform`` moves them ``horizon`` steps earlier).

>>> small, large = np.arange(10.0), 1000 + 10 * np.arange(10.0)
>>> frames = [pd.DataFrame({"y": small}), pd.DataFrame({"y": large})]
>>> fitted = PanelTransform.fit(frames, ("a", "b"), [8, 8], window=3, horizon=1)
>>> round(float(fitted.of("b").scaled(frames[1])[0, 0]), 3)   # as small's first: its own scale
-1.528
>>> [t.scaler.offset for t in fitted.transforms]
[(3.5,), (1035.0,)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from seqcast.data.categories import Categories
from seqcast.data.scaling import Scaler
from seqcast.data.transform import SeriesTransform
from seqcast.errors import SeqcastError

# The column an id embedding reads: the series' position in PanelTransform.ids.
SERIES_INDEX = "series index"


def with_statics(
    frame: pd.DataFrame,
    statics: Mapping[str, Any],
    known: int,
    series_index: int | None = None,
) -> pd.DataFrame:
    """``frame`` with a constant column per static covariate (and the series index) added.

    They are put before the last ``known`` columns (the covariates known in
    advance), which must stay last. ``frame`` itself is left as it was.

    >>> frame = pd.DataFrame({"y": [1.0, 2.0], "holiday": [0.0, 1.0]})
    >>> list(with_statics(frame, {"region": "north"}, known=1, series_index=3).columns)
    ['y', 'region', 'series index', 'holiday']
    """
    if not statics and series_index is None:
        return frame
    added = {name: [value] * len(frame) for name, value in statics.items()}
    if series_index is not None:
        added[SERIES_INDEX] = [float(series_index)] * len(frame)
    extra = pd.DataFrame(added, index=frame.index)
    split = len(frame.columns) - known
    return pd.concat([frame.iloc[:, :split], extra, frame.iloc[:, split:]], axis=1)


@dataclass(frozen=True)
class PanelTransform:
    """The fitted transforms of a panel's series, by id, and what they share.

    ``transforms[i]`` is series ``ids[i]``'s. ``statics`` names the static
    covariates; ``static_scaler`` is their standardisation across the
    series (numeric ones; a text one is 0/1 columns). ``id_embedding``
    says whether the network reads the series index (:data:`SERIES_INDEX`).
    """

    ids: tuple[str, ...]
    transforms: tuple[SeriesTransform, ...]
    statics: tuple[str, ...] = ()
    static_scaler: Scaler | None = None
    id_embedding: bool = False
    known_columns: int = 0  # the frame's last columns known in advance (text ones encode wider)

    @classmethod
    def fit(
        cls,
        frames: Sequence[pd.DataFrame],
        ids: Sequence[str],
        n_trains: Sequence[int],
        *,
        window: int,
        horizon: int,
        difference: int | None = None,
        known: int = 0,
        scaler: str | None = "standard",
        categorical: Sequence[str] = (),
        statics: Sequence[str] = (),
        id_embedding: bool = False,
    ) -> PanelTransform:
        """Fit series ``i`` on its first ``n_trains[i]`` model values; categories on all series.

        ``frames`` are the series' frames with their static columns (and the
        series index) already added by :func:`with_statics`; ``known``
        counts the last columns known in advance.
        """
        statics = tuple(statics)
        text = [c for c in categorical if c in frames[0].columns]
        categories = Categories.fit(pd.concat([f[text] for f in frames]), text) if text else None
        transforms = [
            SeriesTransform.fit(
                frame,
                n_train,
                window=window,
                horizon=horizon,
                difference=difference,
                known=known,
                scaler=scaler,
                categorical=text,
                categories=categories,
            )
            for frame, n_train in zip(frames, n_trains)
        ]
        fitted = cls(tuple(ids), tuple(transforms), statics, None, id_embedding, known)
        numeric = fitted._numeric_statics(frames[0].columns)
        if numeric:
            values = np.array([[float(f[c].iloc[0]) for c in numeric] for f in frames])
            fitted = replace(fitted, static_scaler=Scaler.fit("standard", values))
        return replace(
            fitted, transforms=tuple(fitted._shared(t, frames[0].columns) for t in transforms)
        )

    # -- what every series shares
    @property
    def first(self) -> SeriesTransform:
        """The first series' transform: window, horizon, difference, categories are everyone's."""
        return self.transforms[0]

    @property
    def categories(self) -> Categories:
        return self.first.categories

    @property
    def lag(self) -> int:
        return self.first.lag

    def of(self, series_id: str) -> SeriesTransform | None:
        """The transform fitted on series ``series_id``; None for a series not fitted on."""
        position = self.position(series_id)
        return None if position is None else self.transforms[position]

    def position(self, series_id: str) -> int | None:
        """Series ``series_id``'s place in :attr:`ids` (what the id embedding reads), or None."""
        return self._positions.get(str(series_id))

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {sid: n for n, sid in enumerate(self.ids)}

    def frame(
        self, frame: pd.DataFrame, series_id: str, statics: Mapping[str, Any]
    ) -> pd.DataFrame:
        """``frame`` as the network reads it: the static columns and series index added."""
        index = None
        if self.id_embedding:
            index = self.position(series_id)
            if index is None:
                raise SeqcastError(
                    f"series '{series_id}' was not in the data the model was fitted on, and the "
                    "model reads a learned embedding of each series' id, which it has none of; "
                    "fit the model again with that series, or without the id embedding"
                )
        return with_statics(
            frame, {name: statics[name] for name in self.statics}, self.known_columns, index
        )

    def cold(self, frame: pd.DataFrame) -> SeriesTransform:
        """A transform for a series not fitted on, fitted on all of its own rows.

        The categories and the static scaling are the fitted ones, so the
        network reads it as it read the others (its own scaling, as theirs).
        """
        first = self.first
        fitted = SeriesTransform.fit(
            frame,
            len(frame) - first.lag,
            window=first.window,
            horizon=first.horizon,
            difference=first.difference,
            known=self.known_columns,
            scaler=first.scaler.kind,
            categorical=tuple(first.categories.levels),
            categories=first.categories,
        )
        return self._shared(fitted, frame.columns)

    def window_scaling(self, columns: Sequence[str]) -> list[int] | None:
        """The encoded columns a window-scaled network normalises: not the constant ones."""
        found = self.first.window_scaling(columns)
        if found is None:
            return None
        sources = self.categories.sources(columns)
        constant = {*self.statics, SERIES_INDEX}
        return [i for i in found if sources[i] not in constant]

    # -- helpers
    def _numeric_statics(self, columns: Sequence[str]) -> list[str]:
        return [c for c in self.statics if c in columns and c not in self.categories.levels]

    def _shared(self, transform: SeriesTransform, columns: Sequence[str]) -> SeriesTransform:
        """``transform`` with the static columns and the series index scaled alike for all."""
        sources = transform.categories.sources(columns)
        numeric = self._numeric_statics(columns)
        offset, scale = list(transform.scaler.offset), list(transform.scaler.scale)
        changed = False
        for i, source in enumerate(sources):
            if source == SERIES_INDEX:
                offset[i], scale[i], changed = 0.0, 1.0, True
            elif source in numeric and self.static_scaler is not None:
                k = numeric.index(source)
                offset[i], scale[i] = self.static_scaler.offset[k], self.static_scaler.scale[k]
                changed = True
        if not changed:
            return transform
        scaler = Scaler(transform.scaler.kind, tuple(offset), tuple(scale))
        return replace(transform, scaler=scaler)
