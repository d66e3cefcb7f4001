"""The parameters of an estimator, as scikit-learn handles them: get, set, shown.

An estimator's parameters are its ``__init__``'s arguments, stored as given
under the same names; :class:`Parameterised` reads them off the signature,
so ``get_params`` / ``set_params`` / ``repr`` never go out of date.

>>> class Toy(Parameterised):
...     def __init__(self, model="lstm", *, window=30):
...         self.model, self.window = model, window
...     model_name = property(lambda self: self.model)
>>> Toy(window=5), Toy().set_params(window=7).get_params()
(Toy('lstm', window=5), {'model': 'lstm', 'window': 7})
"""

from __future__ import annotations

import inspect
from typing import Any

from seqcast.errors import SeqcastError


class Parameterised:
    """``get_params``, ``set_params`` and a ``repr`` showing the parameters changed."""

    model_name: str  # how the model parameter is shown (a zoo name, a builder's name)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in inspect.signature(type(self)).parameters}

    def set_params(self, **params: Any) -> Any:
        for name, value in params.items():
            if name not in self.get_params():
                raise SeqcastError(f"{type(self).__name__} has no parameter {name!r}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in inspect.signature(type(self)).parameters.items()}
        changed = [
            f"{k}={v!r}" for k, v in self.get_params().items() if k != "model" and v != defaults[k]
        ]
        return f"{type(self).__name__}({', '.join([repr(self.model_name), *changed])})"
