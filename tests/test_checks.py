"""The shared validators: one rule and one sentence for each kind of argument."""

import numpy as np
import pytest

from seqcast.checks import (
    column_names,
    duration,
    fraction,
    is_whole_number,
    known_ahead,
    listing,
    one_of,
    optional_positive_int,
    positive_int,
)
from seqcast.errors import SeqcastError


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.int32(1)])
def test_positive_int_accepts_whole_numbers_and_returns_python_ints(value):
    result = positive_int(value, "window")
    assert result == int(value) and type(result) is int


@pytest.mark.parametrize("value", [0, -1, 2.0, 2.5, "3", True, np.bool_(True), None])
def test_positive_int_refuses_everything_else_in_one_sentence(value):
    with pytest.raises(SeqcastError, match=r"^window must be a whole number of at least 1, got "):
        positive_int(value, "window")


def test_positive_int_with_a_higher_minimum():
    assert positive_int(2, "samples", minimum=2) == 2
    with pytest.raises(SeqcastError, match="samples must be a whole number of at least 2, got 1"):
        positive_int(1, "samples", minimum=2)


def test_optional_positive_int_lets_none_through():
    assert optional_positive_int(None, "difference") is None
    assert optional_positive_int(12, "difference") == 12
    with pytest.raises(SeqcastError, match="difference must be a whole number"):
        optional_positive_int(0, "difference")


def test_is_whole_number_excludes_bools_and_floats():
    assert is_whole_number(5) and is_whole_number(np.uint8(5))
    assert not any(is_whole_number(v) for v in (True, False, 5.0, "5", np.bool_(False)))


@pytest.mark.parametrize("value", [0.5, 0.9, np.float32(0.25)])
def test_fraction_accepts_numbers_strictly_between_0_and_1(value):
    assert fraction(value, "intervals") == pytest.approx(float(value))


@pytest.mark.parametrize("value", [0, 1, 1.5, -0.1, "0.9", True, None])
def test_fraction_refuses_the_ends_and_non_numbers(value):
    with pytest.raises(SeqcastError, match=r"^intervals must be a number between 0 and 1"):
        fraction(value, "intervals")


def test_one_of_names_the_choices():
    assert one_of(None, ("standard", None), "scaler") is None
    with pytest.raises(
        SeqcastError, match=r"^unknown scaler 'robust'; choose one of: standard, minmax, None$"
    ):
        one_of("robust", ("standard", "minmax", None), "scaler")


def test_listing_counts_what_it_leaves_out():
    assert listing(["a", "b"]) == "a, b"
    assert listing([f"c{i}" for i in range(5)], limit=3) == "c0, c1, c2 and 2 more"


def test_column_names_takes_one_name_or_many_and_refuses_repeats():
    assert column_names("price") == ("price",)
    assert column_names([1, "promo"]) == ("1", "promo")
    assert column_names(None) == ()
    with pytest.raises(SeqcastError, match="the covariate 'price' is listed twice"):
        column_names(["price", "price"], "covariate")


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("90s", 90.0),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("1.5h", 5400.0),
        ("300", 300.0),
        (" 2M ", 120.0),
        (45, 45.0),
        (0.5, 0.5),
    ],
)
def test_duration_reads_seconds_minutes_hours_and_plain_seconds(value, seconds):
    assert duration(value, "budget") == seconds


@pytest.mark.parametrize("value", ["5 minutes", "5x", "m", "", "-1m", "0", 0, "nan", "inf", True])
def test_duration_refuses_everything_else_in_one_sentence(value):
    with pytest.raises(SeqcastError, match=r"^budget must be a duration such as 90s, 5m or 1h"):
        duration(value, "budget")


def test_known_ahead_needs_a_target_and_a_window_that_holds_the_horizon():
    assert known_ahead(0, features=1, window=2, horizon=5) == 0  # nothing read ahead
    assert known_ahead(2, features=3, window=None, horizon=5) == 2  # checked when read
    with pytest.raises(SeqcastError, match=r"1 known covariate column\(s\) leave no target"):
        known_ahead(1, features=1, window=8, horizon=2)
    with pytest.raises(SeqcastError, match=r"known must be a whole number of at least 0"):
        known_ahead(-1, features=2, window=8, horizon=2)
    with pytest.raises(SeqcastError, match=r"use a window of at least 5 steps"):
        known_ahead(1, features=2, window=4, horizon=5)
