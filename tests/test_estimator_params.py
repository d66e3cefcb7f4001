"""An estimator's parameters, read off its signature: get, set, repr."""

import pytest

from seqcast.errors import SeqcastError
from seqcast.estimator.params import Parameterised


class Toy(Parameterised):
    def __init__(self, model="lstm", *, window=30, seed=42):
        self.model, self.window, self.seed = model, window, seed

    @property
    def model_name(self):
        return self.model


def test_the_parameters_round_trip():
    toy = Toy(window=5)
    assert toy.get_params() == {"model": "lstm", "window": 5, "seed": 42}
    assert toy.set_params(seed=1) is toy and toy.seed == 1
    assert repr(toy) == "Toy('lstm', window=5, seed=1)"


def test_an_unknown_parameter_is_refused():
    with pytest.raises(SeqcastError, match="Toy has no parameter 'windows'"):
        Toy().set_params(windows=3)
