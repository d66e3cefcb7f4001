"""Selecting rows by name, and running a row of either table through its own method."""

import pytest

from seqcast.errors import SeqcastError
from seqcast.experiments import runner
from seqcast.experiments.book import ROWS_BY_NAME as BOOK
from seqcast.experiments.course import ROWS_BY_NAME as COURSE


def test_rows_come_in_the_tables_order_whatever_the_order_asked():
    rows = runner.select_rows(["naive_10", "linear", "naive"])
    assert [row.name for row in rows] == ["naive", "linear", "naive_10"]
    assert runner.select_rows(None, "course") == list(runner.TABLES["course"][0])


def test_an_unknown_suite_is_one_sentence():
    with pytest.raises(
        SeqcastError, match=r"^unknown suite 'movies'; choose one of: book, course$"
    ):
        runner.select_rows(None, "movies")


def test_an_unknown_row_names_the_choices():
    with pytest.raises(
        SeqcastError, match=r"unknown model 'lstmm' in --models; choose from: naive"
    ):
        runner.select_rows(["lstmm"])


def test_run_hands_the_row_its_settings_and_the_runs_cache():
    seen = {}

    class Row:
        def run(self, **settings):
            seen.update(settings)
            return "result"

    cache = runner.TrainedModels()
    assert runner.run(Row(), seed=3, trained=cache) == "result"
    assert seen == {"seed": 3, "trained": cache}


@pytest.mark.parametrize(("row", "published"), [(BOOK["naive"], 0.020211), (COURSE["naive"], None)])
def test_a_baseline_of_either_table_runs_without_training(row, published):
    result = runner.run(row, verbose=0)
    assert result.epochs == 0 and result.train_seconds == 0.0
    if published is not None:
        assert round(result.value, 6) == published
    else:
        assert result.value == pytest.approx(row.published, rel=5e-5)
