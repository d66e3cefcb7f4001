"""FittedState: what a fit learnt, one value; a lone series' residuals by id like a panel's."""

import numpy as np

from seqcast.estimator.state import Columns, FittedState


def state(**changes) -> FittedState:
    return FittedState(
        model=None, strategy="direct", transforms=None, columns=Columns("y"), **changes
    )


def test_a_lone_series_is_single_and_its_residuals_are_found_whatever_its_name():
    errors = np.ones((2, 3))
    lone = state(residuals={"y": errors})
    assert lone.single and lone.residuals_for("renamed") is errors
    assert state().residuals_for("y") is None


def test_a_panel_finds_each_series_residuals_by_id():
    panel = state(layout="long", residuals={"a": 1.0, "b": 2.0})
    assert not panel.single
    assert panel.residuals_for("b") == 2.0 and panel.residuals_for("c") is None


def test_the_columns_show_as_they_always_have():
    columns = Columns("sales", ("price",), ("promo",), ("region",))
    assert columns.as_dict() == {
        "target": "sales",
        "covariates": ["price"],
        "known_covariates": ["promo"],
        "static": ["region"],
    }
