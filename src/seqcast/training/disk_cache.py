"""The on-disk cache of compiled XLA programs, so a second run skips compilation.

Apart from the in-memory caches of :mod:`seqcast.training.compiled` (which
live as long as a model): this one outlives the process.

>>> enable_compilation_cache("off") is None
True
"""

from __future__ import annotations

import os
from pathlib import Path

import jax


def enable_compilation_cache(directory: str | None = None) -> str | None:
    """Keep compiled XLA programs on disk so a second run skips compilation.

    ``directory`` defaults to ``$SEQCAST_CACHE_DIR``, else ``$XDG_CACHE_HOME/seqcast/xla``
    (``~/.cache/seqcast/xla``). ``SEQCAST_CACHE_DIR=off`` turns the cache off.
    Returns the directory used, or ``None`` when off.
    """
    directory = directory or os.environ.get("SEQCAST_CACHE_DIR")
    if directory == "off":
        return None
    if directory is None:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        directory = str(Path(base) / "seqcast" / "xla")
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home is no reason to fail; compile every time
    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    return directory
