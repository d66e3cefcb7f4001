"""What the command tests share: small series written as files, the flags of a quick fit, and
the one error line a failed command prints.
"""

import numpy as np
import pandas as pd

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LINEAR = ["--model", "linear", "--window", "14", "--horizon", "3", "--epochs", "3", "--quiet"]
TINY = ["--model", "linear", "--window", "5", "--horizon", "2", "--epochs", "2", "--quiet"]


def daily_frame(n: int = 300) -> pd.DataFrame:
    """A weekly sine on a trend with a little noise, one point a day from 2020-01-01."""
    t = np.arange(n)
    noise = np.random.default_rng(0).normal(size=n)
    values = 10 + 0.02 * t + np.sin(2 * np.pi * t / 7) + 0.1 * noise
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="date")
    return pd.DataFrame({"y": values}, index=index)


def write_csv(path, frame: pd.DataFrame):
    frame.to_csv(path, index_label="date")
    return path


def the_error(captured) -> str:
    """The one error line of a failed command; fails on a traceback or a second error line."""
    err = captured.err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    errors = [line for line in lines if line.startswith("seqcast: error:")]
    assert len(errors) == 1, err
    assert lines == errors, err  # nothing but the one sentence
    return errors[0]


def shop_csv(path, n: int = 120, end_day: str | None = None):
    """A shop's export: sales by day type (W weekdays, A Saturdays, U Sundays and holidays)."""
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    day = np.where(index.day_of_week < 5, "W", np.where(index.day_of_week == 5, "A", "U"))
    day[[0, 89]] = "U"  # New Year's Day, Easter Monday
    if end_day:
        day[-1] = end_day
    noise = np.random.default_rng(0).normal(size=n)
    sales = np.select([day == "W", day == "A"], [100.0, 60.0], 30.0) + 2 * noise
    rows = [f"{d:%Y-%m-%d},{s:.2f},{t}" for d, s, t in zip(index, sales, day)]
    path.write_text("date,sales,daytype\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
