"""``seqcast datasets``: every built-in series and panel, listed offline."""

import seqcast  # noqa: F401  (must precede keras)
from seqcast.cli import main


def test_datasets_lists_the_series_and_the_panels(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    names = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert names == ["course", "sunspots", "co2", "elnino", "us_employment", "visnights"]
    assert "309 points" in out and "season 11" in out
    assert "148 series" in out
