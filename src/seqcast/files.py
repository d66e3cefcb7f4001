"""Writing files so that a crash never leaves one half written, nor litter a later run cannot clean.

Everything seqcast writes goes to a temporary file in the same folder first
and is renamed over the target only once complete (``os.replace`` is atomic
on POSIX and Windows): an earlier model or report survives any failure.

A temporary file's name says who wrote it, ``.NAME~seqcast-tmp-HOST-PID-RANDOM.SUFFIX``:
a writer killed outright (SIGKILL, power cut) cannot remove its own, so the next
write into the same folder removes those whose process, on this host, no longer
runs. :func:`check_writable` tells before any work starts whether a path can be
written, and :func:`cannot_write` is the sentence for a write that failed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

from seqcast.errors import SeqcastError

#: What marks a temporary file of seqcast's in its name. No dot: the name's suffix must be
#: the target's, none for a target without one (matplotlib reads the format from it).
TEMP_MARK = "~seqcast-tmp-"
_TEMP_NAME = re.compile(
    rf"^\..*{re.escape(TEMP_MARK)}(?P<host>[A-Za-z0-9]*)-(?P<pid>\d+)-[0-9a-f]{{8}}(\.[^.]*)?$"
)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` if the block succeeds.

    The temporary name keeps ``path``'s suffix, so writers that look at it
    (``model.save`` wants ``.keras``, matplotlib picks the format) still work.
    A ``path`` that is a folder fails before the block runs.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text(), [p.name for p in target.parent.iterdir()]
    ('done', ['note.txt'])
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    with temporary_file(target) as tmp:
        yield tmp
        # The new file gets the mode a plain open() would give it.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)


@contextlib.contextmanager
def temporary_file(beside: Path, suffix: str | None = None) -> Iterator[Path]:
    """A new empty file named as seqcast's temporaries, next to ``beside``; removed after the block.

    ``suffix`` defaults to ``beside``'s. The file is created (``O_EXCL``) so
    that no other writer can take the same name.
    """
    suffix = beside.suffix if suffix is None else suffix
    while True:
        tmp = beside.parent / (
            f".{beside.stem}{TEMP_MARK}{_host()}-{os.getpid()}-{secrets.token_hex(4)}{suffix}"
        )
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # eight random hex digits alike: draw again
            continue
        os.close(fd)
        break
    try:
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files in ``folder`` left by seqcast processes that no longer run.

    Only files named by :func:`temporary_file` on this host count: a process
    id says nothing about another machine's processes (a shared folder). The
    files of running processes, this one included, are left alone. Returns
    what was removed; a file that cannot be removed stays, silently.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = _TEMP_NAME.match(entry.name) if TEMP_MARK in entry.name else None
        if found is None or found["host"] != _host() or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(found["pid"])
        if pid == os.getpid() or _running(pid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def check_writable(path: str | os.PathLike, *, inputs: tuple[str | os.PathLike, ...] = ()) -> Path:
    """Check, before any work, that ``path`` can be written; a :class:`SeqcastError` if not.

    ``path`` must not be a folder, another special file, nor one of the
    ``inputs`` (the files a command reads); its nearest existing parent must be
    a folder in which a file can be created (one is, and removed at once).
    Folders that do not exist yet are left to the write to create.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable(folder / "new" / "model.seqcast") == folder / "new" / "model.seqcast"
    True
    >>> check_writable(folder)
    Traceback (most recent call last):
    ...
    seqcast.errors.SeqcastError: cannot write '...': it is a folder; choose another path
    """
    target = Path(path)
    if target.is_dir():
        raise cannot_write(target, "it is a folder")
    if target.exists() and not target.is_file():
        raise cannot_write(target, "it is not a regular file")
    for source in inputs:
        with contextlib.suppress(OSError):
            if target.exists() and os.path.samefile(target, source):
                raise cannot_write(target, f"it is the input '{source}' itself")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise cannot_write(target, f"'{parent}' is a file, not a folder")
    try:
        with temporary_file(parent / target.name):
            pass
    except OSError as err:
        raise cannot_write(target, err) from err
    return target


def cannot_write(path: str | os.PathLike, reason: OSError | str) -> SeqcastError:
    """The one sentence for a path that cannot be written, with the system's reason.

    >>> print(cannot_write("out/m.seqcast", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    cannot write 'out/m.seqcast': no space left on device; choose another path
    """
    if isinstance(reason, OSError):
        # strerror alone: the full message would name the temporary file, not the target
        text = reason.strerror or str(reason) or type(reason).__name__
        reason = text[:1].lower() + text[1:]
    return SeqcastError(f"cannot write '{path}': {reason}; choose another path")


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs on this host (when unsure: yes, so nothing is removed)."""
    if os.name == "nt":  # os.kill(pid, 0) would end the process there, not probe it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it runs, as another user
        return True
    return True


def _host() -> str:
    """This machine's name, as letters and digits only (it sits inside a file name)."""
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:32]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
