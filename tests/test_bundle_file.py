"""The bundle's zip file: written atomically, refused unread when it could harm."""

import json
import os
import zipfile

import keras
import pytest

import seqcast  # noqa: F401  (must precede keras)
from seqcast.bundle_file import FORMAT, read_bundle, write_bundle
from seqcast.errors import SeqcastError


def tiny_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((4, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])


#: What the file functions need of a manifest: a JSON object (seqcast.bundle writes one).
MANIFEST = {"params": {"model": "linear", "window": 4}, "strategy": "direct", "target": "y"}


def test_a_manifest_of_another_format_is_refused(tmp_path):
    path = tmp_path / "m.seqcast"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("manifest.json", json.dumps({"format": "other/2"}))
    with pytest.raises(SeqcastError, match=r"not a readable seqcast model bundle \(KeyError"):
        read_bundle(path)


def test_a_failed_write_leaves_the_earlier_file(tmp_path):
    path = write_bundle(tmp_path / "m.seqcast", tiny_model(), MANIFEST)
    before = path.read_bytes()
    model = tiny_model()

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    model.save = broken_save
    with pytest.raises(OSError, match="disk full"):
        write_bundle(path, model, MANIFEST)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.seqcast"]


def test_keras_safe_mode_is_asked_for_explicitly(tmp_path, monkeypatch):
    """Not left to Keras's default, nor to keras.config.enable_unsafe_deserialization()."""
    path = write_bundle(tmp_path / "m.seqcast", tiny_model(), MANIFEST)
    calls = []
    real_load = keras.models.load_model

    def load_model(*args, **kwargs):
        calls.append(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(keras.models, "load_model", load_model)
    read_bundle(path)
    assert calls == [{"safe_mode": True}]


def _refuse_reading(monkeypatch):
    """Make any read of a zip member fail: a refusal must come before reading."""

    def no_reading(*args, **kwargs):
        raise AssertionError("a member was read")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_reading)


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "bomb.seqcast"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as bundle:
        bundle.writestr("manifest.json", json.dumps({"format": FORMAT}))
        bundle.writestr("model.keras", bytes(64 * 2**20))  # 64 MiB of zeros in a few KiB
    _refuse_reading(monkeypatch)
    with pytest.raises(SeqcastError) as caught:
        read_bundle(path)
    message = str(caught.value)
    assert message.startswith(f"'{path}' holds a part (model.keras) that would expand ")
    assert message.endswith(
        "-fold, as no seqcast model does (a zip bomb?), so seqcast will not read it; use a "
        "model file you fitted"
    )


def test_a_zip_that_claims_gigabytes_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.seqcast"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as bundle:
        bundle.writestr("manifest.json", json.dumps({"format": FORMAT}))
        bundle.writestr("model.keras", b"x" * 16)
    # The central directory says model.keras unpacks to 3.5 GiB (its stored size stays 16).
    raw = bytearray(path.read_bytes())
    entry = raw.index(b"PK\x01\x02", raw.index(b"PK\x01\x02") + 4)  # model.keras's entry
    raw[entry + 24 : entry + 28] = (7 * 2**29).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    _refuse_reading(monkeypatch)
    with pytest.raises(SeqcastError, match=r"would unpack to 3\.5 GiB, far more than a seqcast"):
        read_bundle(path)


def test_saving_uses_no_temporary_folder(tmp_path, monkeypatch):
    """A save killed midway must leave nothing where the next save cannot see it."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen = []
    model = tiny_model()
    real_save = model.save

    def save(path, *args, **kwargs):
        seen.append(path)
        return real_save(path, *args, **kwargs)

    model.save = save
    write_bundle(tmp_path / "out" / "m.seqcast", model, MANIFEST)
    assert seen[0].parent == tmp_path / "out" and "~seqcast-tmp-" in seen[0].name
    assert list(scratch.iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["m.seqcast"]
