"""seqcast: forecast time series and classify sequences with RNNs and CNNs.

Importing seqcast is cheap: it only points Keras at the JAX backend. The heavy
modules (``seqcast.training``, ``seqcast.models``...) load when first used.
"""

from seqcast.backend_check import set_jax_backend_if_possible as _set_backend
from seqcast.version import __version__

__all__ = ["Forecaster", "__version__"]

_set_backend()


def __getattr__(name: str):
    # ``seqcast.Forecaster`` loads Keras and JAX on first use, not on ``import seqcast``.
    if name == "Forecaster":
        from seqcast.forecaster import Forecaster

        return Forecaster
    raise AttributeError(f"module 'seqcast' has no attribute {name!r}")
