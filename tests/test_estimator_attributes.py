"""A forecaster's fitted attributes: views of its one state, absent until it is fitted."""

import pytest

from seqcast.data.options import ReadOptions
from seqcast.estimator.attributes import FittedAttributes
from seqcast.estimator.state import Columns, FittedState


class Estimator(FittedAttributes):
    pass


def fitted(**changes) -> Estimator:
    estimator = Estimator()
    estimator.state_ = FittedState(None, "seq2seq", None, Columns("y", ("x",)), **changes)
    return estimator


def test_an_unfitted_estimator_has_no_fitted_attribute():
    estimator = Estimator()
    for name in ("model_", "residuals_", "n_train_", "series_", "search_"):
        assert not hasattr(estimator, name)


def test_the_attributes_read_the_state():
    estimator = fitted(freq="D", reading=ReadOptions(fill="ffill"), n_trains={"y": 7})
    assert estimator.strategy_ == "seq2seq" and estimator.covariates_ == ("x",)
    assert estimator.freq_ == "D" and estimator.fill_ == "ffill"
    assert estimator.duplicates_ == "error" and estimator.date_format_ is None
    assert estimator.n_trains_ == {"y": 7} and estimator.residuals_ is None


def test_one_series_shows_its_residuals_as_an_array_a_panel_by_id():
    lone = fitted(residuals={"y": 1.5})
    assert lone.residuals_ == 1.5
    lone.residuals_ = 2.5  # what a test or a user may set
    assert lone.state_.residuals == {"y": 2.5}
    panel = fitted(layout="long", residuals={"a": 1.0})
    assert panel.residuals_ == {"a": 1.0}


def test_the_search_writes_search_but_a_learnt_value_cannot_be_set():
    estimator = fitted()
    estimator.search_ = {"seed": 3}
    assert estimator.state_.search == {"seed": 3}
    with pytest.raises(AttributeError, match="fit again"):
        estimator.model_ = None
