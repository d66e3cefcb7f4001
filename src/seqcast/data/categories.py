"""Text covariates as numbers: one 0/1 column per category (one-hot), learnt when fitting.

A day-type column (``W`` / ``A`` / ``U``), a holiday name or a promotion type
holds categories, not numbers. :class:`Categories` keeps, per text column, the
categories seen in the data given to ``fit``, sorted (so that their order does
not hang on the order of the rows), and :meth:`Categories.encode` turns a
frame into the float array a model reads: a numeric column as it is, a text
column as one 0/1 column per category, in its place.

A blank cell in a text column is a category of its own, written ``""`` and
shown as ``(blank)``: in a holiday column a blank means "no holiday", the
most common value of all.

A category the fit never saw has no column to go to: :meth:`Categories.encode`
raises a :class:`~seqcast.errors.SeqcastError` that names the column, the
value, where it first occurs and the categories the model knows.

>>> frame = pd.DataFrame({"y": [1.0, 2.0, 3.0], "day": ["W", "A", "W"]})
>>> categories = Categories.fit(frame, ["day"])
>>> categories.levels, categories.names(frame.columns)
({'day': ('A', 'W')}, ['y', 'day=A', 'day=W'])
>>> categories.encode(frame).tolist()
[[1.0, 0.0, 1.0], [2.0, 1.0, 0.0], [3.0, 0.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from seqcast.checks import listing
from seqcast.data.columns import as_float, as_text
from seqcast.data.dates import row_label
from seqcast.errors import SeqcastError

__all__ = ["MAX_CATEGORIES", "Categories", "as_text", "shown"]

#: More different texts than this is a free-text or misread column, not categories.
MAX_CATEGORIES = 100


def shown(category: str) -> str:
    """A category as messages write it: quoted, a blank as ``(blank)``."""
    return repr(category) if category else "(blank)"


@dataclass(frozen=True)
class Categories:
    """The categories of each text column, sorted: ``{"day": ("A", "U", "W")}``.

    Empty for a series of numbers only (and for bundles saved before text
    covariates were read), when :meth:`encode` is a plain conversion to float.
    """

    levels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def fit(cls, frame: pd.DataFrame, columns: Iterable[str]) -> Categories:
        """The categories of ``columns`` of ``frame``: every text seen, blank included."""
        levels = {}
        for column in columns:
            seen = sorted(set(as_text(frame[column])))
            if len(seen) > MAX_CATEGORIES:
                raise SeqcastError(
                    f"column '{column}' holds {len(seen)} different texts, too many to be "
                    f"categories (at most {MAX_CATEGORIES}); give a column of numbers, or of a "
                    "few repeating values such as day types or holiday names"
                )
            levels[str(column)] = tuple(seen)
        return cls(levels)

    @property
    def columns(self) -> tuple[str, ...]:
        """The text columns."""
        return tuple(self.levels)

    def names(self, columns: Iterable[str]) -> list[str]:
        """The name of each encoded column: a text column as ``day=A``, ``day=W``..."""
        names = []
        for column in columns:
            if column in self.levels:
                names += [f"{column}={category or '(blank)'}" for category in self.levels[column]]
            else:
                names.append(column)
        return names

    def sources(self, columns: Iterable[str]) -> list[str]:
        """The column each encoded column comes from (a text column's name once per category)."""
        found: list[str] = []
        for column in columns:
            found += [column] * len(self.levels.get(column, (None,)))
        return found

    def width(self, columns: Iterable[str]) -> int:
        """How many encoded columns ``columns`` become."""
        return len(self.names(columns))

    def mask(self, columns: Iterable[str]) -> np.ndarray:
        """Which encoded columns of ``columns`` are 0/1 category columns."""
        flags: list[bool] = []
        for column in columns:
            flags += [column in self.levels] * len(self.levels.get(column, (None,)))
        return np.array(flags, dtype=bool)

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        """The float64 array ``(rows, width)`` of ``frame``: numbers as they are, text one-hot.

        A text that is not one of the fitted categories, or a value of a
        numeric column that is not a number, raises a SeqcastError naming it.
        """
        blocks = []
        for column in frame.columns:
            values = frame[column]
            if column in self.levels:
                blocks.append(self._one_hot(values, column, frame.index))
            else:
                blocks.append(as_float(values, column, frame.index)[:, None])
        if not blocks:
            return np.empty((len(frame), 0))
        return np.concatenate(blocks, axis=1)

    def _one_hot(self, values: pd.Series, column: str, index: pd.Index) -> np.ndarray:
        known = self.levels[column]
        position = {category: i for i, category in enumerate(known)}
        text = as_text(values).to_numpy(dtype=object)
        codes = np.array([position.get(value, -1) for value in text], dtype=int)
        unseen = codes < 0
        if unseen.any():
            pos = int(np.argmax(unseen))
            raise SeqcastError(
                f"column '{column}' holds {shown(text[pos])} (first at {row_label(index, pos)}), "
                f"a category the model did not see in training; it knows "
                f"{listing(map(shown, known), limit=12)}; fit the model again on data that "
                "holds it, or write it as one of those"
            )
        encoded = np.zeros((len(text), len(known)))
        encoded[np.arange(len(text)), codes] = 1.0
        return encoded


def known_columns(categories: Categories, columns: Sequence[str], known: int) -> int:
    """How many encoded columns the last ``known`` of ``columns`` become."""
    return categories.width(list(columns)[len(columns) - known :]) if known else 0
