"""The zoo: every entry builds, its recipe is the source's, unknown names are explained."""

import pytest

from seqcast.errors import SeqcastError
from seqcast.experiments.book import BOOK_ROWS
from seqcast.models import ZOO, build_model


@pytest.mark.parametrize("name", sorted(ZOO))
def test_every_zoo_model_builds_with_the_requested_horizon(name):
    model = build_model(name, n_steps=50, horizon=3)
    assert model.output_shape[-1] == 3
    assert ZOO[name].recipe.make_optimizer() is not ZOO[name].recipe.make_optimizer()


def test_recipes_are_the_books():
    assert ZOO["simple_rnn"].recipe.learning_rate == 0.005
    assert float(ZOO["simple_rnn"].recipe.make_optimizer().learning_rate) == pytest.approx(0.005)
    assert ZOO["deep_rnn"].recipe.optimizer == "adam"


def test_every_book_row_names_a_zoo_model_or_a_baseline():
    for row in BOOK_ROWS:
        assert (row.model is None) != (row.baseline is None), row.name
        assert row.model is None or row.model in ZOO


def test_unknown_model_lists_the_known_ones():
    with pytest.raises(SeqcastError, match=r"unknown model 'gruu'; choose one of: .*deep_rnn"):
        build_model("gruu")


def test_recipes_expose_gradient_clipping_and_sgd_momentum():
    from seqcast.models import Recipe

    assert Recipe(clipnorm=1.0).make_optimizer().clipnorm == 1.0
    assert Recipe(clipvalue=0.5).make_optimizer().clipvalue == 0.5
    course = ZOO["bidirectional_lstm"].recipe.make_optimizer()
    assert type(course).__name__ == "SGD" and course.momentum == 0.9
    assert float(course.learning_rate) == pytest.approx(1e-5)
