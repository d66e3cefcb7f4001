"""A model's state as the compiled programs take it: arrays out of Keras variables, and back.

The programs are pure functions of arrays; the model keeps its weights in
Keras variables. These functions move between the two: read before a fit,
written back after an epoch (so callbacks see the weights) or at the end.

>>> import keras
>>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
>>> trainable, non_trainable = model_state(model)
>>> [v.shape for v in trainable], non_trainable
([(3, 1), (1,)], [])
"""

from __future__ import annotations

import keras


def model_state(model: keras.Model) -> tuple[list, list]:
    """The current arrays of the model's trainable and non-trainable variables.

    The first two arguments of ``model.stateless_call``.
    """
    return (
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables],
    )


def training_state(model: keras.Model) -> tuple[list, list, list]:
    """``model_state`` plus the optimizer's variables: what a train step threads through."""
    return (*model_state(model), [v.value for v in model.optimizer.variables])


def assign_member(model: keras.Model, weights: tuple[list, list]) -> None:
    """Write one member's ``(trainable, non_trainable)`` arrays into ``model``'s variables."""
    trainable, non_trainable = weights
    for variable, value in zip(model.trainable_variables, trainable):
        variable.assign(value)
    for variable, value in zip(model.non_trainable_variables, non_trainable):
        variable.assign(value)


def assign_training_state(model: keras.Model, state) -> None:
    """Write a ``training_state`` back into the Keras variables (for callbacks, saving)."""
    trainable, non_trainable, optimizer_vars = state
    assign_member(model, (trainable, non_trainable))
    for variable, value in zip(model.optimizer.variables, optimizer_vars):
        variable.assign(value)
