"""A long table's series typed at once: clear series and troubled ones read as each alone."""

import numpy as np
import pandas as pd
import pytest

from seqcast.data.panel import read_panel
from seqcast.data.screen import Spans, screened
from seqcast.data.series import prepare_series
from seqcast.errors import SeqcastError


def stores(**overrides) -> pd.DataFrame:
    """Four stores of eight days each; ``overrides`` puts {store: {day: (column, value)}}."""
    rows = []
    for s, store in enumerate("ABCD"):
        days = pd.date_range("2024-01-01", periods=8, freq="D")
        for d, day in enumerate(days):
            rows.append({"store": store, "date": day, "sales": float(s * 10 + d), "price": "1.5"})
    frame = pd.DataFrame(rows)
    for store, cells in overrides.items():
        for day, (column, value) in cells.items():
            frame.loc[(frame["store"] == store) & (frame.index % 8 == day), column] = value
    return frame


def alone(frame: pd.DataFrame, store: str, **keywords):
    one = frame[frame["store"] == store].drop(columns="store").set_index("date")
    return prepare_series(one, "sales", ["price"], **keywords)


def test_each_series_of_a_panel_reads_as_it_reads_alone():
    # B repeats a date with the same values (a troubled series, merged); the others are clear.
    frame = stores(C={3: ("price", "")})
    frame = pd.concat([frame, frame[frame["store"] == "B"].iloc[[2]]]).reset_index(drop=True)
    panel = read_panel(frame, "sales", ["price"], id_column="store", fill="interpolate")
    for store in "ABCD":
        expected = alone(frame, store, fill="interpolate")
        got = panel.get(store)
        pd.testing.assert_frame_equal(got.frame, expected.frame)
        assert got.freq == expected.freq and got.notes == expected.notes
        np.testing.assert_array_equal(got.filled, expected.filled)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (("price", "tbd"), r"column 'price' is not numeric: it holds 'tbd' at 2024-01-03"),
        (("sales", np.inf), r"column 'sales' has an infinite value at 2024-01-03"),
        (("sales", np.nan), r"column 'sales' has 1 missing value \(the first at 2024-01-03\)"),
    ],
)
def test_the_first_troubled_series_says_what_it_would_say_alone(cell, message):
    frame = stores(C={2: cell}, D={1: ("price", "oops")})
    with pytest.raises(SeqcastError, match=f"^series 'C': {message}"):
        read_panel(frame, "sales", ["price"], id_column="store")


def test_a_gap_in_a_clear_series_is_found_before_a_later_series_trouble():
    frame = stores(D={1: ("price", "oops")})
    frame = frame.drop(index=frame.index[(frame["store"] == "B") & (frame.index % 8 == 4)])
    with pytest.raises(SeqcastError, match=r"^series 'B': the series has a gap: after 2024-01-04"):
        read_panel(frame, "sales", ["price"], id_column="store")


def test_the_screen_flags_only_the_series_with_trouble_in_their_kept_rows():
    work = pd.DataFrame({"y": [np.nan, 1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0, 1.0, 2.0]})
    codes = np.repeat([0, 1, 2], [4, 4, 2])
    # Series 0 keeps rows 1-3 (its blank row 0 was trimmed); series 1 has a blank inside;
    # series 2 has two points.
    spans = Spans(codes, first=np.array([1, 4, 8]), last=np.array([3, 7, 9]))
    found = screened(work, spans, None, "y", (), (), fill="none")
    assert found.clear.tolist() == [True, False, False]
    assert screened(work, spans, None, "y", (), (), fill="zero").clear.tolist() == [
        True,
        True,
        False,
    ]


def test_a_column_that_cannot_be_numbers_leaves_every_series_to_the_one_series_checks():
    work = pd.DataFrame({"y": pd.to_datetime(["2024-01-01"] * 3)})
    spans = Spans(np.zeros(3, dtype=int), first=np.array([0]), last=np.array([2]))
    assert screened(work, spans, None, "y", (), (), fill="none") is None
