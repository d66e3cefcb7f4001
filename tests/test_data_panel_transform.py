"""A transform per series of a panel; categories, statics and the series index shared."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel_transform import SERIES_INDEX, PanelTransform, with_statics
from seqcast.errors import SeqcastError


def frames():
    small = pd.DataFrame({"y": np.arange(20.0), "day": ["W", "A"] * 10})
    large = pd.DataFrame({"y": 1e6 + 1e3 * np.arange(20.0), "day": ["W", "U"] * 10})
    return small, large


def test_each_series_is_scaled_on_its_own_training_part():
    small, large = frames()
    fitted = PanelTransform.fit(
        [small, large], ("s", "l"), [10, 15], window=3, horizon=1, categorical=["day"]
    )
    assert fitted.of("s").scaler.offset[0] == pytest.approx(small["y"][:10].mean())
    assert fitted.of("l").scaler.offset[0] == pytest.approx(large["y"][:15].mean())
    # the categories are those of every series, so both encode to the same columns
    assert fitted.categories.levels == {"day": ("A", "U", "W")}
    assert fitted.of("s").scaled(small).shape == fitted.of("l").scaled(large).shape == (20, 4)


def test_static_numbers_are_standardised_across_series_and_the_index_left_as_it_is():
    small, large = (f[["y"]] for f in frames())
    built = [
        with_statics(f, {"size": size}, known=0, series_index=i)
        for i, (f, size) in enumerate(((small, 2.0), (large, 4.0)))
    ]
    fitted = PanelTransform.fit(
        built, ("s", "l"), [15, 15], window=3, horizon=1, statics=("size",), id_embedding=True
    )
    scaled = [t.scaled(f) for t, f in zip(fitted.transforms, built)]
    # a constant column scaled by its own series would be 0 everywhere: across series it is -1, +1
    assert scaled[0][0, 1] == pytest.approx(-1.0) and scaled[1][0, 1] == pytest.approx(1.0)
    assert scaled[0][0, 2] == 0.0 and scaled[1][0, 2] == 1.0  # the series index, unscaled
    assert list(built[0].columns) == ["y", "size", SERIES_INDEX]


def test_window_scaling_leaves_the_constant_columns_alone():
    small, large = (f[["y"]] for f in frames())
    built = [
        with_statics(f, {"size": s}, known=0, series_index=i)
        for i, (f, s) in enumerate(((small, 2.0), (large, 4.0)))
    ]
    fitted = PanelTransform.fit(
        built,
        ("s", "l"),
        [15, 15],
        window=3,
        horizon=1,
        scaler="window",
        statics=("size",),
        id_embedding=True,
    )
    assert fitted.window_scaling(built[0].columns) == [0]


def test_a_series_not_fitted_on_gets_its_own_scale_unless_the_model_reads_ids():
    small, large = (f[["y"]] for f in frames())
    fitted = PanelTransform.fit([small, large], ("s", "l"), [15, 15], window=3, horizon=1)
    new = pd.DataFrame({"y": 500 + np.arange(20.0)})
    assert fitted.of("new") is None
    assert fitted.cold(new).scaler.offset[0] == pytest.approx(new["y"].mean())
    with_ids = PanelTransform.fit(
        [small, large], ("s", "l"), [15, 15], window=3, horizon=1, id_embedding=True
    )
    with pytest.raises(SeqcastError, match="series 'new' was not in the data"):
        with_ids.frame(new, "new", {})
