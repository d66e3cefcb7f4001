"""The reading options of a call, one value; new data read as the fitted data was."""

import pandas as pd
import pytest

from seqcast.data.options import ReadOptions
from seqcast.data.panel import read_panel
from seqcast.errors import SeqcastError
from seqcast.estimator.reading import (
    FIT_DEFAULTS,
    columns_given,
    one_series,
    options_of,
    read_as_fitted,
    read_options,
)
from seqcast.estimator.state import Columns, FittedState


def test_keywords_go_over_the_options():
    assert read_options(ReadOptions(sep=";"), sep=",").sep == ","
    assert read_options(ReadOptions(sep=";"), sep=None).sep == ";"


def test_fit_defaults_leave_the_options_to_say():
    options = ReadOptions(fill="zero", duplicates="mean")
    merged = read_options(options, FIT_DEFAULTS, fill="none", duplicates="error")
    assert (merged.fill, merged.duplicates) == ("zero", "mean")
    alone = read_options(None, FIT_DEFAULTS, fill="none")
    assert alone.fill == "none"


def test_a_method_s_arguments_make_its_options():
    def predict(data=None, *, sep=None, freq=None, options=None):
        return options_of(locals())

    assert predict(freq="D").freq == "D"
    assert predict(options=ReadOptions(sep="\t")).sep == "\t"


def test_a_column_listed_twice_is_refused():
    with pytest.raises(SeqcastError, match="listed twice"):
        columns_given("y", ["x", "x"])
    assert columns_given("y", "x") == Columns("y", ("x",))


def test_data_already_read_is_taken_as_it_is():
    panel = read_panel({"a": pd.Series([1.0, 2.0, 3.0])})
    state = FittedState(None, "direct", None, Columns("a"), data=panel)
    assert read_as_fitted(state, None, ReadOptions()) is panel
    assert read_as_fitted(state, panel, ReadOptions()) is panel
    lone = read_as_fitted(state, panel.series[0], ReadOptions())
    assert lone.layout == "single" and lone.series[0] is panel.series[0]
    assert one_series(panel.series[0]).ids == (panel.series[0].target,)
    with pytest.raises(SeqcastError, match="a loaded model keeps none"):
        read_as_fitted(FittedState(None, "direct", None, Columns("a")), None, ReadOptions())
