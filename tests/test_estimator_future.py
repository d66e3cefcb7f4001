"""The known future of many series, split by id."""

import pandas as pd
import pytest

from seqcast.errors import SeqcastError
from seqcast.estimator.future import future_by_series


def test_the_future_of_many_series_is_split_by_id():
    future = pd.DataFrame(
        {"store": ["x", "y", "x"], "date": ["2024-01-06"] * 3, "promo": [1, 0, 1]}
    )
    split = future_by_series(future, "store")
    assert sorted(split) == ["x", "y"] and len(split["x"]) == 2
    with pytest.raises(SeqcastError, match="no 'shop' column"):
        future_by_series(future, "shop")
