"""How a table is read: the reading options every entry point takes, checked once.

``Forecaster.fit``, ``read``, ``predict``, ``backtest``, ``lr_find``, the model
search and the command line all read data the same way; they pass one
:class:`ReadOptions` down instead of seven keywords each. An option left at None
means "not said": at fit time the reader finds it (a separator from the first
lines, the frequency from the dates), and at forecast time :meth:`ReadOptions.or_else`
takes what the model was fitted with.

>>> options = ReadOptions(sep=";", fill="interpolate")
>>> options.fill_method, options.duplicate_policy
('interpolate', 'error')
>>> ReadOptions().or_else(options).sep
';'
>>> ReadOptions(fill="linear")
Traceback (most recent call last):
...
seqcast.errors.SeqcastError: unknown fill 'linear'; choose one of: none, interpolate, ffill, zero
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from seqcast.checks import one_of
from seqcast.choices import DUPLICATE_POLICIES, FILL_METHODS

#: The keyword names of :class:`ReadOptions`, in the order the entry points list them.
READ_KEYWORDS = ("date_column", "date_format", "sep", "decimal", "freq", "fill", "duplicates")


@dataclass(frozen=True)
class ReadOptions:
    """The options that say how to read a table of series; None means "not said".

    - ``date_column``: the column of dates (default: found by name or by value).
    - ``date_format``: a strptime format for dates that read two ways (``"%d/%m/%Y"``).
    - ``sep``, ``decimal``: a text file's separator and decimal mark (default: sniffed).
    - ``freq``: the frequency the dates must follow (``"B"``, ``"D"``, ``"MS"``...).
    - ``fill``: how missing dates and blank values are filled
      (:data:`~seqcast.choices.FILL_METHODS`; not said: refused).
    - ``duplicates``: what rows repeating a date with other values become
      (:data:`~seqcast.choices.DUPLICATE_POLICIES`; not said: refused).
    """

    date_column: str | None = None
    date_format: str | None = None
    sep: str | None = None
    decimal: str | None = None
    freq: str | None = None
    fill: str | None = None
    duplicates: str | None = None

    def __post_init__(self) -> None:
        if self.fill is not None:
            one_of(self.fill, FILL_METHODS, "fill")
        if self.duplicates is not None:
            one_of(self.duplicates, DUPLICATE_POLICIES, "duplicates")

    @classmethod
    def of(cls, options: ReadOptions | None = None, **keywords: Any) -> ReadOptions:
        """``options`` with the keywords that were given (not None) put over it."""
        given = {name: value for name, value in keywords.items() if value is not None}
        unknown = set(given) - set(READ_KEYWORDS)
        if unknown:
            raise TypeError(f"unknown reading option(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(options or cls(), **given)

    def or_else(self, fallback: ReadOptions) -> ReadOptions:
        """These options, each one not said taken from ``fallback`` (what a model was fitted on)."""
        mine = self.keywords()
        return ReadOptions(
            **{
                name: fallback_value if mine[name] is None else mine[name]
                for name, fallback_value in fallback.keywords().items()
            }
        )

    @property
    def fill_method(self) -> str:
        """``fill``, "none" where not said."""
        return self.fill or "none"

    @property
    def duplicate_policy(self) -> str:
        """``duplicates``, "error" where not said."""
        return self.duplicates or "error"

    def keywords(self) -> dict[str, Any]:
        """The options as keywords (for the readers that still take them one by one)."""
        return {name: getattr(self, name) for name in READ_KEYWORDS}
