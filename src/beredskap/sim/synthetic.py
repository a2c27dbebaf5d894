"""Synthetic NOR357-SEIR-365 workload (see the project's SIMULATION-BENCHMARK.md).

357 nodes, lognormal sizes scaled to 5.5 million residents in total; each node sends
2-10 % of its residents to 3-10 other nodes (destinations uniform at random, shares of the
flow from a flat Dirichlet). β = 0.36, latent 3 days, infectious 5 days, 365 days,
20 exposed + 20 infectious seeded in the largest node.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .params import EpidemicParams, Seeding

NODES = 357
TOTAL_POPULATION = 5_500_000


def nor357_populations(
    seed: int = 357, nodes: int = NODES, total: int = TOTAL_POPULATION, sigma: float = 1.2
) -> np.ndarray:
    """Lognormal node sizes summing exactly to ``total`` (largest remainder rounding)."""
    rng = np.random.default_rng(seed)
    raw = rng.lognormal(mean=0.0, sigma=sigma, size=nodes)
    raw = raw / raw.sum() * total
    pop = np.floor(raw).astype(np.int64)
    short = total - pop.sum()
    pop[np.argsort(-(raw - pop))[:short]] += 1
    return np.maximum(pop, 1) if pop.min() < 1 else pop


def nor357_commuters(populations: np.ndarray, seed: int = 358) -> sp.csr_matrix:
    """Each node sends 2-10 % of its residents to 3-10 other random nodes."""
    rng = np.random.default_rng(seed)
    n = populations.size
    rows, cols, vals = [], [], []
    for i in range(n):
        k = int(rng.integers(3, 11))
        dest = rng.choice(np.delete(np.arange(n), i), size=k, replace=False)
        share = rng.uniform(0.02, 0.10)
        flows = np.floor(share * populations[i] * rng.dirichlet(np.ones(k)))
        rows.extend([i] * k)
        cols.extend(dest.tolist())
        vals.extend(flows.tolist())
    return sp.csr_matrix((vals, (rows, cols)), shape=(n, n))


def nor357_params(days: int = 365) -> EpidemicParams:
    """β = 0.36, latent 3 d, infectious 5 d, 20 E + 20 I in the largest node."""
    return EpidemicParams(
        beta=0.36,
        latent_days=3.0,
        infectious_days=5.0,
        days=days,
        seeding=Seeding(exposed=20, infectious=20, node=None),
    )


def nor357_workload(seed: int = 357) -> tuple[np.ndarray, sp.csr_matrix, EpidemicParams]:
    """(populations, commuters, params) of the benchmark workload."""
    pop = nor357_populations(seed)
    return pop, nor357_commuters(pop, seed + 1), nor357_params()
