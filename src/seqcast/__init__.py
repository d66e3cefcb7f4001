"""seqcast: forecast time series and classify sequences with RNNs and CNNs.

Importing seqcast is cheap: it only points Keras at the JAX backend. The heavy
modules (``seqcast.training``, ``seqcast.models``...) load when first used.
"""

from seqcast.backend_check import set_jax_backend_if_possible as _set_backend

__version__ = "0.1.0"

_set_backend()
