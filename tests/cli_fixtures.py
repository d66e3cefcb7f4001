"""The command tests' shared fixtures (``pytest_plugins = ["cli_fixtures"]``): a folder, a
daily series written in it, and a linear model `seqcast fit` saved from it.
"""

import pytest

import seqcast  # noqa: F401  (must precede keras)
from cli_helpers import LINEAR, daily_frame, write_csv
from seqcast.cli import main


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def data_csv(folder):
    return write_csv(folder / "sales.csv", daily_frame())


@pytest.fixture(scope="module")
def linear_model(folder, data_csv):
    """A linear model saved by `seqcast fit`, without dropout."""
    out = folder / "linear.seqcast"
    assert main(["fit", str(data_csv), *LINEAR, "--out", str(out)]) == 0
    return out
