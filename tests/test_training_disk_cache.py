"""The on-disk XLA cache: off when asked, and never a reason to fail."""

from seqcast.training import enable_compilation_cache


def test_off_by_environment_or_argument(monkeypatch):
    monkeypatch.setenv("SEQCAST_CACHE_DIR", "off")
    assert enable_compilation_cache() is None
    monkeypatch.delenv("SEQCAST_CACHE_DIR")
    assert enable_compilation_cache("off") is None


def test_a_directory_that_cannot_be_made_turns_the_cache_off(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    assert enable_compilation_cache(str(blocker / "xla")) is None
