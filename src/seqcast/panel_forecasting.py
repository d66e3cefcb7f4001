"""Moved: a forecaster's bookkeeping of many series now lives with the estimator's steps.

Kept so that the old imports keep working: requests and forecasts in
``seqcast.estimator.forecast``, names in messages in ``seqcast.estimator.naming``,
the known future in ``seqcast.estimator.future``, what a fit reads of a
panel in ``seqcast.estimator.prepare``, one series as a panel in
``seqcast.estimator.reading``, the long table in ``seqcast.estimator.predict``
and the filled values in ``seqcast.estimator.score``.
"""

from seqcast.estimator.forecast import Forecasts, Request, far_message, forecast_requests
from seqcast.estimator.future import future_by_series, known_futures
from seqcast.estimator.naming import named, named_error, of
from seqcast.estimator.predict import long_format
from seqcast.estimator.prepare import (
    refuse_partition_wide,
    resolved_scaler,
    statics_of,
    text_statics,
)
from seqcast.estimator.reading import one_series
from seqcast.estimator.score import filled_target

__all__ = [
    "Forecasts",
    "Request",
    "far_message",
    "filled_target",
    "forecast_requests",
    "future_by_series",
    "known_futures",
    "long_format",
    "named",
    "named_error",
    "of",
    "one_series",
    "refuse_partition_wide",
    "resolved_scaler",
    "statics_of",
    "text_statics",
]
