"""Run one configured simulation with ``beredskap.sim`` and reduce it to compact results.

No database access here: the task (:mod:`beredskap.modelling.tasks`) passes the capacity
and a ``progress(percent) -> bool`` callback, called between ensemble chunks; returning
False cancels the run (long work shows progress and can be cancelled).

Reduction (what the results pages and the crisis picture need, not every member's path): daily new
infections per municipality and day and ICU/ward occupancy per hospital trust, health region and
county are kept as the quantiles :data:`QUANTILES` over the ensemble; raw members are discarded,
except the ICU and ward occupancy of each member per health region, from which a forecast from
today is computed (:mod:`beredskap.sim.forecast`).
Because the demand model is linear and the same in every municipality, infections are aggregated to
the groups before the delay and length-of-stay convolutions (:mod:`beredskap.sim.demand`), which is
exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from beredskap.modelling.parameters import RunParameters, to_sim

if TYPE_CHECKING:
    from beredskap.sim.ensemble import EnsembleReducer

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_KEYS = ("p05", "p25", "p50", "p75", "p95")
LEVELS = ("hf", "rhf", "county")


class Cancelled(Exception):
    """The run was cancelled between two chunks."""


@dataclass
class Outcome:
    arrays: dict[str, np.ndarray]
    meta: dict
    bottlenecks: list[dict] = field(default_factory=list)


@cache
def network():
    """(populations, commuting matrix, codes, names) of the 357 municipalities (cached)."""
    from beredskap.sim.network import load_ssb_commuting, municipalities

    ms = municipalities()
    pop = np.array([m.population for m in ms], dtype=np.int64)
    return pop, load_ssb_commuting(), [m.code for m in ms], [m.name for m in ms]


def _spans() -> list[slice]:
    """Each level's columns in the grouped infections (levels side by side, in LEVELS order)."""
    out, offset = [], 0
    for level in LEVELS:
        size = len(groupings()[level][1])
        out.append(slice(offset, offset + size))
        offset += size
    return out


@cache
def groupings() -> dict[str, tuple[np.ndarray, list[str]]]:
    from beredskap.sim.regions import grouping

    return {level: grouping(level) for level in LEVELS}


def chunk_size(members: int) -> int:
    """About 25 progress steps, in multiples of 16 members (the kernel's 8 SIMD lanes on each
    of two cores, so no core idles at the end of a chunk)."""
    return max(16, math.ceil(members / 25 / 16) * 16)


def _reducer(p: RunParameters, nodes: int, dtype) -> EnsembleReducer:
    from beredskap.sim.ensemble import EnsembleReducer

    levels = [groupings()[level] for level in LEVELS]
    return EnsembleReducer(
        p.effective_members,
        p.days,
        nodes,
        [index for index, _ in levels],
        [len(names) for _, names in levels],
        dtype=dtype,
    )


def _simulate(p: RunParameters, progress: Callable[[int], bool]) -> EnsembleReducer:
    """Run the ensemble, handing each chunk to the reducer as it arrives (no raw copy kept)."""
    from beredskap.sim.epidemic import iter_chain_binomial, run_deterministic

    pop, flows, _codes, _names = network()
    epi, unc, _demand = to_sim(p)
    members = p.effective_members
    if p.deterministic:
        out = run_deterministic(pop, flows, epi, members=members, seed=p.seed, uncertainty=unc)
        reducer = _reducer(p, pop.size, np.float32)
        reducer.add(0, out)
        if not progress(80):
            raise Cancelled
        return reducer
    reducer = _reducer(p, pop.size, np.int32)
    chunks = iter_chain_binomial(
        pop,
        flows,
        epi,
        members=members,
        seed=p.seed,
        uncertainty=unc,
        chunk_size=chunk_size(members),
        reuse_buffer=True,
    )  # the reducer copies
    with closing(chunks):
        for lo, block in chunks:
            reducer.add(lo, block)
            if not progress(2 + int(78 * (lo + block.shape[0]) / members)):
                raise Cancelled
    return reducer


def execute(
    p: RunParameters, capacity: dict[str, np.ndarray | None], progress: Callable[[int], bool]
) -> Outcome:
    """Simulate, derive hospital/ICU demand, reduce to quantiles and bottlenecks."""
    from beredskap.sim.demand import bottleneck_report, hospital_demand, quantiles

    pop, _flows, codes, names = network()
    _epi, _unc, demand_params = to_sim(p)
    reducer = _simulate(p, progress)
    hd = hospital_demand(reducer.grouped, demand_params)
    if not progress(85):
        raise Cancelled
    summary = reducer.summary(pop)
    arrays = {
        "inf_q": reducer.node_quantiles(QUANTILES),
        "nat_inf_q": quantiles(reducer.national, QUANTILES).astype(np.float32),
        "node_attack_rate": summary.node_attack_rate.astype(np.float32),
        "node_peak_day": summary.node_peak_day.astype(np.float32),
    }
    del reducer  # the members per node and day are no longer needed
    bottlenecks: list[dict] = []
    for level, cols in zip(LEVELS, _spans(), strict=True):
        arrays[f"icu_{level}"] = quantiles(hd.icu_occupancy[:, :, cols], QUANTILES).astype(
            np.float32
        )
        arrays[f"hosp_{level}"] = quantiles(hd.occupancy[:, :, cols], QUANTILES).astype(np.float32)
        if level == "rhf":  # the members a forecast from today is anchored on
            arrays["icu_rhf_members"] = hd.icu_occupancy[:, :, cols].astype(np.float32)
            arrays["hosp_rhf_members"] = hd.occupancy[:, :, cols].astype(np.float32)
            arrays["adm_rhf"] = quantiles(hd.admissions[:, :, cols], QUANTILES).astype(np.float32)
        cap = capacity.get(level)
        if cap is not None:
            arrays[f"cap_{level}"] = np.asarray(cap, dtype=np.float32)
            report = bottleneck_report(hd.icu_occupancy[:, :, cols], cap, groupings()[level][1])
            bottlenecks += [{"level": level, **b.as_dict()} for b in report]
    meta = {
        "members": int(p.effective_members),
        "days": p.days,
        "codes": codes,
        "names": names,
        "groups": {level: groupings()[level][1] for level in LEVELS},
        "attack_rate": summary.attack_rate,
        "attack_rate_sd": summary.attack_rate_sd,
        "peak_day": summary.peak_day,
        "peak_day_sd": summary.peak_day_sd,
        "peak_icu_national_p50": float(arrays["icu_rhf"][2].sum(axis=1).max()),
    }
    progress(95)
    return Outcome(arrays, meta, bottlenecks)
