"""One file for a fitted forecaster: its network and its :class:`FittedState`, whole.

:func:`save_forecaster` writes a forecaster's state as a bundle
(``seqcast.bundle_file``: the ``.keras`` model, a JSON manifest and named
arrays, zipped, written atomically and read safely); :func:`load_forecaster`
reads the state back whole and gives it to a new forecaster.

:class:`Manifest` is the layout of the JSON part: what a fitted
``Forecaster`` keeps besides its network (its parameters, strategy, scaling,
columns, frequency, validation errors and training history, the categories
of text covariates, the training range of each input and, for a model
``--model auto`` chose, the search's leaderboard). Its keys are those
of the format ``seqcast.Forecaster/1``; the later ones have defaults, so files
saved before them still load.

>>> from seqcast.data.scaling import Scaler
>>> manifest = Manifest(params={"model": "gru", "window": 5}, strategy="seq2seq",
...                     scaler=Scaler("standard", (10.0,), (2.0,)), target="y")
>>> Manifest.from_dict(json.loads(json.dumps(manifest.to_dict())), "x") == manifest
True
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from seqcast.bundle_file import (
    ARRAYS,
    CODE_LAYERS,
    FORMAT,
    MANIFEST,
    MAX_RATIO,
    MAX_UNPACKED,
    MODEL,
    REQUIRED,
    check_unpacked_size,
    checked_path,
    damaged,
    holds_code,
    jsonable,
    manifest_in,
    member_arrays,
    members_from,
    read_arrays,
    read_bundle,
    refuse_code,
    unreadable,
    write_bundle,
)
from seqcast.data.categories import Categories
from seqcast.data.dates import DateStyle
from seqcast.data.options import ReadOptions
from seqcast.data.panel_transform import PanelTransform
from seqcast.data.scaling import Scaler
from seqcast.data.transform import SeriesTransform
from seqcast.errors import SeqcastError
from seqcast.estimator.state import Columns, FittedState
from seqcast.version import __version__

__all__ = [
    "ARRAYS",
    "CODE_LAYERS",
    "FORMAT",
    "MANIFEST",
    "MAX_RATIO",
    "MAX_UNPACKED",
    "MODEL",
    "REQUIRED",
    "Manifest",
    "check_unpacked_size",
    "damaged",
    "holds_code",
    "jsonable",
    "load_forecaster",
    "member_arrays",
    "members_from",
    "read_arrays",
    "read_bundle",
    "read_manifest",
    "refuse_code",
    "save_forecaster",
    "unreadable",
    "write_bundle",
]


@dataclass(frozen=True, eq=False)
class Manifest:
    """What a saved forecaster holds besides its network, as in the bundle's ``manifest.json``.

    ``params`` are the estimator's JSON-able parameters (``model`` as its name);
    ``residuals`` the validation errors ``(origins, horizon)`` or None;
    ``history`` the metrics per epoch; ``categories`` the categories of each
    text covariate, sorted (empty in files saved before text covariates were
    read); ``bounds`` the lowest and highest training value of each model
    input, ``(low, high)``, or None (files saved before: no range warning);
    ``search`` what :class:`~seqcast.search.ModelSearch` recorded (its
    ``leaderboard`` rows, seed, budget), None for a model not chosen by one.
    """

    params: dict[str, Any]
    strategy: str
    scaler: Scaler
    target: str
    covariates: list[str] = field(default_factory=list)
    known_covariates: list[str] = field(default_factory=list)
    freq: str | None = None
    fill: str = "none"  # how fit filled missing dates: predict and backtest do the same
    duplicates: str = "error"  # how fit merged repeated dates: likewise
    date_format: str | None = None  # how fit was told the dates are written (None: found)
    date_order: str | None = None  # "day first" / "month first" as the data showed (or None)
    fitted_until: str | int | None = None  # the last label fitted on: a backtest starts after
    residuals: np.ndarray | None = None
    history: dict[str, list[float]] = field(default_factory=dict)
    seqcast_version: str = __version__
    categories: dict[str, list[str]] = field(default_factory=dict)
    bounds: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    search: dict[str, Any] | None = None  # how ModelSearch chose it: leaderboard, seed...
    # For a model fitted on many series: the layout, id column, ids, static columns; each
    # series' scaling, bounds and validation errors are arrays (panel_arrays).
    panel: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object written to the bundle (without ``format``, which the writer adds)."""
        return {
            "seqcast_version": self.seqcast_version,
            "params": self.params,
            "strategy": self.strategy,
            "scaler": {
                "kind": self.scaler.kind,
                "offset": self.scaler.offset,
                "scale": self.scaler.scale,
            },
            "target": self.target,
            "covariates": list(self.covariates),
            "known_covariates": list(self.known_covariates),
            "freq": self.freq,
            "fill": self.fill,
            "duplicates": self.duplicates,
            "date_format": self.date_format,
            "date_order": self.date_order,
            "fitted_until": self.fitted_until,
            "residuals": None if self.residuals is None else self.residuals.tolist(),
            "history": self.history,
            "categories": {k: list(v) for k, v in self.categories.items()},
            "bounds": None if self.bounds is None else [list(b) for b in self.bounds],
            "search": self.search,
            "panel": self.panel,
        }

    @classmethod
    def from_dict(cls, manifest: dict[str, Any], path: str | Path) -> Manifest:
        """Read a manifest object; one that cannot be read is a SeqcastError naming ``path``."""
        try:
            scaler = manifest["scaler"]
            residuals = manifest.get("residuals")
            bounds = manifest.get("bounds")
            return cls(
                params=dict(manifest["params"]),
                strategy=manifest["strategy"],
                scaler=Scaler(scaler["kind"], tuple(scaler["offset"]), tuple(scaler["scale"])),
                target=str(manifest["target"]),
                covariates=list(manifest["covariates"]),
                known_covariates=list(manifest.get("known_covariates", [])),
                freq=manifest.get("freq"),
                fill=manifest.get("fill", "none"),  # absent from older files
                duplicates=manifest.get("duplicates", "error"),
                date_format=manifest.get("date_format"),
                date_order=manifest.get("date_order"),  # absent from older files
                fitted_until=manifest.get("fitted_until"),  # likewise
                residuals=None if residuals is None else np.asarray(residuals, dtype=float),
                history=manifest.get("history", {}),
                seqcast_version=manifest.get("seqcast_version", "?"),
                categories={
                    str(k): [str(c) for c in v] for k, v in manifest.get("categories", {}).items()
                },
                bounds=None if bounds is None else (tuple(bounds[0]), tuple(bounds[1])),
                search=None if manifest.get("search") is None else dict(manifest["search"]),
                panel=None if manifest.get("panel") is None else dict(manifest["panel"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise damaged(path, err) from err

    def __eq__(self, other: object) -> bool:
        # Field by field, with the residuals compared as arrays.
        return isinstance(other, Manifest) and json.dumps(self.to_dict()) == json.dumps(
            other.to_dict()
        )


def save_forecaster(path: str | Path, forecaster: Any) -> Path:
    """Write a fitted ``Forecaster``'s network and state to ``path``, atomically."""
    params = {k: v for k, v in forecaster.get_params().items() if jsonable(v)}
    return write_state(path, {**params, "model": forecaster.model_name}, forecaster.state_)


def write_state(path: str | Path, params: dict[str, Any], state: FittedState) -> Path:
    """Write ``state`` (and the estimator's JSON-able ``params``) as a bundle at ``path``."""
    arrays = {**member_arrays(state.members), **panel_arrays(state)}
    return write_bundle(path, state.model, manifest_of(params, state).to_dict(), arrays)


def manifest_of(params: dict[str, Any], state: FittedState) -> Manifest:
    """The :class:`Manifest` of ``state``: everything but the network and the arrays."""
    first, columns = state.transforms.first, state.columns
    return Manifest(
        params=params,
        strategy=state.strategy,
        scaler=first.scaler,
        target=columns.target,
        covariates=list(columns.covariates),
        known_covariates=list(columns.known),
        freq=state.freq,
        fill=state.reading.fill_method,
        duplicates=state.reading.duplicate_policy,
        date_format=state.reading.date_format,
        date_order=state.dates_written.order_text,
        fitted_until=state.fitted_until,
        # a panel's, by series, go with its arrays (panel_arrays)
        residuals=state.residuals_for(columns.target) if state.single else None,
        history=state.history,
        categories={k: list(v) for k, v in first.categories.levels.items()},
        bounds=first.bounds,
        search=state.search,
        panel=panel_manifest(state),
    )


def panel_manifest(state: FittedState) -> dict[str, Any] | None:
    """What a model fitted on many series needs to read and forecast them, or None for one."""
    if state.single:
        return None
    transforms = state.transforms
    static = transforms.static_scaler
    return {
        "layout": state.layout,
        "id_column": state.id_column,
        "ids": list(transforms.ids),
        "static": list(state.columns.static),
        "static_scaler": None if static is None else [list(static.offset), list(static.scale)],
        "known_columns": transforms.known_columns,
    }


def panel_arrays(state: FittedState) -> dict[str, np.ndarray]:
    """Each series' scaling, training bounds and validation errors, as arrays (none for one)."""
    if state.single:
        return {}
    fitted = state.transforms.transforms
    arrays = {
        "panel_offset": np.array([t.scaler.offset for t in fitted]),
        "panel_scale": np.array([t.scaler.scale for t in fitted]),
        "panel_low": np.array([t.bounds[0] for t in fitted]),
        "panel_high": np.array([t.bounds[1] for t in fitted]),
    }
    residuals = state.residuals or {}
    ids = state.transforms.ids
    arrays["panel_residual_counts"] = np.array([len(residuals.get(i, ())) for i in ids])
    kept = [residuals[i] for i in ids if i in residuals]
    if kept:
        arrays["panel_residuals"] = np.concatenate(kept)
    return arrays


def load_forecaster(cls: type, path: str | Path) -> Any:
    """A ``cls`` (``Forecaster``) fitted as the one ``save_forecaster`` wrote to ``path``.

    It forecasts as the saved one did, but keeps no data (``predict`` needs
    some) and no validation start (``backtest`` needs ``start``).
    """
    found, model = read_bundle(path, required=REQUIRED)
    manifest = Manifest.from_dict(found, path)
    try:
        forecaster = cls(**manifest.params)
    except TypeError as err:  # a parameter this version does not have
        raise damaged(path, err) from err
    forecaster.state_ = state_from(manifest, model, read_arrays(path), forecaster, path)
    return forecaster


def state_from(
    manifest: Manifest,
    model: Any,
    arrays: dict[str, np.ndarray],
    params: Any,
    path: str | Path,
) -> FittedState:
    """The :class:`FittedState` a bundle holds (``params``: the estimator's window, horizon...)."""
    first = saved_transform(manifest, params)
    members = members_from(arrays, model, path)
    transforms, residuals = saved_series(manifest, arrays, first, path)
    info = manifest.panel
    static = tuple(info.get("static", ())) if info else ()
    return FittedState(
        model=model,
        strategy=manifest.strategy,
        transforms=transforms,
        columns=Columns(
            manifest.target, tuple(manifest.covariates), tuple(manifest.known_covariates), static
        ),
        layout=info["layout"] if info else "single",
        id_column=info["id_column"] if info else "series",
        freq=manifest.freq,
        reading=ReadOptions(
            date_format=manifest.date_format, fill=manifest.fill, duplicates=manifest.duplicates
        ),
        history=manifest.history,
        members=members,
        residuals=residuals,
        search=manifest.search,
        date_style=DateStyle.saved(manifest.date_format, manifest.date_order),
        data_end=manifest.fitted_until,
    )


def saved_transform(manifest: Manifest, params: Any) -> SeriesTransform:
    """The first series' transform: the settings every series shares, and its scaling."""
    categories = Categories({k: tuple(v) for k, v in manifest.categories.items()})
    return SeriesTransform(
        params.window,
        params.horizon,
        params.difference,
        categories.width(manifest.known_covariates),  # a text one: a column per category
        manifest.scaler,
        categories,
        manifest.bounds,
    )


def saved_series(
    manifest: Manifest, arrays: dict[str, np.ndarray], first: SeriesTransform, path: str | Path
) -> tuple[PanelTransform, dict[str, np.ndarray] | None]:
    """Every series' transform and validation errors, by id: one entry for one series."""
    if manifest.panel is None:
        residuals = None if manifest.residuals is None else {manifest.target: manifest.residuals}
        return PanelTransform((manifest.target,), (first,)), residuals
    try:
        return panel_from(manifest, arrays, first)
    except (KeyError, IndexError, TypeError, ValueError) as err:
        raise damaged(path, err) from err


def panel_from(manifest: Manifest, arrays: dict[str, np.ndarray], first: SeriesTransform):
    """The saved panel's transforms and validation errors, rebuilt around ``first``'s settings."""
    info = manifest.panel
    ids = tuple(str(i) for i in info["ids"])
    transforms = []
    for n in range(len(ids)):
        scaler = Scaler(
            first.scaler.kind,
            tuple(map(float, arrays["panel_offset"][n])),
            tuple(map(float, arrays["panel_scale"][n])),
        )
        bounds = (
            tuple(map(float, arrays["panel_low"][n])),
            tuple(map(float, arrays["panel_high"][n])),
        )
        transforms.append(replace(first, scaler=scaler, bounds=bounds))
    static = info.get("static_scaler")
    panel = PanelTransform(
        ids,
        tuple(transforms),
        tuple(info.get("static", ())),
        None if static is None else Scaler("standard", tuple(static[0]), tuple(static[1])),
        bool(manifest.params.get("id_embedding")),
        int(info.get("known_columns", 0)),
    )
    residuals, start = {}, 0
    for sid, count in zip(ids, arrays.get("panel_residual_counts", np.zeros(len(ids), int))):
        if count:
            residuals[sid] = arrays["panel_residuals"][start : start + int(count)]
            start += int(count)
    return panel, residuals


def read_manifest(path: str | Path) -> Manifest:
    """The :class:`Manifest` of the bundle at ``path``, without loading its network.

    For ``seqcast show``: the same checks as :func:`read_bundle` on the zip
    and the manifest, but Keras is not imported.
    """
    path = checked_path(path)
    try:
        with zipfile.ZipFile(path) as bundle:
            check_unpacked_size(bundle, path)
            manifest = manifest_in(bundle, REQUIRED)
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile, OSError) as err:
        if isinstance(err, SeqcastError):
            raise
        raise unreadable(path, err) from err
    return Manifest.from_dict(manifest, path)
