"""A column's values: numbers converted, categories recognised, bad cells named by date."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.columns import as_float, check_finite, is_text, text_columns
from seqcast.errors import SeqcastError

DAYS = pd.date_range("2024-03-01", periods=4, freq="D")


def test_numbers_written_as_text_are_numbers_and_blanks_are_missing():
    values = as_float(pd.Series(["1.5", " 2 ", "", None]), "price", DAYS)
    np.testing.assert_array_equal(values[:2], [1.5, 2.0])
    assert np.isnan(values[2:]).all()
    assert as_float(pd.Series([True, False, True, True]), "open", DAYS).tolist() == [1, 0, 1, 1]


def test_a_word_among_numbers_is_named_with_its_date():
    with pytest.raises(
        SeqcastError, match=r"^column 'price' is not numeric: it holds 'tbd' at 2024-03-03; fix"
    ):
        as_float(pd.Series(["1", "2", "tbd", "4"]), "price", DAYS)
    with pytest.raises(SeqcastError, match=r"holds 'x' at row 2;"):
        as_float(pd.Series(["1", "x"]), "price", pd.RangeIndex(2))


def test_dates_are_not_numbers():
    with pytest.raises(SeqcastError, match=r"column 'when' holds datetime64\[\w+\] values, not"):
        as_float(pd.Series(DAYS), "when", DAYS)


def test_missing_and_infinite_values_are_refused_where_they_are():
    with pytest.raises(SeqcastError, match=r"has 2 missing values \(the first at 2024-03-02\)"):
        check_finite(np.array([1.0, np.nan, 3.0, np.nan]), "y", DAYS)
    with pytest.raises(SeqcastError, match=r"has an infinite value at 2024-03-04"):
        check_finite(np.array([1.0, 2.0, 3.0, np.inf]), "y", DAYS)


def test_mostly_words_are_categories_a_stray_word_is_not():
    assert is_text(pd.Series(["W", "W", "A", "U"]), "day", DAYS)
    assert is_text(pd.Series(["", "Easter", "", ""]), "holiday", DAYS)  # blanks: no holiday
    assert not is_text(pd.Series(["1", "2", "tbd", "4"]), "price", DAYS)
    assert not is_text(pd.Series(["1,5", "2,5", "3", "4"]), "price", DAYS)
    assert is_text(pd.Series([1, 2, 1, 2]).astype("category"), "store", DAYS)


def test_named_categorical_columns_win_over_guessing():
    frame = pd.DataFrame({"day": ["W", "A", "W", "U"], "code": ["1", "2", "1", "3"]}, index=DAYS)
    assert text_columns(frame, ("day", "code"), None, DAYS) == ("day",)
    assert text_columns(frame, ("day", "code"), ["code"], DAYS) == ("code",)
