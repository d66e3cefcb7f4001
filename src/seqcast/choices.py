"""The named choices a user picks from, declared once for the library and the command line.

This module imports nothing heavy, so ``seqcast --help`` can list the choices
without loading Keras; the Forecaster checks its parameters against the same
tuples (through :func:`seqcast.checks.one_of`).
"""

from __future__ import annotations

#: How a Forecaster turns a model's outputs into ``horizon`` values; "auto" picks
#: seq2seq for models that output a sequence, else direct.
STRATEGIES = ("auto", "seq2seq", "direct", "iterative")

#: Scaling fitted on the training part; None leaves the values as they are. "window"
#: standardises too, and the network normalises each input window by its own mean and
#: standard deviation and maps its forecasts back (RevIN), so it can leave the trained range.
#: "auto" is standard for one series and window for many (seqcast.forecaster.Forecaster).
SCALERS = ("auto", "standard", "minmax", "window", None)

#: How ``predict(intervals=...)`` makes its band; "auto" uses MC dropout for a
#: model fitted with dropout, else the validation residuals; "ensemble" is the
#: spread of an ensemble's members (``Forecaster(ensemble=K)``).
INTERVAL_METHODS = ("auto", "mc_dropout", "residuals", "ensemble")

#: The tables ``seqcast reproduce`` can run.
SUITES = ("book", "course")

#: How ``prepare_series(fill=...)`` / ``--fill`` fills missing dates (and blank values):
#: "none" refuses them with a message, "interpolate" draws a line between the neighbours,
#: "ffill" repeats the last known value, "zero" writes 0.
FILL_METHODS = ("none", "interpolate", "ffill", "zero")

#: What ``prepare_series(duplicates=...)`` / ``--duplicates`` does with rows that repeat a
#: date with different values (exact duplicates are always dropped): "error" refuses them,
#: the others keep the first or last row, or the mean or sum of each column.
DUPLICATE_POLICIES = ("error", "first", "last", "mean", "sum")

#: The zoo models ``--model auto`` (seqcast.search.ModelSearch) tries: the zoo's forecasting
#: models, each trained with Adam at the learning rate the search picks.
SEARCH_MODELS = ("gru", "lstm", "deep_rnn_dense", "conv_gru", "wavenet", "dnn", "linear")

#: The losses ``--model auto`` tries.
SEARCH_LOSSES = ("mse", "huber", "mae")

#: What ``--model`` takes, besides a zoo name, to search for the model on the validation part.
AUTO_MODEL = "auto"

#: How a panel's series were laid out in the data read (``seqcast.data.panel.Panel.layout``):
#: "single" one series (a panel of one), "long" an id column beside the dates, "wide" one
#: column per series, "multiindex" a pandas (id, date) index, "mapping" a dict or list of series.
PANEL_LAYOUTS = ("single", "long", "wide", "multiindex", "mapping")

#: What ``read_panel(targets=...)`` / ``--targets`` takes to make every numeric column that is
#: not a covariate a series of its own (wide format).
ALL_TARGETS = "all"

#: The kinds of built-in data (``seqcast.data.datasets``): one series, or a panel of many.
DATASET_KINDS = ("series", "panel")
