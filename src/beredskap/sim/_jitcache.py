"""Where numba keeps the engine's compiled code: a cache directory per version of its source.

numba's ``cache=True`` keys a compiled function on a hash of its own source file only. The
kernel in ``_kernel.py`` inlines the samplers of ``_rng.py``, so after a change to ``_rng.py``
alone numba would load the old kernel, samplers included, from the cache; a server upgraded
in place would go on drawing from the old samplers. The directory is therefore named after a
hash of every compiled module of the engine: a change to any of them starts a fresh cache,
and the old one is never read again.

``NUMBA_CACHE_DIR`` is honoured as the root, with the hash as a subdirectory; without it the
root is the package's ``__pycache__``, where numba would have put the cache anyway.
"""

from __future__ import annotations

import hashlib
import os
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


def cache_dir(root: str | None = None) -> str:
    """The cache directory for this version of the engine under ``root``."""
    base = root or os.environ.get("NUMBA_CACHE_DIR") or str(HERE / "__pycache__")
    return os.path.join(base, f"numba-{source_digest()}")


def configure() -> None:
    """Point numba's cache at :func:`cache_dir`; must run before any ``cache=True`` function
    is defined (the package's ``__init__`` does it)."""
    numba.config.CACHE_DIR = cache_dir()
