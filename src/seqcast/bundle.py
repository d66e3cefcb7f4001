"""One file for a fitted forecaster: the ``.keras`` model and a JSON manifest, zipped.

Written to a temporary file and renamed (``seqcast.files``), so a failed save
leaves an earlier file at the same path as it was. Reading checks that the
file is a bundle of this format and says so in one sentence when it is not.

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

import io
import json
import re
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from seqcast import __version__
from seqcast.data.categories import Categories
from seqcast.data.panel_transform import PanelTransform
from seqcast.data.scaling import Scaler
from seqcast.data.transform import SeriesTransform
from seqcast.errors import SeqcastError
from seqcast.files import atomic_path, temporary_file

FORMAT = "seqcast.Forecaster/1"
MANIFEST = "manifest.json"
MODEL = "model.keras"
#: An ensemble's member weights (``seqcast.forecaster``), as NumPy arrays; absent otherwise.
ARRAYS = "arrays.npz"
#: The keys without which a manifest cannot rebuild a forecaster.
REQUIRED = ("params", "strategy", "scaler", "target", "covariates")
#: A zip that would unpack to more than this is refused unread (a zip bomb).
MAX_UNPACKED = 2 * 2**30
#: Nor may one of its parts (over a MiB) expand more than this many times.
MAX_RATIO = 1000
#: Keras classes whose config carries Python code: loading them could run anything.
CODE_LAYERS = ("Lambda", "TFOpLambda", "__lambda__")


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


def damaged(path: str | Path, err: Exception) -> SeqcastError:
    """The error for a bundle whose manifest does not describe a forecaster."""
    return SeqcastError(
        f"'{path}' has a damaged manifest ({type(err).__name__}: {err}); fit the model again"
    )


def jsonable(value: Any) -> bool:
    """Whether ``value`` can go into the manifest (a builder function, for one, cannot)."""
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


def save_forecaster(path: str | Path, forecaster: Any) -> Path:
    """Write a fitted ``Forecaster``'s network and :class:`Manifest` to ``path``, atomically."""
    params = {k: v for k, v in forecaster.get_params().items() if jsonable(v)}
    manifest = Manifest(
        params={**params, "model": forecaster.model_name},
        strategy=forecaster.strategy_,
        scaler=forecaster.scaler_,
        target=forecaster.target_,
        covariates=list(forecaster.covariates_),
        known_covariates=list(forecaster.known_),
        freq=forecaster.freq_,
        fill=getattr(forecaster, "fill_", "none"),
        duplicates=getattr(forecaster, "duplicates_", "error"),
        date_format=getattr(forecaster, "date_format_", None),
        # a panel's, by series, go with its arrays (panel_arrays)
        residuals=None if isinstance(forecaster.residuals_, dict) else forecaster.residuals_,
        history=forecaster.history_,
        categories={k: list(v) for k, v in forecaster.transform_.categories.levels.items()},
        bounds=forecaster.transform_.bounds,
        search=getattr(forecaster, "search_", None),
        panel=panel_manifest(forecaster),
    )
    arrays = {**(member_arrays(forecaster) or {}), **panel_arrays(forecaster)}
    return write_bundle(path, forecaster.model_, manifest.to_dict(), arrays)


def panel_manifest(forecaster: Any) -> dict[str, Any] | None:
    """What a model fitted on many series needs to read and forecast them, or None for one."""
    if forecaster.layout_ == "single":
        return None
    transforms = forecaster.transforms_
    static = transforms.static_scaler
    return {
        "layout": forecaster.layout_,
        "id_column": forecaster.id_column_,
        "ids": list(transforms.ids),
        "static": list(forecaster.static_),
        "static_scaler": None if static is None else [list(static.offset), list(static.scale)],
        "known_columns": transforms.known_columns,
    }


def panel_arrays(forecaster: Any) -> dict[str, np.ndarray]:
    """Each series' scaling, training bounds and validation errors, as arrays (none for one)."""
    if forecaster.layout_ == "single":
        return {}
    fitted = forecaster.transforms_.transforms
    arrays = {
        "panel_offset": np.array([t.scaler.offset for t in fitted]),
        "panel_scale": np.array([t.scaler.scale for t in fitted]),
        "panel_low": np.array([t.bounds[0] for t in fitted]),
        "panel_high": np.array([t.bounds[1] for t in fitted]),
    }
    residuals = forecaster.residuals_ or {}
    ids = forecaster.transforms_.ids
    arrays["panel_residual_counts"] = np.array([len(residuals.get(i, ())) for i in ids])
    kept = [residuals[i] for i in ids if i in residuals]
    if kept:
        arrays["panel_residuals"] = np.concatenate(kept)
    return arrays


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


def member_arrays(forecaster: Any) -> dict[str, np.ndarray] | None:
    """An ensemble's member weights as named arrays (``m{member}_{t|n}{index}``), or None."""
    members = getattr(forecaster, "members_", None)
    if not members:
        return None
    arrays = {}
    for m, (trainable, non_trainable) in enumerate(members):
        arrays.update({f"m{m}_t{i}": np.asarray(a) for i, a in enumerate(trainable)})
        arrays.update({f"m{m}_n{i}": np.asarray(a) for i, a in enumerate(non_trainable)})
    return arrays


def members_from(arrays: dict[str, np.ndarray], model: Any, path: str | Path) -> list | None:
    """The member weights ``member_arrays`` wrote, checked against ``model``; None if none."""
    if not arrays:
        return None
    arrays = {name: a for name, a in arrays.items() if re.match(r"m\d+_[tn]\d+$", name)}
    if not arrays:
        return None
    shapes = [tuple(v.shape) for v in model.trainable_variables]
    non_shapes = [tuple(v.shape) for v in model.non_trainable_variables]
    count = len({name.split("_")[0] for name in arrays})
    members = []
    for m in range(count):
        trainable = [arrays.get(f"m{m}_t{i}") for i in range(len(shapes))]
        non_trainable = [arrays.get(f"m{m}_n{i}") for i in range(len(non_shapes))]
        got = [None if a is None else tuple(a.shape) for a in trainable + non_trainable]
        if got != shapes + non_shapes:
            raise damaged(path, ValueError(f"member {m}'s weights do not fit the model"))
        members.append((trainable, non_trainable))
    return members or None


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
    categories = Categories({k: tuple(v) for k, v in manifest.categories.items()})
    forecaster.transform_ = SeriesTransform(
        forecaster.window,
        forecaster.horizon,
        forecaster.difference,
        categories.width(manifest.known_covariates),  # a text one: a column per category
        manifest.scaler,
        categories,
        manifest.bounds,
    )
    forecaster.columns_ = {
        "target": manifest.target,
        "covariates": manifest.covariates,
        "known_covariates": manifest.known_covariates,
    }
    forecaster.model_, forecaster.strategy_ = model, manifest.strategy
    arrays = read_arrays(path)
    forecaster.members_ = members_from(arrays, model, path)
    forecaster.series_, forecaster.n_train_ = None, None
    forecaster.data_, forecaster.n_trains_ = None, {}
    forecaster.history_, forecaster.freq_ = manifest.history, manifest.freq
    forecaster.residuals_ = manifest.residuals
    forecaster.layout_, forecaster.id_column_ = "single", "series"
    if manifest.panel is None:
        forecaster.transforms_ = PanelTransform((manifest.target,), (forecaster.transform_,))
    else:
        try:
            forecaster.transforms_, forecaster.residuals_ = panel_from(
                manifest, arrays, forecaster.transform_
            )
        except (KeyError, IndexError, TypeError, ValueError) as err:
            raise damaged(path, err) from err
        forecaster.transform_ = forecaster.transforms_.first
        forecaster.layout_ = manifest.panel["layout"]
        forecaster.id_column_ = manifest.panel["id_column"]
        forecaster.columns_["static"] = list(manifest.panel.get("static", []))
    forecaster.fill_, forecaster.duplicates_ = manifest.fill, manifest.duplicates
    forecaster.date_format_ = manifest.date_format
    forecaster.search_ = manifest.search
    return forecaster


def read_manifest(path: str | Path) -> Manifest:
    """The :class:`Manifest` of the bundle at ``path``, without loading its network.

    For ``seqcast show``: the same checks as :func:`read_bundle` on the zip
    and the manifest, but Keras is not imported.
    """
    path = _check_bundle_file(path)
    try:
        with zipfile.ZipFile(path) as bundle:
            check_unpacked_size(bundle, path)
            manifest = _manifest_of(bundle, REQUIRED)
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile, OSError) as err:
        if isinstance(err, SeqcastError):
            raise
        raise unreadable(path, err) from err
    return Manifest.from_dict(manifest, path)


def _check_bundle_file(path: str | Path) -> Path:
    """``path`` as a Path, if it is a file and a zip; otherwise a sentence saying what it is."""
    path = Path(path)
    if not path.is_file():
        raise SeqcastError(f"no model file at '{path}'; check the path (seqcast fit --out)")
    if not zipfile.is_zipfile(path):
        raise SeqcastError(
            f"'{path}' is not a seqcast model file (not a zip bundle); give the file "
            "written by `seqcast fit --out` or Forecaster.save"
        )
    return path


def _manifest_of(bundle: zipfile.ZipFile, required: tuple[str, ...]) -> dict[str, Any]:
    """The manifest object of an open bundle; KeyError when it is not one of this format."""
    manifest = json.loads(bundle.read(MANIFEST))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise KeyError("format")
    missing = [key for key in required if key not in manifest]
    if missing:
        raise KeyError(", ".join(missing))
    return manifest


def unreadable(path: str | Path, err: Exception) -> SeqcastError:
    """The error for a bundle that cannot be read."""
    return SeqcastError(
        f"'{path}' is not a readable seqcast model bundle ({type(err).__name__}: {err}); "
        "it may be corrupt or written by another program; fit the model again"
    )


def write_bundle(
    path: str | Path,
    model: Any,
    manifest: dict[str, Any],
    arrays: dict[str, np.ndarray] | None = None,
) -> Path:
    """Zip ``model`` (saved as ``.keras``) with ``manifest`` into ``path``, atomically.

    ``arrays`` (named NumPy arrays, an ensemble's weights) go in as ``arrays.npz``.

    The ``.keras`` file is saved next to ``path`` under a temporary name of
    ``seqcast.files`` (not in a temporary folder elsewhere), so a writer killed
    mid-save leaves only files that the next write there recognises and removes.
    """
    path = Path(path)
    with atomic_path(path) as tmp, temporary_file(path, suffix=".keras") as model_path:
        model.save(model_path)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(MANIFEST, json.dumps({"format": FORMAT, **manifest}, indent=2))
            bundle.write(model_path, MODEL)
            if arrays:
                buffer = io.BytesIO()
                np.savez(buffer, **arrays)
                bundle.writestr(ARRAYS, buffer.getvalue())
    return path


def read_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """The named arrays of a bundle (``write_bundle(arrays=...)``); empty when it has none.

    Read without pickle: the file holds plain numbers or it is refused.
    """
    try:
        with zipfile.ZipFile(path) as bundle:
            if ARRAYS not in bundle.namelist():
                return {}
            with np.load(io.BytesIO(bundle.read(ARRAYS)), allow_pickle=False) as stored:
                return {name: stored[name] for name in stored.files}
    except (ValueError, OSError, zipfile.BadZipFile) as err:
        raise damaged(path, err) from err


def read_bundle(path: str | Path, required: tuple[str, ...] = ()) -> tuple[dict[str, Any], Any]:
    """The manifest and the Keras model of a bundle written by ``write_bundle``.

    ``required`` lists manifest keys that must be present. A missing file, a
    file that is not a zip, a zip of something else or a damaged bundle each
    raise ``SeqcastError``. So does a file from elsewhere that could harm:
    one that would unpack to an absurd size (a zip bomb) is refused before
    anything is unpacked, and one whose model holds Python code (a ``Lambda``
    layer) before Keras reads it; Keras's safe mode stays on besides.
    """
    import keras

    import seqcast.layers  # noqa: F401  (registers seqcast's own layers, which models may hold)

    path = _check_bundle_file(path)
    try:
        with zipfile.ZipFile(path) as bundle:
            check_unpacked_size(bundle, path)
            manifest = _manifest_of(bundle, required)
            saved_model = bundle.read(MODEL)
        with zipfile.ZipFile(io.BytesIO(saved_model)) as keras_file:
            check_unpacked_size(keras_file, path)
            refuse_code(json.loads(keras_file.read("config.json")), path)
        with tempfile.TemporaryDirectory() as scratch:
            model_path = Path(scratch) / MODEL
            model_path.write_bytes(saved_model)
            # safe_mode=True is Keras's default; said here so that no change of default
            # nor keras.config.enable_unsafe_deserialization() lets a file run code
            model = keras.models.load_model(model_path, safe_mode=True)
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile, OSError) as err:
        if isinstance(err, SeqcastError):
            raise
        if "safe_mode" in str(err):  # code refuse_code did not find; Keras refused it
            raise holds_code(path, "code") from err
        raise unreadable(path, err) from err
    return manifest, model


def check_unpacked_size(archive: zipfile.ZipFile, path: str | Path) -> None:
    """Refuse, before reading any of it, a zip that would unpack to an absurd size.

    The sizes are those the zip declares (Python's ``zipfile`` reads no more
    than that): more than :data:`MAX_UNPACKED` in all, or a member of over a
    MiB that expands more than :data:`MAX_RATIO`-fold, is no seqcast model.
    """
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED:
        raise SeqcastError(
            f"'{path}' would unpack to {total / 2**30:.1f} GiB, far more than a seqcast model "
            "holds (a zip bomb?), so seqcast will not read it; use a model file you fitted"
        )
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SeqcastError(
                f"'{path}' holds a part ({info.filename}) that would expand "
                f"{info.file_size // max(info.compress_size, 1)}-fold, as no seqcast model "
                "does (a zip bomb?), so seqcast will not read it; use a model file you fitted"
            )


def refuse_code(config: Any, path: str | Path) -> None:
    """Refuse a Keras model config holding Python code (:data:`CODE_LAYERS`), wherever it is."""
    if isinstance(config, dict):
        if config.get("class_name") in CODE_LAYERS:
            raise holds_code(path, f"a {config['class_name']} layer")
        values: Any = config.values()
    elif isinstance(config, list):
        values = config
    else:
        return
    for value in values:
        refuse_code(value, path)


def holds_code(path: str | Path, what: str) -> SeqcastError:
    """The error for a model file that holds Python code."""
    return SeqcastError(
        f"'{path}' holds {what} (Python code) that seqcast will not run, since loading it "
        "could do anything; use a model file you fitted yourself"
    )
