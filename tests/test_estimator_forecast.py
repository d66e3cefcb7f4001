"""Forecasts through one pass of the network: every series' inputs together, each its own scale."""

import keras
import numpy as np
import pandas as pd

import seqcast  # noqa: F401  (must precede keras)
from seqcast.data.panel import read_panel
from seqcast.data.panel_transform import PanelTransform
from seqcast.estimator.forecast import Request, far_message, forecast_requests, target_of


def setup():
    small, large = np.arange(40.0), 1000 + 10 * np.arange(40.0)
    panel = read_panel({"a": pd.Series(small), "b": pd.Series(large)})
    frames = [series.frame for series in panel]
    transforms = PanelTransform.fit(frames, panel.ids, [30, 30], window=4, horizon=2)
    keras.utils.set_random_seed(0)
    network = keras.Sequential([keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    return panel, transforms, network


def test_each_series_comes_back_in_its_own_units():
    panel, transforms, network = setup()
    requests = [Request(sid, series, np.array([20, 30])) for sid, series in zip(panel.ids, panel)]
    kwargs = {"network_model": network, "strategy": "direct", "model": "linear", "horizon": 2}
    results = forecast_requests(panel, requests, transforms=transforms, **kwargs)
    assert [r.point.shape for r in results] == [(2, 2), (2, 2)]
    # the same network output, mapped back by each series' own scaling
    np.testing.assert_allclose(results[0].scaled, results[1].scaled, rtol=1e-5)
    b = transforms.of("b").scaler
    np.testing.assert_allclose(results[1].point, results[1].scaled * b.scale[0] + b.offset[0])
    assert forecast_requests(panel, [], transforms=transforms, **kwargs) == []


def test_far_inputs_are_named_by_series_and_the_target_is_float64():
    panel, transforms, _ = setup()
    far = read_panel({"a": pd.Series(10 * np.arange(40.0)), "b": panel.get("b").frame["value"]})
    requests = [Request(sid, series, np.array([40])) for sid, series in zip(far.ids, far)]
    message = far_message(far, requests, transforms)
    assert message.startswith("series 'a': column 'value' goes from")
    assert target_of(far.get("a")).dtype == np.float64
