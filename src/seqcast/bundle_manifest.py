"""The JSON part of a saved model: :class:`Manifest`, the format ``seqcast.Forecaster/1``.

What a fitted ``Forecaster`` keeps besides its network (its parameters,
strategy, scaling, columns, frequency, validation errors and training
history, the categories of text covariates, the training range of each
input and, for a model ``--model auto`` chose, the search's leaderboard).
Its keys are those of the format ``seqcast.Forecaster/1``; the later ones
have defaults, so files saved before them still load.

>>> from seqcast.data.scaling import Scaler
>>> manifest = Manifest(params={"model": "gru", "window": 5}, strategy="seq2seq",
...                     scaler=Scaler("standard", (10.0,), (2.0,)), target="y")
>>> Manifest.from_dict(json.loads(json.dumps(manifest.to_dict())), "x") == manifest
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from seqcast import __version__
from seqcast.bundle_file import damaged
from seqcast.data.scaling import Scaler


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
