"""Run one configured simulation with ``beredskap.sim`` and reduce it to compact results.

No database access here: the task (:mod:`beredskap.modelling.tasks`) passes the capacity
and a ``progress(percent) -> bool`` callback, called between ensemble chunks; returning
False cancels the run (DESIGN.md rule 8: long work shows progress and can be cancelled).

Reduction (issue 7, point 6): daily new infections per municipality and day and ICU/ward
occupancy per hospital trust, health region and county are kept as the quantiles
:data:`QUANTILES` over the ensemble; raw members are discarded. Because the demand model is
linear and the same in every municipality, infections are aggregated to the groups before
the delay and length-of-stay convolutions (:mod:`beredskap.sim.demand`), which is exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from beredskap.modelling.parameters import RunParameters, to_sim

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_KEYS = ("p05", "p25", "p50", "p75", "p95")
LEVELS = ("hf", "rhf", "county")
NODE_BLOCK = 32


class Cancelled(Exception):
    """The run was cancelled between two chunks."""


@dataclass
class Outcome:
    arrays: dict[str, np.ndarray]
    meta: dict
    bottlenecks: list[dict] = field(default_factory=list)


@cache
def network():  # type: ignore[no-untyped-def]
    """(populations, commuting matrix, codes, names) of the 357 municipalities (cached)."""
    from beredskap.sim.network import load_ssb_commuting, municipalities

    ms = municipalities()
    pop = np.array([m.population for m in ms], dtype=np.int64)
    return pop, load_ssb_commuting(), [m.code for m in ms], [m.name for m in ms]


@cache
def groupings() -> dict[str, tuple[np.ndarray, list[str]]]:
    from beredskap.sim.regions import grouping

    return {level: grouping(level) for level in LEVELS}


def chunk_size(members: int) -> int:
    """About 25 progress steps, in multiples of the kernel's 8 SIMD lanes."""
    return max(8, math.ceil(members / 25 / 8) * 8)


def _simulate(p: RunParameters, progress: Callable[[int], bool]) -> np.ndarray:
    from beredskap.sim.epidemic import iter_chain_binomial, run_deterministic

    pop, flows, _codes, _names = network()
    epi, unc, _demand = to_sim(p)
    members = p.effective_members
    if p.deterministic:
        out = run_deterministic(pop, flows, epi, members=members, seed=p.seed, uncertainty=unc)
        if not progress(80):
            raise Cancelled
        return out
    out = np.empty((members, p.days, pop.size), dtype=np.int32)
    chunks = iter_chain_binomial(pop, flows, epi, members=members, seed=p.seed, uncertainty=unc,
                                 chunk_size=chunk_size(members))
    with closing(chunks):
        for lo, block in chunks:
            out[lo:lo + block.shape[0]] = block
            if not progress(2 + int(78 * (lo + block.shape[0]) / members)):
                raise Cancelled
    return out


def node_quantiles(x: np.ndarray) -> np.ndarray:
    """(5, days, nodes) float32 quantiles over members, computed in node blocks (bounded memory)."""
    out = np.empty((len(QUANTILES), x.shape[1], x.shape[2]), dtype=np.float32)
    for j in range(0, x.shape[2], NODE_BLOCK):
        out[:, :, j:j + NODE_BLOCK] = np.quantile(x[:, :, j:j + NODE_BLOCK], QUANTILES, axis=0)
    return out


def _aggregate_all(inf: np.ndarray) -> tuple[np.ndarray, dict[str, slice]]:
    """Infections summed to every level's groups, side by side, and each level's columns."""
    from beredskap.sim.demand import aggregate

    x = inf.astype(np.float32, copy=False)
    parts, spans, offset = [], {}, 0
    for level, (index, names) in groupings().items():
        parts.append(aggregate(x, index, len(names)))
        spans[level] = slice(offset, offset + len(names))
        offset += len(names)
    return np.concatenate(parts, axis=2), spans


def execute(p: RunParameters, capacity: dict[str, np.ndarray | None],
            progress: Callable[[int], bool]) -> Outcome:
    """Simulate, derive hospital/ICU demand, reduce to quantiles and bottlenecks."""
    from beredskap.sim.demand import bottleneck_report, hospital_demand, quantiles
    from beredskap.sim.epidemic import summarise

    pop, _flows, codes, names = network()
    _epi, _unc, demand_params = to_sim(p)
    inf = _simulate(p, progress)
    agg, spans = _aggregate_all(inf)
    hd = hospital_demand(agg, demand_params)
    if not progress(85):
        raise Cancelled
    summary = summarise(inf, pop)
    arrays = {
        "inf_q": node_quantiles(inf),
        "nat_inf_q": quantiles(inf.sum(axis=2, dtype=np.float64), QUANTILES).astype(np.float32),
        "node_attack_rate": summary.node_attack_rate.astype(np.float32),
        "node_peak_day": summary.node_peak_day.astype(np.float32),
    }
    bottlenecks: list[dict] = []
    for level, cols in spans.items():
        arrays[f"icu_{level}"] = quantiles(hd.icu_occupancy[:, :, cols], QUANTILES).astype(np.float32)
        arrays[f"hosp_{level}"] = quantiles(hd.occupancy[:, :, cols], QUANTILES).astype(np.float32)
        cap = capacity.get(level)
        if cap is not None:
            arrays[f"cap_{level}"] = np.asarray(cap, dtype=np.float32)
            report = bottleneck_report(hd.icu_occupancy[:, :, cols], cap, groupings()[level][1])
            bottlenecks += [{"level": level, **b.as_dict()} for b in report]
    meta = {
        "members": int(inf.shape[0]), "days": p.days, "codes": codes, "names": names,
        "groups": {level: groupings()[level][1] for level in LEVELS},
        "attack_rate": summary.attack_rate, "attack_rate_sd": summary.attack_rate_sd,
        "peak_day": summary.peak_day, "peak_day_sd": summary.peak_day_sd,
        "peak_icu_national_p50": float(arrays["icu_rhf"][2].sum(axis=1).max()),
    }
    progress(95)
    return Outcome(arrays, meta, bottlenecks)
