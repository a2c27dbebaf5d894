"""How numba compiles the engine and where it keeps the compiled code.

Cache: a directory per version of the engine's source.

numba's ``cache=True`` keys a compiled function on a hash of its own source file only. The
kernel in ``_kernel.py`` inlines the samplers of ``_rng.py``, so after a change to ``_rng.py``
alone numba would load the old kernel, samplers included, from the cache; a server upgraded
in place would go on drawing from the old samplers. The directory is therefore named after a
hash of every compiled module of the engine: a change to any of them starts a fresh cache,
and the old one is never read again.

``NUMBA_CACHE_DIR`` is honoured as the root, with the hash as a subdirectory; without it the
root is the package's ``__pycache__``, where numba would have put the cache anyway. The
directories of earlier versions under the root are removed when the package is imported
(:func:`prune_stale`), so an upgraded server does not keep every old kernel on disk.

Vectorisation: numba leaves LLVM's SLP vectoriser off by default since numba 0.57 (numba
PR #8852, after miscompilations were reported in other code). The force of infection's sparse
products need it to run their 8 lanes as packed vector operations (2.3x faster here); they
are compiled with it on, one function at a time (:func:`slp_vectorized`), and a test checks
them against SciPy's product bit for bit. Everything else keeps numba's default.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numba

HERE = Path(__file__).resolve().parent

#: The modules that compile with ``cache=True`` (and those they inline from).
COMPILED_MODULES = ("_rng.py", "_kernel.py", "demand.py", "ensemble.py")


def source_digest() -> str:
    """A short hash of the compiled modules' source, in a fixed order."""
    digest = hashlib.sha256()
    for name in COMPILED_MODULES:
        digest.update(name.encode())
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


_VERSION_DIR = re.compile(r"numba-[0-9a-f]{16}")


def _root(root: str | None) -> str:
    return root or os.environ.get("NUMBA_CACHE_DIR") or str(HERE / "__pycache__")


def cache_dir(root: str | None = None) -> str:
    """The cache directory for this version of the engine under ``root``."""
    return os.path.join(_root(root), f"numba-{source_digest()}")


def prune_stale(root: str | None = None) -> list[str]:
    """Remove the cache directories of other versions of the engine under ``root`` (only
    names of the form ``numba-<16 hex digits>``; anything else is left alone). Returns the
    removed paths."""
    base = Path(_root(root))
    current = Path(cache_dir(root)).name
    if not base.is_dir():
        return []
    stale = [
        entry
        for entry in base.iterdir()
        if entry.is_dir() and entry.name != current and _VERSION_DIR.fullmatch(entry.name)
    ]
    for entry in stale:
        shutil.rmtree(entry, ignore_errors=True)
    return [str(entry) for entry in stale]


def configure() -> None:
    """Point numba's cache at :func:`cache_dir` and drop older versions' caches; must run
    before any ``cache=True`` function is defined (the package's ``__init__`` does it)."""
    numba.config.CACHE_DIR = cache_dir()
    prune_stale()


@contextmanager
def slp_vectorized() -> Iterator[None]:
    """Compile with LLVM's SLP vectoriser inside the block (numba reads the setting when it
    optimises a function, so only functions compiled eagerly here, with a signature, get it;
    their callers link the optimised code as it is)."""
    before = numba.config.SLP_VECTORIZE
    numba.config.SLP_VECTORIZE = 1
    try:
        yield
    finally:
        numba.config.SLP_VECTORIZE = before
