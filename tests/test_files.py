"""Atomic writes: a failed write leaves the earlier file as it was."""

import pytest


def test_atomic_writes_keep_the_old_file_on_failure_and_get_normal_permissions(tmp_path):
    import os

    from seqcast.files import atomic_path, write_text

    target = tmp_path / "report.md"
    write_text(target, "first")
    umask = os.umask(0)
    os.umask(umask)
    assert (target.stat().st_mode & 0o777) == (0o666 & ~umask)
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half writ")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
