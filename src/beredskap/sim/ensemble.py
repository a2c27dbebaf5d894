"""Reduce an ensemble chunk by chunk, without keeping copies of the raw members.

An :class:`EnsembleReducer` takes the chunks of daily new infections (members, days, nodes)
as the simulation yields them and keeps:

* the members side by side per node and day (``(nodes, days, members)``, the dtype of the
  chunks) — the only full-size array, laid out so that the quantiles over the members are
  one in-place sort of contiguous rows;
* the infections summed to groups (hospital trusts, health regions, counties …) per member
  and day (float32, exact for integer counts below 2**24);
* per member: infections per node over the horizon, the peak day per node and the national
  curve — everything :func:`beredskap.sim.epidemic.summarise` needs.

Quantiles use NumPy's default ("linear", Hyndman & Fan type 7) definition and agree with
:func:`numpy.quantile` to the last bit; rows are sorted on all cores (NumPy's sort releases
the GIL).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit, prange

from .errors import ParameterError

SORT_ROWS = 4096  # rows per sorting task
TILE = 16  # nodes per tile when transposing a chunk


@njit(cache=True, parallel=True)
def _absorb(
    block, first, groups, agg, total, peak_value, peak_day, national
):  # pragma: no cover - numba
    count, days, nodes = block.shape
    levels = groups.shape[0]
    for m in prange(count):
        mm = first + m
        for d in range(days):
            day_sum = 0.0
            for n in range(nodes):
                v = block[m, d, n]
                day_sum += v
                total[mm, n] += v
                if v > peak_value[mm, n]:  # strictly greater: the first maximum, as argmax
                    peak_value[mm, n] = v
                    peak_day[mm, n] = d
                for g in range(levels):
                    agg[mm, d, groups[g, n]] += v
            national[mm, d] = day_sum


@njit(cache=True, parallel=True)
def _store_node_major(block, first, store):  # pragma: no cover - numba
    count, days, nodes = block.shape
    for t in prange((nodes + TILE - 1) // TILE):
        n0 = t * TILE
        n1 = min(nodes, n0 + TILE)
        for d in range(days):
            for m in range(count):
                for n in range(n0, n1):
                    store[n, d, first + m] = block[m, d, n]


def _threads(threads: int | None) -> int:
    if threads:
        return max(1, int(threads))
    import numba

    return max(1, min(numba.get_num_threads(), os.cpu_count() or 1))


def sort_rows(rows: np.ndarray, threads: int | None = None) -> None:
    """Sort a C-contiguous 2-D array along its last axis, in place, on ``threads`` threads."""
    if rows.ndim != 2 or not rows.flags.c_contiguous:
        raise ParameterError("sort_rows needs a C-contiguous 2-D array")
    spans = [(lo, min(rows.shape[0], lo + SORT_ROWS)) for lo in range(0, rows.shape[0], SORT_ROWS)]
    workers = min(_threads(threads), len(spans))
    if workers <= 1:
        rows.sort(axis=1)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda span: rows[span[0] : span[1]].sort(axis=1), spans))


def sorted_quantiles(rows: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """(len(qs), rows) float64 quantiles of rows that are already sorted along the last axis.

    The "linear" rule of :func:`numpy.quantile`: position q·(n−1) between the neighbouring
    order statistics, interpolated with NumPy's own two-sided formula (identical results).
    """
    n = rows.shape[-1]
    out = np.empty((len(qs), rows.shape[0]), dtype=np.float64)
    for i, q in enumerate(qs):
        if not 0.0 <= q <= 1.0:
            raise ParameterError(f"quantiles must be within [0, 1], got {q}")
        pos = q * (n - 1)
        lo = int(math.floor(pos))
        hi = min(lo + 1, n - 1)
        t = pos - lo
        a = rows[:, lo].astype(np.float64)
        b = rows[:, hi].astype(np.float64)
        diff = b - a
        out[i] = b - diff * (1.0 - t) if t >= 0.5 else a + diff * t
    return out


def member_quantiles(x: np.ndarray, qs: Sequence[float], threads: int | None = None) -> np.ndarray:
    """Quantiles over the first (member) axis: (len(qs), *x.shape[1:]) float64.

    Same values as ``np.quantile(x, qs, axis=0)``; one transposed copy of ``x`` is sorted.
    """
    x = np.asarray(x)
    if x.ndim < 1 or x.shape[0] < 1:
        raise ParameterError("quantiles need at least one member")
    rest = x.shape[1:]
    rows = np.ascontiguousarray(x.reshape(x.shape[0], -1).T)
    sort_rows(rows, threads)
    return sorted_quantiles(rows, qs).reshape((len(qs), *rest))


class EnsembleReducer:
    """Collect chunks of an ensemble (see the module docstring) and reduce them."""

    def __init__(
        self,
        members: int,
        days: int,
        nodes: int,
        groups: Sequence[np.ndarray] = (),
        group_counts: Sequence[int] = (),
        dtype=np.int32,
    ) -> None:
        if members < 1 or days < 1 or nodes < 1:
            raise ParameterError("an ensemble needs members, days and nodes >= 1")
        if len(groups) != len(group_counts):
            raise ParameterError("one group count per grouping")
        offsets = np.cumsum([0, *group_counts])
        self.spans = [slice(int(a), int(b)) for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
        rows = []
        for index, count, offset in zip(groups, group_counts, offsets, strict=False):
            index = np.asarray(index, dtype=np.int64)
            if index.shape != (nodes,) or (
                index.size and (index.min() < 0 or index.max() >= count)
            ):
                raise ParameterError("a grouping needs one group index in [0, count) per node")
            rows.append(index + offset)
        self.groups = np.array(rows, dtype=np.int64).reshape(len(rows), nodes)
        self.members, self.days, self.nodes = members, days, nodes
        self.store = np.empty((nodes, days, members), dtype=dtype)
        self.grouped = np.zeros((members, days, int(offsets[-1])), dtype=np.float32)
        self.total = np.zeros((members, nodes), dtype=np.float64)
        self._peak_value = np.full((members, nodes), -1.0, dtype=np.float64)
        self.peak_day = np.zeros((members, nodes), dtype=np.int64)
        self.national = np.zeros((members, days), dtype=np.float64)
        self._filled = 0
        self._sorted = False

    def add(self, first: int, block: np.ndarray) -> None:
        """Take members ``first .. first + len(block) - 1`` (chunks in any order, each once)."""
        block = np.ascontiguousarray(block, dtype=self.store.dtype)
        if block.ndim != 3 or block.shape[1:] != (self.days, self.nodes):
            raise ParameterError("a chunk must be (members, days, nodes) of this ensemble")
        if first < 0 or first + block.shape[0] > self.members:
            raise ParameterError("chunk outside the ensemble")
        if self._sorted:
            raise ParameterError("the ensemble has already been reduced")
        _store_node_major(block, first, self.store)
        _absorb(
            block,
            first,
            self.groups,
            self.grouped,
            self.total,
            self._peak_value,
            self.peak_day,
            self.national,
        )
        self._filled += block.shape[0]

    @property
    def complete(self) -> bool:
        return self._filled == self.members

    def node_quantiles(self, qs: Sequence[float], threads: int | None = None) -> np.ndarray:
        """(len(qs), days, nodes) float32 quantiles per node and day (sorts the members in
        place)."""
        rows = self.store.reshape(self.nodes * self.days, self.members)
        if not self._sorted:
            sort_rows(rows, threads)
            self._sorted = True
        q = sorted_quantiles(rows, qs).reshape(len(qs), self.nodes, self.days)
        return np.ascontiguousarray(q.transpose(0, 2, 1), dtype=np.float32)

    def summary(self, populations: np.ndarray):
        from .epidemic import summary_from_parts

        return summary_from_parts(self.total, self.national, self.peak_day, populations)
