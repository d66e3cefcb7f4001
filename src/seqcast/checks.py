"""The validators every entry point shares: one rule, one wording, one place.

The trainer, the Forecaster, the readers, the baselines and the command line
all check their arguments through these functions, so that the same mistake
gets the same sentence wherever it is made. Each raises
:class:`~seqcast.errors.SeqcastError`, whose message names the argument, the
rule and the value given.

>>> positive_int(3, "window")
3
>>> positive_int(True, "window")
Traceback (most recent call last):
...
seqcast.errors.SeqcastError: window must be a whole number of at least 1, got True
>>> one_of("huber", ("mse", "huber"), "loss")
'huber'
>>> fraction(0.9, "intervals")
0.9
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from seqcast.errors import SeqcastError
from seqcast.spelling import argument

T = TypeVar("T")


def is_whole_number(value: Any) -> bool:
    """True for ints and NumPy integers; False for bools, floats and text.

    ``True`` is an ``int`` in Python, but ``window=True`` is a mistake, not 1.
    """
    # NumPy's bool_ is not an Integral, so excluding bool covers both.
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """``value`` as an ``int`` if it is a whole number of at least ``minimum``."""
    if not is_whole_number(value) or value < minimum:
        raise SeqcastError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def optional_positive_int(value: Any, name: str, *, minimum: int = 1) -> int | None:
    """Like :func:`positive_int`, but ``None`` (the setting is off) passes through."""
    return None if value is None else positive_int(value, name, minimum=minimum)


def fraction(value: Any, name: str) -> float:
    """``value`` as a float strictly between 0 and 1 (a share, a confidence level)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not 0 < value < 1:
        raise SeqcastError(f"{name} must be a number between 0 and 1 (e.g. 0.9), got {value!r}")
    return float(value)


def one_of(value: T, choices: Sequence[T], name: str) -> T:
    """``value`` if it is among ``choices``; otherwise a sentence listing them.

    >>> one_of("sgd", ("adam", "sgd"), "optimizer")
    'sgd'
    """
    if value not in choices:
        raise SeqcastError(f"unknown {name} {value!r}; choose one of: {listing(choices)}")
    return value


def listing(choices: Iterable[Any], *, limit: int | None = None) -> str:
    """Choices as messages list them: separated by commas, text without quotes.

    With ``limit``, only the first ``limit`` are named and the rest counted, so
    that a table with hundreds of columns still gets a one-line message.

    >>> listing(["standard", "minmax", None])
    'standard, minmax, None'
    >>> listing("abcde", limit=2)
    'a, b and 3 more'
    """
    names = [str(choice) for choice in choices]
    if limit is not None and len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def column_names(columns: str | Iterable[Any] | None, what: str = "column") -> tuple[str, ...]:
    """Column names as a tuple of text; one name may be given as a plain string.

    A name listed twice is a mistake worth a sentence (the model would read the
    column twice).

    >>> column_names("price"), column_names(["price", "promo"]), column_names(None)
    (('price',), ('price', 'promo'), ())
    """
    if columns is None:
        return ()
    if isinstance(columns, str):
        columns = [columns]  # a lone name, not its letters
    names = tuple(str(column) for column in columns)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SeqcastError(f"the {what} '{name}' is listed twice; list each column once")
        seen.add(name)
    return names


#: The units a duration may be written in, as seconds.
_SECONDS_PER = {"s": 1.0, "m": 60.0, "h": 3600.0}


def duration(value: Any, name: str) -> float:
    """Seconds from ``90s``, ``5m``, ``1.5h``, ``300`` (plain seconds) or a positive number.

    >>> duration("5m", "budget"), duration("90s", "budget"), duration(1800, "budget")
    (300.0, 90.0, 1800.0)
    >>> duration("5 minutes", "budget")
    Traceback (most recent call last):
    ...
    seqcast.errors.SeqcastError: budget must be a duration such as 90s, 5m or 1h (or plain \
seconds), got '5 minutes'
    """
    text = str(value).strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SECONDS_PER else (text, "s")
    try:
        seconds = float(number) * _SECONDS_PER[unit]
    except ValueError:
        seconds = float("nan")
    if isinstance(value, bool) or not seconds > 0 or seconds == float("inf"):
        raise SeqcastError(
            f"{name} must be a duration such as 90s, 5m or 1h (or plain seconds), got {value!r}"
        )
    return seconds


def known_ahead(known: Any, features: int, window: int | None, horizon: int) -> int:
    """``known``, the number of last input columns known in advance, if windows hold them.

    The target is column 0, so at most ``features - 1`` columns can be known.
    A model reading the known covariates of forecast steps 1..``horizon``
    finds them in a window's last ``horizon`` rows (``seqcast.data.transform``
    moves them ``horizon`` steps earlier), so the window must be at least that
    long; a ``window`` of None (not known yet) is checked when one is read.

    >>> known_ahead(1, features=2, window=8, horizon=3)
    1
    >>> known_ahead(1, features=2, window=2, horizon=3)
    Traceback (most recent call last):
    ...
    seqcast.errors.SeqcastError: the window (2 steps) is shorter than the horizon (3): the \
known covariates of each forecast step are read from the window's last 3 rows; use a window of \
at least 3 steps
    """
    known = positive_int(known, "known", minimum=0)
    if known >= features:
        raise SeqcastError(
            f"{known} known covariate column(s) leave no target among the {features} "
            "input column(s); the target is column 0, the known covariates the last columns"
        )
    if known and window is not None and window < horizon:
        raise SeqcastError(
            f"the {argument('window')} ({window} steps) is shorter than the horizon "
            f"({horizon}): the known covariates of each forecast step are read from the "
            f"window's last {horizon} rows; use a {argument('window')} of at least "
            f"{horizon} steps"
        )
    return known
