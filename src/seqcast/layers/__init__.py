"""Custom Keras layers: those the book writes by hand, or that Keras 3 no longer has.

All are registered for serialization, so models using them save and load as
``.keras`` files (import ``seqcast.layers`` before ``keras.models.load_model``).
"""

from seqcast import backend_check

backend_check.set_jax_backend_if_possible()

from seqcast.layers.cells import LNSimpleRNNCell, PeepholeLSTMCell  # noqa: E402
from seqcast.layers.known import KnownFuture  # noqa: E402
from seqcast.layers.series_embedding import SeriesEmbedding, with_series_embedding  # noqa: E402
from seqcast.layers.wavenet import GatedActivationUnit, wavenet_residual_block  # noqa: E402
from seqcast.layers.window_norm import (  # noqa: E402
    WindowDenormalize,
    WindowNormalize,
    window_scaled,
)

__all__ = [
    "GatedActivationUnit",
    "KnownFuture",
    "LNSimpleRNNCell",
    "PeepholeLSTMCell",
    "SeriesEmbedding",
    "WindowDenormalize",
    "WindowNormalize",
    "wavenet_residual_block",
    "window_scaled",
    "with_series_embedding",
]
