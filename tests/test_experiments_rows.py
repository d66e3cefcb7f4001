"""The declared row fields, the result's ratio, and the explicit cache of trained models."""

import math

import pytest

from seqcast.experiments.book import BOOK_ROWS, BookRow
from seqcast.experiments.course import COURSE_ROWS, CourseRow
from seqcast.experiments.rows import Row, RowResult, TrainedModel, TrainedModels


@pytest.mark.parametrize("row", [*BOOK_ROWS, *COURSE_ROWS], ids=lambda row: row.name)
def test_every_row_declares_the_shared_fields(row):
    assert isinstance(row, Row)
    assert row.source == ("book" if isinstance(row, BookRow) else "course")
    assert isinstance(row.name, str) and isinstance(row.metric, str)
    assert row.published is None or row.published > 0
    assert (row.model is None) != (row.baseline is None)  # exactly one of them
    assert row.horizon >= 1 and row.epochs >= 0
    assert isinstance(row.is_forecast, bool) and isinstance(row.published_per_epoch, bool)


def test_only_the_books_trained_rows_share_models():
    keys = {row.name: row.training_key() for row in BOOK_ROWS}
    assert keys["iterative"] == keys["deep_rnn_dense"] == ("deep_rnn_dense", "one_step", 1)
    assert keys["naive"] is None
    assert all(row.training_key() is None for row in COURSE_ROWS)
    assert not any(isinstance(row, CourseRow) and row.is_forecast for row in COURSE_ROWS)


def test_a_row_type_must_say_how_it_runs():
    class Incomplete(Row):
        epochs = 0

    with pytest.raises(TypeError, match="run"):
        Incomplete()


def test_the_ratio_is_ours_over_the_published_figure():
    book, ours = BOOK_ROWS[0], next(row for row in BOOK_ROWS if row.published is None)
    assert RowResult(book, book.published * 1.5, epochs=0).ratio == pytest.approx(1.5)
    assert math.isnan(RowResult(ours, 0.1, epochs=0).ratio)


def test_the_cache_trains_each_key_once():
    calls = []

    def train(name):
        def make():
            calls.append(name)
            return TrainedModel(name, {"loss": [1.0]}, 1.0, 0.5)

        return make

    cache = TrainedModels()
    first = cache.get(("a", 1), train("a"))
    assert cache.get(("a", 1), train("again")) is first
    cache.get(("b", 1), train("b"))
    assert calls == ["a", "b"] and len(cache) == 2
    assert len(TrainedModels()) == 0  # a new run starts with nothing trained
