"""Messages that name the series of a panel they are about, and leave a lone series' alone.

A lone series' messages stay as they always were ("the training part has
...") while a panel's say which series ("the training part of series 'b'
has ...").

>>> from seqcast.data.panel import read_panel
>>> import pandas as pd
>>> panel = read_panel({"a": pd.Series([1.0, 2.0, 3.0]), "b": pd.Series([3.0, 4.0, 5.0])})
>>> of(panel, "b", "the training part"), of(panel, "b", "the series")
("the training part of series 'b'", "series 'b'")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seqcast.data.panel import Panel
from seqcast.errors import SeqcastError
from seqcast.estimator.reading import is_one_series

#: How a lone series' messages name it whole; a panel's name the series instead.
WHOLE_SERIES = "the series"


def of(panel: Panel, sid: str, what: str) -> str:
    """``what`` (a part of the data), naming the series unless the panel is one series.

    The whole series (``"the series"``, or nothing) is the series named.
    """
    if is_one_series(panel):
        return what
    return f"series '{sid}'" if what in ("", WHOLE_SERIES) else f"{what} of series '{sid}'"


def named_error(panel: Panel, sid: str, err: SeqcastError) -> SeqcastError:
    """``err`` with the series named first (a lone series' messages are left as they are)."""
    if is_one_series(panel) or str(err).startswith("series '"):
        return err
    return SeqcastError(f"series '{sid}': {err}")


def named(panel: Panel, sid: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``; a SeqcastError it raises names series ``sid``."""
    try:
        return function(*args, **kwargs)
    except SeqcastError as err:
        raise named_error(panel, sid, err) from err


def named_message(panel: Panel, sid: str, message: str) -> str:
    """A warning's ``message`` about series ``sid``, naming it unless the panel is one series."""
    return message if is_one_series(panel) else f"series '{sid}': {message}"
