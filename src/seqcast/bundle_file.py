"""The zip file of a saved model: written atomically, read only when it is safe to.

A bundle holds ``model.keras`` (the network), ``manifest.json`` (what
``seqcast.bundle.Manifest`` describes) and, for an ensemble or a panel,
``arrays.npz`` (plain NumPy arrays: an ensemble's member weights are
named by :func:`member_arrays`). Writing goes to a temporary file that
is renamed (``seqcast.files``), so a failed save leaves an earlier file at
the same path as it was. Reading refuses, each in one sentence, a file that
is not a bundle of this format, one that would unpack to an absurd size (a
zip bomb) and one whose model holds Python code.

>>> refuse_code({"layers": [{"class_name": "Dense"}]}, "m.seqcast") is None
True
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

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


def jsonable(value: Any) -> bool:
    """Whether ``value`` can go into the manifest (a builder function, for one, cannot)."""
    try:
        json.dumps(value)
    except TypeError:
        return False
    return True


def damaged(path: str | Path, err: Exception) -> SeqcastError:
    """The error for a bundle whose manifest does not describe a forecaster."""
    return SeqcastError(
        f"'{path}' has a damaged manifest ({type(err).__name__}: {err}); fit the model again"
    )


def checked_path(path: str | Path) -> Path:
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


def manifest_in(bundle: zipfile.ZipFile, required: tuple[str, ...]) -> dict[str, Any]:
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

    path = checked_path(path)
    try:
        with zipfile.ZipFile(path) as bundle:
            check_unpacked_size(bundle, path)
            manifest = manifest_in(bundle, required)
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


def member_arrays(members: list | None) -> dict[str, np.ndarray]:
    """An ensemble's member weights as named arrays (``m{member}_{t|n}{index}``); none without."""
    if not members:
        return {}
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
