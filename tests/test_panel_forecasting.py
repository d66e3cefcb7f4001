"""The helpers that panel_forecasting held live with the estimator's steps; old imports work."""

import seqcast.panel_forecasting as old
from seqcast.estimator import forecast, future, naming, predict, prepare, reading, score


def test_the_old_names_are_the_moved_ones():
    moved = {
        "Forecasts": forecast.Forecasts,
        "Request": forecast.Request,
        "far_message": forecast.far_message,
        "forecast_requests": forecast.forecast_requests,
        "future_by_series": future.future_by_series,
        "known_futures": future.known_futures,
        "named": naming.named,
        "named_error": naming.named_error,
        "of": naming.of,
        "long_format": predict.long_format,
        "refuse_partition_wide": prepare.refuse_partition_wide,
        "resolved_scaler": prepare.resolved_scaler,
        "statics_of": prepare.statics_of,
        "text_statics": prepare.text_statics,
        "one_series": reading.one_series,
        "filled_target": score.filled_target,
    }
    assert sorted(old.__all__) == sorted(moved)
    for name, value in moved.items():
        assert getattr(old, name) is value
