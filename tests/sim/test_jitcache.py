"""numba's cache directory follows the source of every compiled module (see sim._jitcache)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numba
import pytest

from beredskap.sim import _jitcache


def test_the_cache_directory_is_named_after_the_compiled_sources():
    assert _jitcache.cache_dir() == numba.config.CACHE_DIR
    assert Path(numba.config.CACHE_DIR).name == f"numba-{_jitcache.source_digest()}"


@pytest.mark.parametrize("changed", _jitcache.COMPILED_MODULES)
def test_a_change_to_any_compiled_module_moves_the_cache(tmp_path, monkeypatch, changed):
    """The kernel inlines the samplers of _rng.py: a change there alone must not reuse the
    kernel compiled from the old samplers (numba by itself keys on the kernel's file only)."""
    for name in _jitcache.COMPILED_MODULES:
        shutil.copy(_jitcache.HERE / name, tmp_path / name)
    monkeypatch.setattr(_jitcache, "HERE", tmp_path)
    before = _jitcache.cache_dir("/cache")
    assert _jitcache.cache_dir("/cache") == before  # stable for the same source
    with open(tmp_path / changed, "a", encoding="utf-8") as source:
        source.write("\n# changed\n")
    after = _jitcache.cache_dir("/cache")
    assert after != before
    assert after.startswith("/cache/numba-")


def test_numba_cache_dir_is_honoured_as_the_root(monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/var/cache/beredskap")
    assert _jitcache.cache_dir() == f"/var/cache/beredskap/numba-{_jitcache.source_digest()}"


def test_every_compiled_module_of_the_engine_is_in_the_hash():
    """A new module with cache=True must be listed, or a change to it would not move the cache."""
    compiled = {
        path.name
        for path in _jitcache.HERE.glob("*.py")
        if "cache=True" in path.read_text(encoding="utf-8") and path.name != "_jitcache.py"
    }
    assert compiled == set(_jitcache.COMPILED_MODULES)


def test_the_kernel_and_the_samplers_are_cached_in_that_directory():
    from beredskap.sim import _kernel, _rng, demand, ensemble

    for dispatcher in (
        _kernel.simulate_members,
        _kernel.simulate_lanes,
        _rng.binomial_many,
        demand._convolve_members,
        ensemble._absorb,
    ):
        assert dispatcher._cache._cache_path.startswith(numba.config.CACHE_DIR + "/")


def test_the_parallel_and_the_serial_kernel_have_their_own_cache_entries():
    """numba's cache key ignores the options: one function jitted both with parallel=True and
    without shared one entry, so the serial kernel (process pools, Dask workers) loaded the
    threaded code, or the threaded one the serial code, whichever had been compiled first."""
    from beredskap.sim import _kernel

    index_files = {
        dispatcher._cache._cache_file._index_path
        for dispatcher in (_kernel.simulate_members, _kernel.simulate_members_serial)
    }
    assert len(index_files) == 2
    assert _kernel.simulate_members.targetoptions.get("parallel")
    assert not _kernel.simulate_members_serial.targetoptions.get("parallel")
    assert _kernel.simulate_members_serial.targetoptions.get("nogil")


def test_older_versions_caches_are_pruned_and_nothing_else(tmp_path):
    current = Path(_jitcache.cache_dir(str(tmp_path)))
    current.mkdir()
    old = tmp_path / "numba-0123456789abcdef"
    (old / "sim").mkdir(parents=True)
    (old / "sim" / "kernel.nbc").write_bytes(b"old kernel")
    unrelated = [tmp_path / "numba-notahash", tmp_path / "other"]
    for path in unrelated:
        path.mkdir()
    (tmp_path / "numba-fedcba9876543210").write_text("a file, not a cache directory")

    removed = _jitcache.prune_stale(str(tmp_path))

    assert removed == [str(old)]
    assert not old.exists()
    assert current.is_dir()
    assert all(path.is_dir() for path in unrelated)
    assert (tmp_path / "numba-fedcba9876543210").is_file()
    assert _jitcache.prune_stale(str(tmp_path / "missing")) == []
