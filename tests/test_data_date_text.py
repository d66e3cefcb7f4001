"""How a column of text dates was written: day or month first, told by its values."""

import pandas as pd

from seqcast.data.date_text import written_day_first


def test_the_order_of_day_and_month_is_told_by_the_dates_whose_day_is_not_their_month():
    days = pd.DatetimeIndex(["2023-01-01", "2023-02-02", "2023-02-03"])
    assert written_day_first(pd.Series(["01/01/2023", "02.02.2023", "03-02-2023"]), days)
    assert written_day_first(pd.Series(["01/01/2023", "02/02/2023", "02/03/23"]), days) is False


def test_dates_that_do_not_tell_give_no_order():
    days = pd.DatetimeIndex(["2000-01-01", "2001-01-01", "2002-01-01"])
    assert written_day_first(pd.Series(["01/01/2000", "01/01/2001", "01/01/2002"]), days) is None
    iso = pd.DatetimeIndex(["2023-01-13", "2023-01-14"])
    assert written_day_first(pd.Series(["2023-01-13", "2023-01-14"]), iso) is None
    assert written_day_first(pd.Series(pd.to_datetime(["2023-01-13", "2023-01-14"])), iso) is None
