"""From data read to a network ready to train: checks, transforms, network, windows.

:func:`prepare` is what ``fit`` and ``lr_find`` share: each series'
transform fitted on its own training part, a fresh network built and
compiled (seeded), and the training windows of every series.

>>> from seqcast.data.panel import read_panel
>>> one = read_panel({"a": pd.Series([1.0, 2.0, 3.0])})
>>> resolved_scaler("auto", one), resolved_scaler("minmax", one)
('standard', 'minmax')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from seqcast import backend_check
from seqcast.checks import one_of, optional_positive_int, positive_int
from seqcast.choices import SCALERS, STRATEGIES
from seqcast.data.panel import Panel
from seqcast.data.panel_transform import SERIES_INDEX, PanelTransform, with_statics
from seqcast.data.transform import training_end
from seqcast.errors import SeqcastError
from seqcast.estimator.naming import named, of
from seqcast.estimator.state import Parameters
from seqcast.spelling import argument

backend_check.ensure_jax_backend()

import keras  # noqa: E402

from seqcast import network  # noqa: E402
from seqcast.models import get_entry, make_optimizer  # noqa: E402


@dataclass(frozen=True)
class Setup:
    """The fitted transforms, a compiled fresh network and its training windows."""

    transform: PanelTransform
    scaled: list[np.ndarray]  # each series' scaled model values, whole
    n_trains: list[int]  # each series' training rows of ``scaled``
    model: keras.Model
    strategy: str
    x: Any
    y: Any
    build: Callable[[], keras.Model]  # another network like ``model`` (an ensemble's member)


def check_params(params: Parameters) -> None:
    """Refuse a parameter out of its range, in one sentence naming it."""
    one_of(params.strategy, STRATEGIES, "strategy")
    one_of(params.scaler, SCALERS, "scaler")
    optional_positive_int(params.difference, "difference")
    for name in ("window", "horizon", "epochs", "batch_size", "ensemble"):
        positive_int(getattr(params, name), name)
    positive_int(params.id_embedding, "id_embedding", minimum=0)
    if isinstance(params.model, str):
        get_entry(params.model)  # unknown names fail here, listing the zoo


def trained_horizon(params: Parameters) -> int:
    """The steps the network is trained to forecast: one for the iterative strategy."""
    return 1 if params.strategy == "iterative" else params.horizon


def refuse_iterative_covariates(params: Parameters, panel: Panel, static: list[str]) -> None:
    """The iterative strategy feeds the model its own forecasts: the target alone."""
    if params.strategy == "iterative" and (panel.covariates or static or params.id_embedding):
        raise SeqcastError(
            "the iterative strategy feeds the model its own forecasts, which cannot "
            "include covariates; use strategy='direct' or 'seq2seq', or drop the covariates"
        )


def training_ends(panel: Panel, valid: Any) -> list[int]:
    """Where each series' validation part starts (its length without ``valid``)."""
    return [
        named(panel, sid, training_end, series.frame.index, valid, series.date_style)
        for sid, series in zip(panel.ids, panel)
    ]


def resolved_scaler(scaler: str | None, panel: Panel) -> str | None:
    """``Forecaster(scaler=...)`` for this data: ``"auto"`` is standard for one series,
    window scaling for many (``Forecaster``'s docstring says why)."""
    if scaler != "auto":
        return scaler
    return "standard" if len(panel) == 1 else "window"


def statics_of(panel: Panel, sid: str) -> dict[str, Any]:
    """Series ``sid``'s static covariates, by name (empty without any)."""
    if panel.statics.shape[1] == 0:
        return {}
    return panel.statics.loc[sid].to_dict()


def text_statics(panel: Panel) -> list[str]:
    """The static covariates that hold text: read as categories, as text covariates are."""
    return [
        column
        for column in panel.statics.columns
        if not ptypes.is_numeric_dtype(panel.statics[column].dtype)
        or ptypes.is_bool_dtype(panel.statics[column].dtype)
    ]


def refuse_partition_wide(panel: Panel, id_embedding: int) -> None:
    """Refuse what a fit on one process's part of the series cannot learn alone.

    Statics are standardised over all series, text categories found in all of
    them, an id embedding sized by their number: with the series split among
    processes, each would see different ones. One process holds them all.
    """
    import jax

    if jax.process_count() == 1:
        return
    needs = []
    if len(panel.statics.columns):
        needs.append(f"static columns ({', '.join(panel.statics.columns)})")
    if id_embedding:
        needs.append("an id embedding")
    text = panel.series[0].categorical if panel.series else ()
    if text:
        needs.append(f"text covariates ({', '.join(text)})")
    if needs:
        raise SeqcastError(
            f"a fit on partitioned data cannot use {' or '.join(needs)}, which depend on "
            "every series at once; leave them out, or give every process all the data"
        )


def prepare(params: Parameters, panel: Panel, splits: list[int], known: int) -> Setup:
    """Fit each series' transform on its part before ``splits``; build, compile, window.

    Each series gives a training window (``short_series.trainable`` chose them).
    """
    n_trains = [split - (params.difference or 0) for split in splits]
    frames = model_frames(params, panel, known)
    transform = fit_transform(params, panel, frames, n_trains, known)
    scaled = [fitted.scaled(frame) for fitted, frame in zip(transform.transforms, frames)]
    build = network_builder(params, panel, transform, frames[0].columns, scaled[0].shape[1])
    model, strategy = compiled_network(params, build)
    x, y = windows(params, [values[:n] for values, n in zip(scaled, n_trains)], model)
    return Setup(transform, scaled, n_trains, model, strategy, x, y, build)


def model_frames(params: Parameters, panel: Panel, known: int) -> list[pd.DataFrame]:
    """Each series' frame with its static columns (and series index) added."""
    with_index = range(len(panel)) if params.id_embedding else [None] * len(panel)
    return [
        with_statics(series.frame, statics_of(panel, sid), known, index)
        for sid, series, index in zip(panel.ids, panel, with_index)
    ]


def fit_transform(
    params: Parameters, panel: Panel, frames: list[pd.DataFrame], n_trains: list[int], known: int
) -> PanelTransform:
    """Each series' transform, fitted on its first ``n_trains`` model values."""
    return PanelTransform.fit(
        frames,
        panel.ids,
        n_trains,
        window=params.window,
        horizon=params.horizon,
        difference=params.difference,
        known=known,
        scaler=resolved_scaler(params.scaler, panel),
        categorical=[*panel.series[0].categorical, *text_statics(panel)],
        statics=tuple(panel.statics.columns),
        id_embedding=bool(params.id_embedding),
    )


def network_builder(
    params: Parameters, panel: Panel, transform: PanelTransform, columns: Any, features: int
) -> Callable[[], keras.Model]:
    """A function building a fresh network for these inputs (``features`` once encoded)."""
    keras.utils.set_random_seed(params.seed)
    window_scaling = transform.window_scaling(columns)
    embedding = None
    if params.id_embedding:
        column = transform.categories.sources(columns).index(SERIES_INDEX)
        embedding = (len(panel), int(params.id_embedding), column)

    def build_network() -> keras.Model:
        return network.build(
            params.model,
            window=params.window,
            horizon=trained_horizon(params),
            features=features,
            dropout=params.dropout,
            window_scaling=window_scaling,
            known=transform.first.known,  # encoded: a text one is a column per category
            id_embedding=embedding,
        )

    return build_network


def compiled_network(
    params: Parameters, build: Callable[[], keras.Model]
) -> tuple[keras.Model, str]:
    """The first network, compiled with the loss and optimizer, and its resolved strategy."""
    model = build()
    strategy = network.resolve_strategy(model, params.strategy, params.model_name)
    optimizer = make_optimizer(
        params.optimizer,
        learning_rate=params.learning_rate,
        momentum=params.momentum,
        clipnorm=params.clipnorm,
    )
    model.compile(loss=params.loss, optimizer=optimizer)
    return model, strategy


def windows(params: Parameters, scaled: list[np.ndarray], model: keras.Model) -> tuple[Any, Any]:
    """The training windows (inputs, targets) of every series' ``scaled`` values."""
    return network.training_windows(
        scaled, model, params.model, window=params.window, horizon=trained_horizon(params)
    )


def validation_windows(params: Parameters, panel: Panel, setup: Setup) -> tuple[Any, Any] | None:
    """The windows of every series' validation part (after its training part), or None."""
    horizon = trained_horizon(params)
    parts = []
    for sid, scaled, n_train in zip(panel.ids, setup.scaled, setup.n_trains):
        if n_train >= len(scaled):
            continue
        valid_part = scaled[n_train - params.window :]
        if len(valid_part) < params.window + horizon:
            raise SeqcastError(
                f"{of(panel, sid, 'the validation part')} has {len(scaled) - n_train} "
                f"points, fewer than the horizon {horizon}; validate on more "
                f"data or fit without {argument('valid')}"
            )
        parts.append(valid_part)
    return windows(params, parts, setup.model) if parts else None


def more_members(params: Parameters, setup: Setup) -> list[keras.Model]:
    """Networks 1 .. ensemble-1, built like ``setup.model`` with seeds ``seed + m``."""
    networks = []
    for member in range(1, params.ensemble):
        keras.utils.set_random_seed(params.seed + member)
        networks.append(setup.build())
    return networks
