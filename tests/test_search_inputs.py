"""The search's data: read once with its ReadOptions, one series or many."""

import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.data.options import ReadOptions
from seqcast.errors import SeqcastError
from seqcast.search.inputs import read_once, require_validation


def _csv(path, n: int = 40) -> str:
    days = pd.date_range("2021-03-01", periods=n, freq="D")
    values = [f"{v:.2f}".replace(".", ",") for v in 10 + np.sin(np.arange(n))]
    pd.DataFrame({"day": days.strftime("%d/%m/%Y"), "sales": values}).to_csv(
        path, sep=";", index=False
    )
    return str(path)


def test_one_series_is_read_with_its_options_and_they_pass_to_every_trial(tmp_path):
    options = ReadOptions(date_column="day", date_format="%d/%m/%Y", sep=";", decimal=",")
    searched = read_once(_csv(tmp_path / "sales.csv"), None, (), (), 0.25, options)
    assert not searched.many and searched.freq == "D" and searched.n_train == 30
    assert searched.frame.index[0] == pd.Timestamp("2021-03-01")
    assert searched.fit_args == {
        "target": "sales",
        "covariates": (),
        "valid": 0.25,
        "known_covariates": (),
        "date_format": "%d/%m/%Y",
        "freq": None,
        "fill": "none",
        "duplicates": "error",
    }


def test_many_series_are_read_as_one_panel_and_the_shortest_sets_the_room():
    rows = [
        pd.DataFrame({"shop": shop, "date": pd.date_range("2021-01-01", periods=n), "y": 1.0})
        for shop, n in (("a", 50), ("b", 30))
    ]
    table = pd.concat(rows, ignore_index=True)
    searched = read_once(table, "y", (), (), 0.2, ReadOptions(), id_column="shop")
    assert searched.many and len(searched.parts) == 2
    assert searched.n_train == 24 and searched.fit_args["static"] == ()


def test_the_search_needs_a_validation_part():
    with pytest.raises(SeqcastError, match="validation part; give valid="):
        require_validation(None)
    require_validation(0.2)
