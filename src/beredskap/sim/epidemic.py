"""Metapopulation SEIR over municipalities coupled by commuting (white paper 2.2.1, 4.6).

Modes
    * :func:`run_chain_binomial` — stochastic chain binomial with exact binomial draws
      (see :mod:`beredskap.sim._rng`), reproducible by seed: member ``m`` of seed ``s`` is
      the same whether it runs alone, in a thread, a process or on a Dask cluster.
    * :func:`run_deterministic` — the same discrete-time update with expected values
      (mean field), e.g. ``new E = S·(1 - exp(-λ))``.

Both return daily new infections shaped (members, days, nodes). The mixing operator and
the force of infection are described in :mod:`beredskap.sim.network`; parameters and the
meaning of R0 in :mod:`beredskap.sim.params`.

Parallel execution (``backend``)
    ``"threads"`` (default): numba ``prange`` over chunks of members in this process.
    ``"processes"``: a ``ProcessPoolExecutor`` (spawned workers) over member chunks.
    ``"dask"``: a Dask distributed cluster; ``"auto"`` uses Dask when the environment
    variable ``BEREDSKAP_DASK_SCHEDULER`` (``tcp://host:port``) is set, threads otherwise.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context

import numpy as np
import scipy.sparse as sp

from . import _kernel
from ._rng import member_states
from .errors import ParameterError
from .network import mixing_operator
from .params import EpidemicParams, Uncertainty, r0_from_beta

DASK_ENV = "BEREDSKAP_DASK_SCHEDULER"
LANES = 8


@dataclass
class PreparedModel:
    """Plain arrays the kernels need (picklable; shipped to processes/Dask workers)."""

    nodes: int
    groups: int
    days: int
    n_cells: np.ndarray
    r_init: np.ndarray
    p: sp.csr_matrix
    pt: sp.csr_matrix
    inv_den: np.ndarray
    contacts: np.ndarray
    mult: np.ndarray
    vacc: np.ndarray
    seed_cell_default: int


@dataclass
class MemberParams:
    """Per-member values drawn from :class:`Uncertainty` (arrays of length members)."""

    beta: np.ndarray
    latent_days: np.ndarray
    infectious_days: np.ndarray
    seed_exposed: np.ndarray
    seed_infectious: np.ndarray
    seed_cell: np.ndarray

    def slice(self, lo: int, hi: int) -> MemberParams:
        return MemberParams(*(getattr(self, f)[lo:hi] for f in self.__dataclass_fields__))

    def rates(self) -> np.ndarray:
        """(4, members): p_EI, log(1-p_EI), p_IR, log(1-p_IR)."""
        s = 1.0 / self.latent_days
        g = 1.0 / self.infectious_days
        return np.ascontiguousarray(np.stack([-np.expm1(-s), -s, -np.expm1(-g), -g]))


# --------------------------------------------------------------------------- preparation


def _split_by_shares(total: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Integer split of totals (n,) by shares (n, A), largest remainder, sums kept."""
    raw = total[:, None] * shares
    base = np.floor(raw).astype(np.int64)
    short = total - base.sum(axis=1)
    order = np.argsort(-(raw - base), axis=1, kind="stable")
    for i in np.flatnonzero(short):
        base[i, order[i, : short[i]]] += 1
    return base


def _check_populations(populations: np.ndarray) -> np.ndarray:
    pop = np.asarray(populations)
    if pop.ndim != 1 or pop.size == 0:
        raise ParameterError("populations must be a non-empty 1-D array")
    if not np.all(np.isfinite(pop)) or np.any(pop < 0) or np.any(pop != np.round(pop)):
        raise ParameterError("populations must be whole numbers >= 0")
    return pop.astype(np.int64)


def _time_arrays(params: EpidemicParams, n: int) -> tuple[np.ndarray, np.ndarray]:
    mult = np.ones((1, n))
    if params.interventions:
        mult = np.ones((params.days, n))
        for iv in params.interventions:
            nodes = list(iv.nodes) if iv.nodes is not None else slice(None)
            if iv.nodes is not None and (min(iv.nodes) < 0 or max(iv.nodes) >= n):
                raise ParameterError("intervention node index out of range")
            mult[iv.start_day : iv.end_day, nodes] *= 1.0 - iv.reduction
    vacc = np.zeros((0, n))
    v = params.vaccination
    if v is not None and v.daily_rate > 0 and v.end_day > v.start_day:
        vacc = np.zeros((params.days, n))
        vacc[v.start_day : v.end_day, :] = v.daily_rate * v.efficacy
    return mult, vacc


def _initial_immune(params: EpidemicParams, n_cells: np.ndarray, n: int) -> np.ndarray:
    v = params.vaccination
    if v is None:
        return np.zeros_like(n_cells)
    cov = np.broadcast_to(np.asarray(v.initial_coverage, dtype=float), (n,))
    groups = n_cells.size // n
    share = np.repeat(cov * v.efficacy, groups)
    return np.floor(n_cells * share).astype(np.int64)


def prepare(populations: np.ndarray, commuters, params: EpidemicParams) -> PreparedModel:
    """Validate inputs and build the arrays shared by all members."""
    pop = _check_populations(populations)
    n = pop.size
    p = mixing_operator(pop, commuters, params.alpha)
    if params.age is None:
        shares, contacts = np.ones((n, 1)), np.ones((1, 1))
    else:
        shares = np.broadcast_to(np.asarray(params.age.shares, dtype=float), (n, params.age.groups))
        contacts = params.age.normalised_contacts()
    cells = _split_by_shares(pop, shares)
    den = np.asarray(p.T @ cells.astype(float))  # (n, A) people present at each place
    inv_den = np.divide(1.0, den, out=np.zeros_like(den), where=den > 0).ravel()
    mult, vacc = _time_arrays(params, n)
    n_cells = cells.ravel()
    seed_node = params.seeding.node if params.seeding.node is not None else int(np.argmax(pop))
    if seed_node >= n:
        raise ParameterError(f"seeding.node {seed_node} is not a node index (< {n})")
    seed_cell = seed_node * cells.shape[1] + int(np.argmax(cells[seed_node]))
    return PreparedModel(
        n,
        cells.shape[1],
        params.days,
        n_cells,
        _initial_immune(params, n_cells, n),
        p,
        sp.csr_matrix(p.T),
        inv_den,
        np.ascontiguousarray(contacts),
        mult,
        vacc,
        seed_cell,
    )


def _uniform(rng: np.random.Generator, bounds, default: float) -> float:
    return default if bounds is None else float(rng.uniform(bounds[0], bounds[1]))


def _integer(rng: np.random.Generator, bounds, default: int) -> int:
    return default if bounds is None else int(rng.integers(bounds[0], bounds[1] + 1))


def member_params(
    params: EpidemicParams,
    model: PreparedModel,
    members: int,
    seed: int,
    uncertainty: Uncertainty | None = None,
    first: int = 0,
) -> MemberParams:
    """Draw the parameters of members ``first .. first+members-1``."""
    u = uncertainty or Uncertainty()
    cols: list[list[float]] = [[] for _ in range(5)]
    for m in range(first, first + members):
        rng = np.random.default_rng([int(seed), m, 0x5EED])
        lat = _uniform(rng, u.latent_days, params.latent_days)
        inf = _uniform(rng, u.infectious_days, params.infectious_days)
        if u.r0 is not None:
            beta = _uniform(rng, u.r0, 0.0) * -math.expm1(-1.0 / inf)
        else:
            beta = _uniform(rng, u.beta, params.transmission_rate)
        seeds = (
            _integer(rng, u.seed_exposed, params.seeding.exposed),
            _integer(rng, u.seed_infectious, params.seeding.infectious),
        )
        for col, value in zip(cols, (beta, lat, inf, *seeds), strict=True):
            col.append(value)
    floats = [np.asarray(c, dtype=float) for c in cols[:3]]
    ints = [np.asarray(c, dtype=np.int64) for c in cols[3:]]
    mp = MemberParams(
        floats[0],
        floats[1],
        floats[2],
        ints[0],
        ints[1],
        np.full(members, model.seed_cell_default, dtype=np.int64),
    )
    room = model.n_cells[model.seed_cell_default] - model.r_init[model.seed_cell_default]
    if np.any(mp.seed_exposed + mp.seed_infectious > room):
        raise ParameterError("seeded infections exceed the susceptibles of the seed node")
    return mp


# --------------------------------------------------------------------------- stochastic


def _simulate_block(
    model: PreparedModel,
    mp: MemberParams,
    seed: int,
    first: int,
    lanes: int = LANES,
    parallel: bool = True,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Simulate members ``first .. first+len(mp)-1`` in this process (into ``out`` if given)."""
    count = mp.beta.size
    if out is None:
        out = np.empty(
            (count, model.days, model.nodes), dtype=np.int32
        )  # the kernel writes every entry
    states = member_states(seed, first, count)
    p, pt = model.p, model.pt
    kernel = _kernel.simulate_members if parallel else _kernel.simulate_members_serial
    kernel(
        model.n_cells,
        model.r_init,
        mp.seed_cell,
        mp.seed_exposed,
        mp.seed_infectious,
        states,
        mp.beta,
        mp.rates(),
        p.indptr.astype(np.int64),
        p.indices.astype(np.int64),
        p.data,
        pt.indptr.astype(np.int64),
        pt.indices.astype(np.int64),
        pt.data,
        model.inv_den,
        model.contacts,
        model.mult,
        model.vacc,
        model.days,
        lanes,
        out,
    )
    return out


def _chunks(members: int, parts: int) -> list[tuple[int, int]]:
    size = max(1, math.ceil(members / max(parts, 1)))
    size = math.ceil(size / LANES) * LANES
    return [(lo, min(members, lo + size)) for lo in range(0, members, size)]


def _block_task(model: PreparedModel, mp: MemberParams, seed: int, lo: int) -> np.ndarray:
    """One chunk of members, single-threaded (process pool / Dask task)."""
    return _simulate_block(model, mp, seed, lo, parallel=False)


def _block_task_packed(args) -> np.ndarray:
    return _block_task(*args)


def _run_processes(model, mp, seed, members, workers) -> np.ndarray:
    spans = _chunks(members, workers)
    tasks = [(model, mp.slice(lo, hi), seed, lo) for lo, hi in spans]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        return np.concatenate(list(pool.map(_block_task_packed, tasks)), axis=0)


def _run_dask(model, mp, seed, members, address, client=None) -> np.ndarray:
    from distributed import Client

    own = client is None
    client = client or Client(address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        spans = _chunks(members, 2 * workers)
        model_f = client.scatter(model, broadcast=True)
        futures = [
            client.submit(_block_task, model_f, mp.slice(lo, hi), seed, lo, pure=False)
            for lo, hi in spans
        ]
        return np.concatenate(client.gather(futures), axis=0)
    finally:
        if own:
            client.close()


def _check_members(members) -> None:
    if not isinstance(members, int | np.integer) or members < 1:
        raise ParameterError(f"members must be an integer >= 1, got {members!r}")


def _check_out(out: np.ndarray, shape: tuple[int, int, int]) -> None:
    """A caller's output buffer must be a writeable C-contiguous int32 array of ``shape``."""
    if not isinstance(out, np.ndarray) or out.dtype != np.int32 or out.shape != shape:
        found = f"{out.dtype} {out.shape}" if isinstance(out, np.ndarray) else type(out).__name__
        raise ParameterError(f"out must be an int32 array of shape {shape}, got {found}")
    if not (out.flags.c_contiguous and out.flags.writeable):
        raise ParameterError("out must be C-contiguous and writeable")


def _with_threads(workers: int | None, func, *args):
    import numba

    previous = numba.get_num_threads()
    numba.set_num_threads(min(workers or os.cpu_count() or 1, numba.config.NUMBA_NUM_THREADS))
    try:
        return func(*args)
    finally:
        numba.set_num_threads(previous)


def iter_chain_binomial(
    populations: np.ndarray,
    commuters,
    params: EpidemicParams,
    members: int = 1,
    seed: int = 0,
    *,
    uncertainty: Uncertainty | None = None,
    chunk_size: int = 64,
    workers: int | None = None,
    dask_client=None,
    reuse_buffer: bool = False,
):
    """Yield ``(first, block)`` per chunk of the ensemble, in member order.

    ``block`` is int32 (chunk members, days, nodes) for members ``first ..``; the blocks
    concatenated equal :func:`run_chain_binomial` for the same seed. A caller shows
    progress and cancels between chunks simply by stopping the iteration. Chunks run on
    numba threads here, or on Dask when ``BEREDSKAP_DASK_SCHEDULER`` (or ``dask_client``)
    is given — then all chunks are submitted at once and unfinished ones are cancelled
    when the iteration is closed early.

    ``reuse_buffer=True`` (threads only) writes every chunk into the same array, so each
    block is valid only until the next step: for a caller that reduces or copies each
    block, it saves allocating — and the operating system faulting in — fresh memory per
    chunk.
    """
    _check_members(members)
    if chunk_size < 1:
        raise ParameterError(f"chunk_size must be >= 1, got {chunk_size!r}")
    model = prepare(populations, commuters, params)
    mp = member_params(params, model, members, seed, uncertainty)
    spans = [(lo, min(members, lo + chunk_size)) for lo in range(0, members, chunk_size)]
    address = os.environ.get(DASK_ENV, "")
    if address or dask_client is not None:
        yield from _iter_dask(model, mp, seed, spans, address, dask_client)
        return
    buffer = (
        np.empty((min(chunk_size, members), model.days, model.nodes), dtype=np.int32)
        if reuse_buffer
        else None
    )
    for lo, hi in spans:
        out = buffer[: hi - lo] if buffer is not None else None
        yield (
            lo,
            _with_threads(
                workers, _simulate_block, model, mp.slice(lo, hi), seed, lo, LANES, True, out
            ),
        )


def _iter_dask(model, mp, seed, spans, address, client=None):
    from distributed import Client

    own = client is None
    client = client or Client(address)
    futures = []
    try:
        model_f = client.scatter(model, broadcast=True)
        futures = [
            client.submit(_block_task, model_f, mp.slice(lo, hi), seed, lo, pure=False)
            for lo, hi in spans
        ]
        for (lo, _hi), future in zip(spans, futures, strict=True):
            yield lo, future.result()
    finally:
        client.cancel(futures)
        if own:
            client.close()


def run_chain_binomial(
    populations: np.ndarray,
    commuters,
    params: EpidemicParams,
    members: int = 1,
    seed: int = 0,
    *,
    uncertainty: Uncertainty | None = None,
    workers: int | None = None,
    backend: str = "auto",
    dask_client=None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Stochastic ensemble; daily new infections as int32 (members, days, nodes).

    ``populations`` (n,) residents; ``commuters`` sparse/dense (n, n) flows or None;
    ``workers`` = threads/processes (default: all cores). See the module docstring for
    ``backend``. The result for a given ``seed`` does not depend on backend or workers.
    For progress and cancellation between chunks use :func:`iter_chain_binomial`.

    ``out``: an int32 array of the result's shape to write into and return (as NumPy's
    ``out=``), for callers that run ensembles repeatedly; a fresh array of 1,000 members
    over 357 nodes and a year is 521 MB that the operating system must fault in first.
    """
    _check_members(members)
    model = prepare(populations, commuters, params)
    mp = member_params(params, model, members, seed, uncertainty)
    if out is not None:
        _check_out(out, (members, model.days, model.nodes))
    workers = workers or os.cpu_count() or 1
    address = os.environ.get(DASK_ENV, "")
    if backend == "auto":
        backend = "dask" if (address or dask_client is not None) else "threads"
    if backend == "threads":
        return _with_threads(workers, _simulate_block, model, mp, seed, 0, LANES, True, out)
    if backend == "processes":
        result = _run_processes(model, mp, seed, members, workers)
    elif backend == "dask":
        if not address and dask_client is None:
            raise ParameterError(f"backend 'dask' needs {DASK_ENV} or a dask_client")
        result = _run_dask(model, mp, seed, members, address, dask_client)
    else:
        raise ParameterError(f"unknown backend {backend!r} (threads, processes, dask, auto)")
    if out is None:
        return result
    out[...] = result  # other processes' chunks arrive as their own arrays
    return out


# --------------------------------------------------------------------------- deterministic


def _initial_float_state(model: PreparedModel, mp: MemberParams):
    members = mp.beta.size
    S = np.repeat((model.n_cells - model.r_init)[:, None].astype(float), members, axis=1)
    E = np.zeros_like(S)
    Inf = np.zeros_like(S)
    R = np.repeat(model.r_init[:, None].astype(float), members, axis=1)
    cols = np.arange(members)
    S[mp.seed_cell, cols] -= mp.seed_exposed + mp.seed_infectious
    E[mp.seed_cell, cols] = mp.seed_exposed
    Inf[mp.seed_cell, cols] = mp.seed_infectious
    return S, E, Inf, R


def force_of_infection(
    model: PreparedModel, Inf: np.ndarray, beta: np.ndarray, t: int = 0
) -> np.ndarray:
    """λ (cells, members) for infectious counts ``I`` (cells, members) on day ``t``."""
    n, groups, members = model.nodes, model.groups, Inf.shape[1]
    mult = model.mult[t if model.mult.shape[0] > 1 else 0][:, None, None]
    y = (model.pt @ Inf.reshape(n, groups * members)).reshape(n, groups, members)
    y = y * model.inv_den.reshape(n, groups, 1) * mult
    if groups > 1:
        y = np.einsum("ab,kbm->kam", model.contacts, y)
    return (model.p @ y.reshape(n, groups * members)).reshape(n * groups, members) * beta


def deterministic_steps(model: PreparedModel, mp: MemberParams):
    """Yield (t, S, E, I, R, new_E) after each day of the mean-field model.

    The state arrays are (cells, members) floats and are reused between days.
    """
    S, E, Inf, R = _initial_float_state(model, mp)
    rates = mp.rates()
    for t in range(model.days):
        lam = force_of_infection(model, Inf, mp.beta, t)
        ne = S * -np.expm1(-lam)
        ni = E * rates[0]
        nr = Inf * rates[2]
        nv = 0.0
        if model.vacc.shape[0] > t:
            nv = (S - ne) * np.repeat(model.vacc[t], model.groups)[:, None]
        S -= ne + nv
        E += ne - ni
        Inf += ni - nr
        R += nr + nv
        yield t, S, E, Inf, R, ne


def _deterministic(model: PreparedModel, mp: MemberParams) -> np.ndarray:
    members, n, groups = mp.beta.size, model.nodes, model.groups
    out = np.zeros((members, model.days, n))
    for t, *_state, ne in deterministic_steps(model, mp):
        out[:, t, :] = ne.reshape(n, groups, members).sum(axis=1).T
    return out


def run_deterministic(
    populations: np.ndarray,
    commuters,
    params: EpidemicParams,
    members: int = 1,
    seed: int = 0,
    *,
    uncertainty: Uncertainty | None = None,
) -> np.ndarray:
    """Mean-field path(s): expected daily new infections, float (members, days, nodes).

    With ``uncertainty`` each member has its own parameters (same draws as the
    stochastic ensemble of the same seed); without it all members are identical.
    """
    if members < 1:
        raise ParameterError("members must be >= 1")
    model = prepare(populations, commuters, params)
    return _deterministic(model, member_params(params, model, members, seed, uncertainty))


# --------------------------------------------------------------------------- summaries


@dataclass
class EpidemicSummary:
    """Final attack rates and peak days (national and per node), averaged over members."""

    attack_rate: float
    attack_rate_sd: float
    peak_day: float
    peak_day_sd: float
    node_attack_rate: np.ndarray
    node_peak_day: np.ndarray

    def as_dict(self) -> dict:
        return {
            "attack_rate": self.attack_rate,
            "attack_rate_sd": self.attack_rate_sd,
            "peak_day": self.peak_day,
            "peak_day_sd": self.peak_day_sd,
        }


def summarise(infections: np.ndarray, populations: np.ndarray) -> EpidemicSummary:
    """Attack rate (share ever infected) and peak day (0-based) of (members, days, nodes)."""
    total = infections.sum(axis=1, dtype=np.float64)  # (members, nodes)
    national = infections.sum(axis=2, dtype=np.float64)  # (members, days)
    return summary_from_parts(total, national, infections.argmax(axis=1), populations)


def summary_from_parts(
    total: np.ndarray, national: np.ndarray, node_peak_day: np.ndarray, populations: np.ndarray
) -> EpidemicSummary:
    """:func:`summarise` from per-member infections per node (members, nodes), national
    curves (members, days) and peak days per node (members, nodes) — what
    :class:`beredskap.sim.ensemble.EnsembleReducer` keeps instead of the raw members."""
    pop = np.asarray(populations, dtype=float)
    ar = total.sum(axis=1) / pop.sum()
    peak = national.argmax(axis=1)
    node_ar = total.mean(axis=0) / np.where(pop > 0, pop, 1.0)
    node_peak = node_peak_day.mean(axis=0)
    return EpidemicSummary(
        float(ar.mean()), float(ar.std()), float(peak.mean()), float(peak.std()), node_ar, node_peak
    )


def final_size(r0: float) -> float:
    """Solution z of z = 1 - exp(-R0 z) (0 for R0 <= 1), by Newton iteration."""
    if r0 <= 1.0:
        return 0.0
    z = 1.0 - 1e-9
    for _ in range(100):
        g = z - 1.0 + math.exp(-r0 * z)
        dz = g / (1.0 - r0 * math.exp(-r0 * z))
        z -= dz
        if abs(dz) < 1e-15:
            break
    return z


def with_days(params: EpidemicParams, days: int) -> EpidemicParams:
    """Copy of ``params`` with another horizon."""
    return replace(params, days=days)


__all__ = [
    "run_chain_binomial",
    "iter_chain_binomial",
    "run_deterministic",
    "summarise",
    "summary_from_parts",
    "final_size",
    "prepare",
    "member_params",
    "EpidemicSummary",
    "r0_from_beta",
]
