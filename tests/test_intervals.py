"""Intervals: the method chosen, the residual band and the MC-dropout band."""

import keras
import numpy as np
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast import intervals
from seqcast.data.scaling import Scaler
from seqcast.errors import SeqcastError


def model(dropout: float) -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((5, 1)), keras.layers.GRU(4, recurrent_dropout=dropout), keras.layers.Dense(2)]
    )


RESIDUALS = np.array([[-1.0, -2.0], [0.0, 0.0], [1.0, 2.0]])


def test_tails_of_a_central_band():
    assert intervals.tails(0.9) == pytest.approx((0.05, 0.95))


def test_auto_picks_mc_dropout_for_a_model_with_dropout_else_residuals():
    assert intervals.choose_method(0.9, "auto", model(0.2), None, "m") == "mc_dropout"
    assert intervals.choose_method(0.9, "auto", model(0.0), RESIDUALS, "m") == "residuals"
    with pytest.raises(SeqcastError, match="'m' has neither dropout nor validation errors"):
        intervals.choose_method(0.9, "auto", model(0.0), None, "m")


@pytest.mark.parametrize(
    ("level", "method", "message"),
    [
        (1.5, "auto", "intervals must be a number between 0 and 1"),
        (0.9, "bootstrap", "unknown interval method 'bootstrap'; choose one of: auto, mc_dropout"),
    ],
)
def test_bad_levels_and_methods(level, method, message):
    with pytest.raises(SeqcastError, match=message):
        intervals.choose_method(level, method, model(0.2), RESIDUALS, "m")


def test_the_residual_band_is_the_point_plus_the_error_quantiles():
    lower, upper = intervals.residual_band(np.array([[10.0, 11.0]]), RESIDUALS, 0.5)
    np.testing.assert_allclose(lower, [[9.5, 10.0]])
    np.testing.assert_allclose(upper, [[10.5, 12.0]])


def test_the_mc_dropout_band_is_in_the_data_units_and_widens_with_the_level():
    x = np.random.default_rng(0).normal(size=(2, 5, 1)).astype("float32")
    scaler = Scaler("standard", (100.0,), (10.0,))
    settings = {"samples": 16, "seed": 0, "scaler": scaler, "strategy": "direct", "model_name": "m"}
    net = model(0.3)
    low90, high90 = intervals.mc_dropout_band(net, x, 0.9, **settings)
    low50, high50 = intervals.mc_dropout_band(net, x, 0.5, **settings)
    assert low90.shape == (2, 2) and np.all(low90 < high90)
    assert np.all(low90 <= low50) and np.all(high50 <= high90)
    assert 50 < low90.mean() < 150  # around the offset 100, not around 0
    with pytest.raises(SeqcastError, match=r"without dropout.*dropout=0\.2"):
        intervals.mc_dropout_band(model(0.0), x, 0.9, **settings)
    with pytest.raises(SeqcastError, match="not iterative"):
        intervals.mc_dropout_band(net, x, 0.9, **{**settings, "strategy": "iterative"})


def test_a_band_on_one_side_of_the_forecast_gets_a_note():
    point = np.array([10.0, 11.0, 12.0, 13.0, 14.0])
    lower = point + np.array([0.5, 0.2, 0.1, -1.0, -3.0])
    upper = point + np.array([2.0, 2.0, 2.0, 1.0, -0.5])
    note = intervals.one_sided_note(point, lower, upper, 0.9, "residuals")
    assert note.startswith(
        "the 90% band lies above the forecast at steps 1-3 and below the forecast at step 5: "
        "the model under-forecast the validation part, and the band is where the actual "
        "values fell"
    )
    assert "centred, it would hide the bias" in note
    assert intervals.one_sided_note(point, point - 1, point + 1, 0.8, "residuals") is None
    below = intervals.one_sided_note(point, point - 2, point - 1, 0.8, "residuals")
    assert below.startswith("the 80% band lies below the forecast at steps 1-5: the model over-")
    assert "dropout forecasts" in intervals.one_sided_note(
        point, point + 1, point + 2, 0.9, "mc_dropout"
    )


def test_the_residual_band_is_not_centred_on_a_biased_forecast():
    """Every validation error positive: the band lies above the forecast, as the values did."""
    lower, upper = intervals.residual_band(np.array([[10.0, 20.0]]), RESIDUALS + 3, 0.5)
    assert (lower > [[10.0, 20.0]]).all() and (upper > lower).all()
