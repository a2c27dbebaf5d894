"""Compiled chain-binomial SEIR kernel (numba, cached on disk).

Members are simulated in small groups of "lanes" (default 8) whose states sit side by
side in memory, so the two sparse products of the force of infection run over all lanes
at once. Each lane owns its xoshiro256** stream and draws its binomials in a fixed order
(day, node, age group, transition), so its path depends only on (seed, member index).

Per day and cell (node i, age group a), from the state at the start of the day::

    new E ~ Bin(S, 1 - exp(-λ_ia))      new I ~ Bin(E, 1 - exp(-1/latent))
    new R ~ Bin(I, 1 - exp(-1/infectious))
    vaccinated ~ Bin(S - new E, v_i(t))   (only when a vaccination schedule is given)
    λ_ia = β · Σ_k P_ik Σ_b K_ab · m_k(t) · (Σ_j P_jk I_jb) / (Σ_j P_jk N_jb)

m_k(t) is the contact multiplier of interventions at place k.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ._rng import binomial_lq, binomial_table


@njit(cache=True)
def _prevalence_at_places(Inf, pt_ptr, pt_idx, pt_val, inv_den, mult_t, groups, y):
    """y[k*A+b, l] = m_k · Σ_j P_jk I[j*A+b, l] / Σ_j P_jk N_jb."""
    n = pt_ptr.size - 1
    lanes = Inf.shape[1]
    for k in range(n):
        for b in range(groups):
            row = k * groups + b
            for lane in range(lanes):
                y[row, lane] = 0.0
            for q in range(pt_ptr[k], pt_ptr[k + 1]):
                w = pt_val[q]
                src = pt_idx[q] * groups + b
                for lane in range(lanes):
                    y[row, lane] += w * Inf[src, lane]
            scale = inv_den[row] * mult_t[k]
            for lane in range(lanes):
                y[row, lane] *= scale


@njit(cache=True)
def _mix_ages(y, contacts, groups, z):
    """z[k*A+a] = Σ_b K_ab y[k*A+b]."""
    n = y.shape[0] // groups
    lanes = y.shape[1]
    for k in range(n):
        for a in range(groups):
            for lane in range(lanes):
                acc = 0.0
                for b in range(groups):
                    acc += contacts[a, b] * y[k * groups + b, lane]
                z[k * groups + a, lane] = acc


@njit(cache=True, inline="always")
def _force(i, a, groups, z, p_ptr, p_idx, p_val, beta, lam):
    lanes = z.shape[1]
    for lane in range(lanes):
        lam[lane] = 0.0
    for q in range(p_ptr[i], p_ptr[i + 1]):
        w = p_val[q]
        row = p_idx[q] * groups + a
        for lane in range(lanes):
            lam[lane] += w * z[row, lane]
    for lane in range(lanes):
        lam[lane] *= beta[lane]


@njit(cache=True, inline="always")
def _step_cell(c, lane, lam, st, S, E, Inf, R, rates, qpow, vacc_p):
    """Draw the day's transitions of one cell in one lane; returns new infections."""
    s = S[c, lane]
    e = E[c, lane]
    inf = Inf[c, lane]
    ne = 0
    if s > 0 and lam > 0.0:
        ne = binomial_lq(st, lane, s, -math.expm1(-lam), -lam)
    ni = binomial_table(st, lane, e, rates[0, lane], qpow, 0) if e > 0 else 0
    nr = binomial_table(st, lane, inf, rates[2, lane], qpow, 1) if inf > 0 else 0
    nv = 0
    if vacc_p > 0.0 and s - ne > 0:
        nv = binomial_lq(st, lane, s - ne, vacc_p, math.log1p(-vacc_p))
    S[c, lane] = s - ne - nv
    E[c, lane] = e + ne - ni
    Inf[c, lane] = inf + ni - nr
    R[c, lane] += nr + nv
    return ne


@njit(cache=True)
def simulate_lanes(S, E, Inf, R, rng, beta, rates, p_ptr, p_idx, p_val, pt_ptr, pt_idx,
                   pt_val, inv_den, contacts, mult, vacc, days, out):
    """Advance ``lanes`` members for ``days`` days; writes new infections to out[l, t, i].

    S, E, I, R: int64 (cells, lanes), updated in place. rates: (4, lanes) rows
    p_EI, log(1-p_EI), p_IR, log(1-p_IR). mult: (1 or days, nodes) contact multipliers.
    vacc: (0 or days, nodes) daily vaccination probabilities.
    """
    cells, lanes = S.shape
    n = p_ptr.size - 1
    groups = cells // n
    y = np.empty((cells, lanes))
    z = np.empty((cells, lanes)) if groups > 1 else y
    lam = np.empty(lanes)
    qpow = np.empty((2, lanes, 64))
    for lane in range(lanes):
        for j in range(64):
            qpow[0, lane, j] = math.exp(j * rates[1, lane])
            qpow[1, lane, j] = math.exp(j * rates[3, lane])
    for t in range(days):
        mult_t = mult[t if mult.shape[0] > 1 else 0]
        _prevalence_at_places(Inf, pt_ptr, pt_idx, pt_val, inv_den, mult_t, groups, y)
        if groups > 1:
            _mix_ages(y, contacts, groups, z)
        for i in range(n):
            vacc_p = vacc[t, i] if vacc.shape[0] > t else 0.0
            for a in range(groups):
                c = i * groups + a
                _force(i, a, groups, z, p_ptr, p_idx, p_val, beta, lam)
                for lane in range(lanes):
                    out[lane, t, i] += _step_cell(c, lane, lam[lane], rng, S, E, Inf, R,
                                                  rates, qpow, vacc_p)


@njit(cache=True)
def _init_lanes(n_cells, r_init, seed_cell, seed_e, seed_i, lo, hi):
    lanes = hi - lo
    S = np.empty((n_cells.size, lanes), dtype=np.int64)
    E = np.zeros((n_cells.size, lanes), dtype=np.int64)
    Inf = np.zeros((n_cells.size, lanes), dtype=np.int64)
    R = np.empty((n_cells.size, lanes), dtype=np.int64)
    for c in range(n_cells.size):
        for lane in range(lanes):
            S[c, lane] = n_cells[c] - r_init[c]
            R[c, lane] = r_init[c]
    for lane in range(lanes):
        m = lo + lane
        c = seed_cell[m]
        S[c, lane] -= seed_e[m] + seed_i[m]
        E[c, lane] = seed_e[m]
        Inf[c, lane] = seed_i[m]
    return S, E, Inf, R


def _members_body(n_cells, r_init, seed_cell, seed_e, seed_i, rng_states, beta, rates,
                  p_ptr, p_idx, p_val, pt_ptr, pt_idx, pt_val, inv_den, contacts, mult,
                  vacc, days, lane_width, out):
    """Simulate all members (rows of ``rng_states``) in chunks of ``lane_width``.

    ``out`` (members, days, nodes) int32 must be zero-filled. Chunks are independent and
    each member only uses its own stream, so results do not depend on the thread count.
    """
    members = rng_states.shape[0]
    n_chunks = (members + lane_width - 1) // lane_width
    for chunk in prange(n_chunks):
        lo = chunk * lane_width
        hi = min(members, lo + lane_width)
        S, E, Inf, R = _init_lanes(n_cells, r_init, seed_cell, seed_e, seed_i, lo, hi)
        rng = rng_states[lo:hi].copy()
        simulate_lanes(S, E, Inf, R, rng, beta[lo:hi], rates[:, lo:hi].copy(), p_ptr, p_idx,
                       p_val, pt_ptr, pt_idx, pt_val, inv_den, contacts, mult, vacc, days,
                       out[lo:hi])


#: numba threads over chunks (one process).
simulate_members = njit(cache=True, parallel=True)(_members_body)
#: single-threaded variant, safe to call from several threads/processes at once
#: (process pools and Dask workers).
simulate_members_serial = njit(cache=True)(_members_body)
