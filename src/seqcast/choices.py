"""The named choices a user picks from, declared once for the library and the command line.

This module imports nothing heavy, so ``seqcast --help`` can list the choices
without loading Keras; the Forecaster checks its parameters against the same
tuples (through :func:`seqcast.checks.one_of`).
"""

from __future__ import annotations

#: How a Forecaster turns a model's outputs into ``horizon`` values; "auto" picks
#: seq2seq for models that output a sequence, else direct.
STRATEGIES = ("auto", "seq2seq", "direct", "iterative")

#: Scaling fitted on the training part; None leaves the values as they are.
SCALERS = ("standard", "minmax", None)

#: How ``predict(intervals=...)`` makes its band; "auto" uses MC dropout for a
#: model fitted with dropout, else the validation residuals.
INTERVAL_METHODS = ("auto", "mc_dropout", "residuals")

#: The tables ``seqcast reproduce`` can run.
SUITES = ("book", "course")
