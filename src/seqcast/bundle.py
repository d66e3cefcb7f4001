"""One file for a fitted forecaster: the ``.keras`` model and a JSON manifest, zipped.

Written to a temporary file and renamed (``seqcast.files``), so a failed save
leaves an earlier file at the same path as it was. Reading checks that the
file is a bundle of this format and says so in one sentence when it is not.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from seqcast.errors import SeqcastError
from seqcast.files import atomic_path

FORMAT = "seqcast.Forecaster/1"
MANIFEST = "manifest.json"
MODEL = "model.keras"


def write_bundle(path: str | Path, model: Any, manifest: dict[str, Any]) -> Path:
    """Zip ``model`` (saved as ``.keras``) with ``manifest`` into ``path``, atomically."""
    path = Path(path)
    with atomic_path(path) as tmp, tempfile.TemporaryDirectory() as scratch:
        model_path = Path(scratch) / MODEL
        model.save(model_path)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(MANIFEST, json.dumps({"format": FORMAT, **manifest}, indent=2))
            bundle.write(model_path, MODEL)
    return path


def read_bundle(path: str | Path, required: tuple[str, ...] = ()) -> tuple[dict[str, Any], Any]:
    """The manifest and the Keras model of a bundle written by ``write_bundle``.

    ``required`` lists manifest keys that must be present. A missing file, a
    file that is not a zip, a zip of something else or a damaged bundle each
    raise ``SeqcastError``.
    """
    import keras

    path = Path(path)
    if not path.is_file():
        raise SeqcastError(f"no model file at '{path}'; check the path (seqcast fit --out)")
    if not zipfile.is_zipfile(path):
        raise SeqcastError(
            f"'{path}' is not a seqcast model file (not a zip bundle); give the file "
            "written by `seqcast fit --out` or Forecaster.save"
        )
    try:
        with zipfile.ZipFile(path) as bundle:
            manifest = json.loads(bundle.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise KeyError("format")
            missing = [key for key in required if key not in manifest]
            if missing:
                raise KeyError(", ".join(missing))
            with tempfile.TemporaryDirectory() as scratch:
                model_path = Path(scratch) / MODEL
                model_path.write_bytes(bundle.read(MODEL))
                model = keras.models.load_model(model_path)
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile, OSError) as err:
        raise SeqcastError(
            f"'{path}' is not a readable seqcast model bundle ({type(err).__name__}: {err}); "
            "it may be corrupt or written by another program; fit the model again"
        ) from err
    return manifest, model
