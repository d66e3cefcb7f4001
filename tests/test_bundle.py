"""The bundle: a Keras model and its manifest zipped into one file, written atomically."""

import json
import warnings
import zipfile

import keras
import numpy as np
import pandas as pd
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.bundle import (
    FORMAT,
    REQUIRED,
    Manifest,
    jsonable,
    load_forecaster,
    read_bundle,
    read_manifest,
    write_bundle,
)
from seqcast.bundle import (
    MANIFEST as MANIFEST_NAME,
)
from seqcast.data.scaling import Scaler
from seqcast.errors import SeqcastError
from seqcast.forecaster import Forecaster


def tiny_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])


def manifest(**changes) -> Manifest:
    fields = {
        "params": {"model": "linear", "window": 4, "horizon": 2},
        "strategy": "direct",
        "scaler": Scaler("standard", (10.0,), (2.0,)),
        "target": "y",
        "freq": "D",
        "residuals": np.array([[0.5, -1.0], [0.25, 2.0]]),
        "history": {"loss": [1.0, 0.5]},
    }
    return Manifest(**{**fields, **changes})


def test_a_model_and_its_manifest_round_trip(tmp_path):
    model = tiny_model()
    path = write_bundle(tmp_path / "m.seqcast", model, manifest().to_dict())
    assert path == tmp_path / "m.seqcast"
    found, loaded = read_bundle(path, required=REQUIRED)
    assert found["format"] == FORMAT
    assert Manifest.from_dict(found, path) == manifest()
    x = np.random.default_rng(0).normal(size=(3, 4, 1)).astype("float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_the_manifest_keeps_the_keys_of_format_1():
    """Files saved before the Manifest class existed have these keys: they must still load."""
    written = manifest().to_dict()
    assert list(written) == [
        "seqcast_version",
        "params",
        "strategy",
        "scaler",
        "target",
        "covariates",
        "known_covariates",
        "freq",
        "fill",  # added with fill= / duplicates=: absent from older files
        "duplicates",
        "date_format",  # added with date_format=: absent from older files
        "date_order",  # added with dates given as the file writes them: absent from older files
        "fitted_until",  # added with the backtest's default start: absent from older files
        "residuals",
        "history",
        "categories",  # added after format 1's first files: defaults below
        "bounds",
        "search",  # added with --model auto: absent from older files
        "panel",  # added with many series: absent from older files
    ]
    assert written["scaler"] == {"kind": "standard", "offset": (10.0,), "scale": (2.0,)}
    old = {k: v for k, v in json.loads(json.dumps(written)).items() if k in REQUIRED}
    read = Manifest.from_dict(old, "old.seqcast")  # the optional keys default
    assert read.known_covariates == [] and read.freq is None and read.residuals is None
    assert read.history == {} and read.scaler == manifest().scaler
    assert read.categories == {} and read.bounds is None
    assert read.fill == "none" and read.duplicates == "error"  # as fit behaved before them
    assert read.date_format is None  # found from the data, as before
    assert read.date_order is None  # dates given that read both ways are asked about
    assert read.search is None  # not chosen by a search


SEARCH = {
    "seed": 7,
    "budget_seconds": 90.0,
    "trials": 2,
    "leaderboard": [
        {"trial": 1, "model": "gru", "val_mae": 1.5, "epochs": 3, "state": "complete"},
        {"trial": 0, "model": "dnn", "val_mae": None, "epochs": 2, "state": "pruned"},
    ],
}


def test_a_search_leaderboard_round_trips_and_reads_without_the_network(tmp_path):
    path = write_bundle(tmp_path / "m.seqcast", tiny_model(), manifest(search=SEARCH).to_dict())
    read = read_manifest(path)
    assert read.search == SEARCH and read == manifest(search=SEARCH)
    assert read_manifest(write_bundle(tmp_path / "n.seqcast", tiny_model(), manifest().to_dict()))
    assert read_manifest(tmp_path / "n.seqcast").search is None


def test_read_manifest_refuses_what_read_bundle_refuses(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(SeqcastError, match="not a zip bundle"):
        read_manifest(tmp_path / "notes.txt")
    with pytest.raises(SeqcastError, match="no model file"):
        read_manifest(tmp_path / "absent.seqcast")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as other:
        other.writestr(MANIFEST_NAME, json.dumps({"format": "something else"}))
    with pytest.raises(SeqcastError, match="not a readable seqcast model bundle"):
        read_manifest(tmp_path / "other.zip")


def test_fill_and_duplicates_round_trip():
    saved = manifest(fill="ffill", duplicates="mean", date_format="%d.%m.%Y")
    read = Manifest.from_dict(json.loads(json.dumps(saved.to_dict())), "m.seqcast")
    assert (read.fill, read.duplicates, read.date_format) == ("ffill", "mean", "%d.%m.%Y")


def test_a_damaged_manifest_is_a_seqcast_error(tmp_path):
    broken = {**manifest().to_dict(), "scaler": {"kind": "standard"}}
    with pytest.raises(SeqcastError, match=r"'x.seqcast' has a damaged manifest \(KeyError"):
        Manifest.from_dict(broken, "x.seqcast")
    path = write_bundle(
        tmp_path / "m.seqcast", tiny_model(), manifest(params={"windoww": 3}).to_dict()
    )
    with pytest.raises(SeqcastError, match=r"damaged manifest .*windoww"):
        load_forecaster(Forecaster, path)


def test_only_json_values_go_into_the_manifest():
    assert jsonable(3) and jsonable(None) and jsonable("gru")
    assert not jsonable(tiny_model) and not jsonable(keras.optimizers.Adam())


def test_loading_a_missing_file(tmp_path):
    with pytest.raises(SeqcastError, match=r"no model file at '.*nothing\.seqcast'"):
        Forecaster.load(tmp_path / "nothing.seqcast")


def test_loading_a_text_file(tmp_path):
    path = tmp_path / "notes.seqcast"
    path.write_text("not a model\n")
    with pytest.raises(SeqcastError, match=r"is not a seqcast model file \(not a zip bundle\)"):
        Forecaster.load(path)


def test_loading_a_foreign_zip(tmp_path):
    path = tmp_path / "photos.seqcast"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("photo.txt", "hello")
    with pytest.raises(SeqcastError, match=r"is not a readable seqcast model bundle.*manifest"):
        Forecaster.load(path)


def test_loading_a_zip_whose_manifest_is_not_an_object(tmp_path):
    """A foreign zip can hold a manifest.json of its own: still a clear error."""
    path = tmp_path / "other.seqcast"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("manifest.json", "[1, 2, 3]")
    with pytest.raises(SeqcastError, match="is not a readable seqcast model bundle"):
        Forecaster.load(path)


def _with_manifest(path, change) -> None:
    """Rewrite the manifest of the bundle at ``path`` as ``change(manifest)`` returns it."""
    with zipfile.ZipFile(path) as bundle:
        found = json.loads(bundle.read("manifest.json"))
        model = bundle.read("model.keras")
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("manifest.json", json.dumps(change(found)))
        bundle.writestr("model.keras", model)


def _days(values) -> pd.DataFrame:
    index = pd.date_range("2024-01-01", periods=len(values), freq="D", name="date")
    return pd.DataFrame({"y": values}, index=index)


def test_the_manifest_keeps_the_categories_of_text_covariates():
    written = manifest(categories={"day": ["", "A", "W"]}).to_dict()
    assert written["categories"] == {"day": ["", "A", "W"]}  # a blank is a category
    read = Manifest.from_dict(json.loads(json.dumps(written)), "m.seqcast")
    assert read.categories == {"day": ["", "A", "W"]}


def test_a_bundle_saved_before_categories_and_bounds_still_loads(tmp_path):
    """A file from an earlier seqcast: no 'categories', no 'bounds'; it forecasts as before."""
    frame = _days(10 + np.sin(np.arange(60) / 3))
    model = Forecaster("linear", window=5, horizon=2, epochs=2, verbose=0).fit(frame)
    path = model.save(tmp_path / "old.seqcast")
    _with_manifest(
        path, lambda m: {k: v for k, v in m.items() if k not in ("categories", "bounds")}
    )
    loaded = Forecaster.load(path)
    assert loaded.transform_.categories.levels == {} and loaded.transform_.bounds is None
    pd.testing.assert_frame_equal(loaded.predict(frame), model.predict(frame))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no training range kept: nothing to warn about
        loaded.predict(frame * 10)


# ---------------------------------------------------------------------------- files from elsewhere


def _code_layer_bundle(path, marker):
    """A bundle whose model has a Lambda layer that, when run, creates ``marker``."""
    touch = eval(f"lambda x: (__import__('pathlib').Path({str(marker)!r}).touch(), x)[1]")
    model = keras.Sequential(
        [keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Lambda(touch)]
    )
    marker.unlink()  # building the model ran the code once
    return write_bundle(path, model, manifest().to_dict())


def test_a_model_that_holds_code_is_refused_and_its_code_never_runs(tmp_path):
    marker = tmp_path / "the-code-ran"
    path = _code_layer_bundle(tmp_path / "gift.seqcast", marker)
    with pytest.raises(SeqcastError) as caught:
        Forecaster.load(path)
    assert str(caught.value) == (
        f"'{path}' holds a Lambda layer (Python code) that seqcast will not run, since "
        "loading it could do anything; use a model file you fitted yourself"
    )
    assert not marker.exists()
    # the file really holds code that runs: Keras with its safe mode off would run it
    with zipfile.ZipFile(path) as bundle:
        (tmp_path / "x.keras").write_bytes(bundle.read("model.keras"))
    keras.models.load_model(tmp_path / "x.keras", safe_mode=False)
    assert marker.exists()
