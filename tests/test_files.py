"""Atomic writes: a failed write leaves the earlier file as it was, and no litter behind."""

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def test_atomic_writes_keep_the_old_file_on_failure_and_get_normal_permissions(tmp_path):
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


# ------------------------------------------------------------------------------ before writing


def test_check_writable_refuses_what_cannot_be_written_in_one_sentence(tmp_path):
    """Root ignores chmod, so the unwritable places here are ones root cannot write either."""
    from seqcast.errors import SeqcastError
    from seqcast.files import check_writable

    data = tmp_path / "sales.csv"
    data.write_text("date;sales\n01.03.2024;12,5\n")
    (tmp_path / "models").mkdir()
    cases = {
        tmp_path / "models": "it is a folder",
        data / "m.seqcast": f"'{data}' is a file, not a folder",
        data / "deeper" / "m.seqcast": f"'{data}' is a file, not a folder",
        Path("/dev/null"): "it is not a regular file",
        data: f"it is the input '{data}' itself",
    }
    for path, reason in cases.items():
        with pytest.raises(SeqcastError) as caught:
            check_writable(path, inputs=(data,))
        assert str(caught.value) == f"cannot write '{path}': {reason}; choose another path"
    with pytest.raises(SeqcastError, match=r"^cannot write '/proc/m.seqcast': .*; choose another"):
        check_writable("/proc/m.seqcast")
    # what can be written passes, and the check leaves nothing behind (nor creates folders)
    assert check_writable(tmp_path / "new" / "m.seqcast") == tmp_path / "new" / "m.seqcast"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["models", "sales.csv"]


def test_cannot_write_gives_the_system_reason_not_the_temporary_name():
    from seqcast.files import cannot_write

    err = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/data/.m.seqcast-tmp-h-1-0a0b0c0d")
    assert str(cannot_write("/data/m.seqcast", err)) == (
        "cannot write '/data/m.seqcast': no space left on device; choose another path"
    )


def test_atomic_path_to_a_folder_fails_before_the_block_runs(tmp_path):
    from seqcast.files import atomic_path

    (tmp_path / "out").mkdir()
    ran = []
    with pytest.raises(IsADirectoryError), atomic_path(tmp_path / "out"):
        ran.append(True)
    assert ran == [] and [p.name for p in tmp_path.iterdir()] == ["out"]


# ------------------------------------------------------------------------------ leftovers


def test_temporary_names_say_who_wrote_them(tmp_path):
    from seqcast.files import TEMP_MARK, atomic_path, temporary_file

    with atomic_path(tmp_path / "plot.png") as tmp, temporary_file(tmp_path / "m.seqcast") as t2:
        assert tmp.parent == tmp_path and tmp.suffix == ".png"  # matplotlib picks the format
        assert tmp.name.startswith(f".plot{TEMP_MARK}") and f"-{os.getpid()}-" in tmp.name
        assert t2.name.startswith(f".m{TEMP_MARK}") and t2.suffix == ".seqcast"
        tmp.write_bytes(b"png")
    with temporary_file(tmp_path / "plot") as tmp:  # no suffix: matplotlib's default format
        assert tmp.suffix == ""
    assert [p.name for p in tmp_path.iterdir()] == ["plot.png"]


CHILD = """
import sys, time
from pathlib import Path
from seqcast.bundle import write_bundle

class SlowModel:
    '''Saves like a Keras model, then hangs: the parent kills the process mid-save.'''
    def save(self, path):
        Path(path).write_bytes(b"half a model")
        print("saving", flush=True)
        time.sleep(60)

write_bundle(sys.argv[1], SlowModel(), {"params": {}})
"""


def test_a_writer_killed_mid_save_leaves_only_what_the_next_write_removes(tmp_path):
    """SIGKILL during Forecaster.save: no temporary folder; the next write cleans the folder."""
    from seqcast.files import TEMP_MARK, remove_stale_temporaries, temporary_file, write_text

    folder, scratch = tmp_path / "models", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    (folder / "m.seqcast").write_bytes(b"the earlier model")
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": SRC}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder / "m.seqcast")],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "saving"
    finally:
        child.kill()  # SIGKILL: no finally, no atexit, nothing of the writer's runs
        child.wait()
    left = sorted(p.name for p in folder.iterdir() if p.name != "m.seqcast")
    assert len(left) == 2  # the bundle being written and the .keras inside it
    assert all(TEMP_MARK in name and f"-{child.pid}-" in name for name in left), left
    assert list(scratch.iterdir()) == []  # nothing in a temporary folder elsewhere
    assert (folder / "m.seqcast").read_bytes() == b"the earlier model"

    # what a live writer (this process) writes stays, and so does what another host wrote
    other_host = folder / f".y{TEMP_MARK}elsewhere-{child.pid}-0a0b0c0d.csv"
    other_host.write_bytes(b"")
    with temporary_file(folder / "x.csv") as mine:
        write_text(folder / "notes.txt", "a later run")
        names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["m.seqcast", "notes.txt", mine.name, other_host.name])
    assert remove_stale_temporaries(folder) == []
