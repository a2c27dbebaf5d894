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
from numba import literal_unroll, njit, prange

from ._rng import (
    binomial_fixed_x,
    binomial_force_x,
    binomial_lq_x,
    btrd_from_x,
    btrd_log_base,
    btrd_setup,
    inversion_odds_x,
    uniform_x,
)

#: Members simulated side by side by one kernel call; a compile-time constant so that the
#: lane loops are fully unrolled/vectorised. Fewer members are padded with empty lanes.
W = 8


@njit(cache=True)
def _prevalence_at_places(If, pt_ptr, pt_idx, pt_val, inv_den, mult_t, groups, y):
    """y[k*A+b, l] = m_k · Σ_j P_jk I[j*A+b, l] / Σ_j P_jk N_jb (I as float64, W lanes)."""
    n = pt_ptr.size - 1
    acc = np.empty(W)
    for k in range(n):
        for b in range(groups):
            row = k * groups + b
            for lane in range(W):
                acc[lane] = 0.0
            for q in range(pt_ptr[k], pt_ptr[k + 1]):
                w = pt_val[q]
                src = pt_idx[q] * groups + b
                for lane in range(W):
                    acc[lane] += w * If[src, lane]
            scale = inv_den[row] * mult_t[k]
            for lane in range(W):
                y[row, lane] = acc[lane] * scale


@njit(cache=True)
def _mix_ages(y, contacts, groups, z):
    """z[k*A+a] = Σ_b K_ab y[k*A+b]."""
    n = y.shape[0] // groups
    for k in range(n):
        for a in range(groups):
            for lane in range(W):
                acc = 0.0
                for b in range(groups):
                    acc += contacts[a, b] * y[k * groups + b, lane]
                z[k * groups + a, lane] = acc


@njit(cache=True)
def _extinct(E8, I8):
    for c in range(E8.shape[0]):
        for lane in range(W):
            if E8[c, lane] != 0 or I8[c, lane] != 0:
                return False
    return True


@njit(cache=True)
def _padded(x, lanes, fill):
    out = np.full((x.shape[0], W), fill, dtype=x.dtype)
    for c in range(x.shape[0]):
        for lane in range(lanes):
            out[c, lane] = x[c, lane]
    return out


#: BTRD's set-up is tabulated for the fixed-probability transitions up to this n (80 KB per
#: distinct p; 90-96 % of their BTRD draws in the national scenario).
BTRD_TABLE = 2048


@njit(cache=True)
def _fixed_transitions(rates, lanes):
    """Per lane, for E→I (j = 0) and I→R (j = 1): lc[3j..3j+2] = p, log(1-p), p/(1-p) and
    lc[6+j] = log(p/(1-p)), with p folded to <= 1/2 (the samplers need it;
    ``flip[j, lane]``: the count is n - draw)."""
    lc = np.empty((8, W))
    flip = np.zeros((2, W), dtype=np.int64)
    for lane in range(W):
        src = lane if lane < lanes else 0
        for j in range(2):
            pv = rates[2 * j, src]
            log_q = rates[2 * j + 1, src]
            if pv > 0.5:
                flip[j, lane] = 1
                log_q = math.log(pv)
                pv = 1.0 - pv
            lc[3 * j, lane] = pv
            lc[3 * j + 1, lane] = log_q
            lc[3 * j + 2, lane] = pv / (1.0 - pv)
            lc[6 + j, lane] = math.log(pv / (1.0 - pv))
    return lc, flip


@njit(cache=True)
def _btrd_tables(lc):
    """BTRD's set-up per n < BTRD_TABLE for each distinct fixed p: tab[slot, n] = (b, a, vr,
    alpha, log base), the expressions of :func:`._rng.btrd_setup` and
    :func:`._rng.btrd_log_base` evaluated once instead of per draw (a square root and three
    divisions off the critical path). ``slot[j, lane]`` picks the table of lane ``lane``'s
    transition ``j``; lanes with equal p share one.
    """
    slot = np.empty((2, W), dtype=np.int64)
    probs = np.empty(2 * W)
    used = 0
    for j in range(2):
        for lane in range(W):
            pv = lc[3 * j, lane]
            found = -1
            for u in range(used):
                if probs[u] == pv:
                    found = u
                    break
            if found < 0:
                probs[used] = pv
                found = used
                used += 1
            slot[j, lane] = found
    tab = np.zeros((used, BTRD_TABLE, 5))
    for u in range(used):
        p = probs[u]
        log_odds = math.log(p / (1.0 - p))
        first = int(10.0 / p) if p * BTRD_TABLE > 10.0 else BTRD_TABLE
        for n in range(first, BTRD_TABLE):
            tab[u, n, 0], tab[u, n, 1], tab[u, n, 2], tab[u, n, 3] = btrd_setup(n, p)
            tab[u, n, 4] = btrd_log_base(n, p, log_odds)
    return tab, slot


#: The fixed transitions draw n < CDF_ROWS with n·p < 10 by inversion on a tabulated CDF of
#: CDF_WIDTH terms (the rest of the support has probability < 1e-14 there).
CDF_ROWS = 64
CDF_WIDTH = 32


@njit(cache=True)
def _inversion_tables(lc, slot):
    """cdf[slot, n, k] = P(X <= k) for X ~ Bin(n, p) of each distinct fixed p, for the rows
    the kernel reads (n < CDF_ROWS, n·p < 10) and k < CDF_WIDTH; 1 where k >= n.

    The terms are BINV's recursion f(k) = f(k-1)·(n-k+1)/k·p/q from f(0) = q**n, summed in
    order, so a draw (the number of F(k) below one uniform) is the one sequential inversion
    makes from that uniform, up to rounding; cdf[slot, n, 0] is P(X = 0) for the far tail.
    """
    used = 0
    for j in range(2):
        for lane in range(W):
            used = max(used, slot[j, lane] + 1)
    cdf = np.ones((used, CDF_ROWS, CDF_WIDTH))
    done = np.zeros(used, dtype=np.bool_)
    for j in range(2):
        for lane in range(W):
            u = slot[j, lane]
            if done[u]:
                continue
            done[u] = True
            p, log_q, odds = lc[3 * j, lane], lc[3 * j + 1, lane], lc[3 * j + 2, lane]
            for n in range(1, CDF_ROWS):
                if n * p >= 10.0:
                    break
                f = math.exp(n * log_q)
                acc = f
                for k in range(min(n, CDF_WIDTH)):
                    if k > 0:
                        f *= (n - k + 1) / k * odds
                        acc += f
                    cdf[u, n, k] = min(acc, 1.0)
    return cdf


@njit(cache=True, inline="always")
def _fixed_draw(s0, s1, s2, s3, n, p, log_q, odds, f0, tb, ta, tvr, talpha, tbase, log_odds):
    """Bin(n, p) for a lane's fixed transition, p <= 1/2 (scalars only: a numba call that
    takes arrays pays atomic reference counts, even inlined).

    For n·p >= 10 and n < BTRD_TABLE this is BTRD with its set-up (b, a, vr, alpha, log
    base) read from the table: the fast box (50-75 % of these draws) costs one uniform and
    two divisions; the rest continues in :func:`._rng.btrd_from_x` from the same uniform,
    with the acceptance test on the log k! table, so the draws equal
    :func:`._rng.binomial_fixed_x`'s up to rounding at the acceptance boundary.
    """
    if n < BTRD_TABLE and n * p >= 10.0:
        v, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
        if v <= 0.86 * tvr:
            u = v / tvr - 0.43
            return int(math.floor((2.0 * ta / (0.5 - abs(u)) + tb) * u + (n * p + 0.5))), s0, s1, s2, s3
        return btrd_from_x(s0, s1, s2, s3, n, p, v, tb, ta, tvr, talpha, tbase, log_odds)
    return binomial_fixed_x(s0, s1, s2, s3, n, p, log_q, odds, f0)


@njit(cache=True)
def simulate_lanes(S, E, Inf, R, rng, beta, rates, p_ptr, p_idx, p_val, pt_ptr, pt_idx,  # noqa: C901 - one hot loop
                   pt_val, inv_den, contacts, mult, vacc, days, out):
    """Advance up to W members for ``days`` days; writes new infections to out[l, t, i].

    S, E, I, R: int64 (cells, lanes), updated in place. rates: (4, lanes) rows
    p_EI, log(1-p_EI), p_IR, log(1-p_IR). mult: (1 or days, nodes) contact multipliers.
    vacc: (0 or days, nodes) daily vaccination probabilities. Missing lanes (lanes < W)
    are padded with empty compartments that draw nothing, so every member's stream and
    path are those it has in a full group.
    """
    cells, lanes = S.shape
    n = p_ptr.size - 1
    groups = cells // n
    S8 = _padded(S, lanes, 0)
    E8 = _padded(E, lanes, 0)
    I8 = _padded(Inf, lanes, 0)
    R8 = _padded(R, lanes, 0)
    If = np.empty((cells, W))
    for c in range(cells):
        for lane in range(W):
            If[c, lane] = float(I8[c, lane])
    st = np.ones((W, 4), dtype=np.uint64)
    st[:lanes] = rng
    b8 = np.zeros(W)
    b8[:lanes] = beta
    lc, flip = _fixed_transitions(rates, lanes)
    tab, slot = _btrd_tables(lc)
    cdf = _inversion_tables(lc, slot)
    y = np.empty((cells, W))
    z = np.empty((cells, W)) if groups > 1 else y
    lam = np.empty(W)
    day = np.zeros((W, n), dtype=np.int64)
    for t in range(days):
        mult_t = mult[t if mult.shape[0] > 1 else 0]
        _prevalence_at_places(If, pt_ptr, pt_idx, pt_val, inv_den, mult_t, groups, y)
        if groups > 1:
            _mix_ages(y, contacts, groups, z)
        has_vacc = vacc.shape[0] > t
        for i in range(n):
            vacc_p = vacc[t, i] if has_vacc else 0.0
            for a in range(groups):
                c = i * groups + a
                # Force of infection on cell c, all lanes: λ = β Σ_k P_ik z_k.
                for lane in range(W):
                    lam[lane] = 0.0
                for q in range(p_ptr[i], p_ptr[i + 1]):
                    w = p_val[q]
                    row = p_idx[q] * groups + a
                    for lane in range(W):
                        lam[lane] += w * z[row, lane]
                # The day's transitions of cell c, lane by lane. Written out here rather than
                # in a helper: a numba call that takes arrays costs atomic reference counts.
                for lane in range(lanes):
                    lm = lam[lane] * b8[lane]
                    sv = S8[c, lane]
                    ev = E8[c, lane]
                    iv = I8[c, lane]
                    if sv == 0 and ev == 0 and iv == 0:
                        continue
                    s0 = st[lane, 0]
                    s1 = st[lane, 1]
                    s2 = st[lane, 2]
                    s3 = st[lane, 3]
                    ne = 0
                    if sv > 0 and lm > 0.0:
                        ne, s0, s1, s2, s3 = binomial_force_x(s0, s1, s2, s3, sv, lm)
                    ni = 0
                    nr = 0
                    for j in literal_unroll((0, 1)):  # E→I, then I→R (unrolled: j is a constant)
                        m = ev if j == 0 else iv
                        k = 0
                        if m > 0:
                            row = slot[j, lane]
                            if m < CDF_ROWS and m * lc[3 * j, lane] < 10.0:
                                # inversion on the tabulated CDF: one uniform, a branch-free count
                                u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
                                for col in range(CDF_WIDTH):
                                    k += u > cdf[row, m, col]
                                if k == CDF_WIDTH:  # the far tail: go on term by term
                                    k, s0, s1, s2, s3 = inversion_odds_x(s0, s1, s2, s3, m, lc[3 * j + 2, lane], u,
                                                                         cdf[row, m, 0])
                            else:
                                ti = min(m, BTRD_TABLE - 1)
                                k, s0, s1, s2, s3 = _fixed_draw(s0, s1, s2, s3, m, lc[3 * j, lane], lc[3 * j + 1, lane],
                                                                lc[3 * j + 2, lane], 0.0, tab[row, ti, 0], tab[row, ti, 1],
                                                                tab[row, ti, 2], tab[row, ti, 3], tab[row, ti, 4],
                                                                lc[6 + j, lane])
                            if flip[j, lane]:
                                k = m - k
                        if j == 0:
                            ni = k
                        else:
                            nr = k
                    nv = 0
                    if vacc_p > 0.0 and sv - ne > 0:
                        nv, s0, s1, s2, s3 = binomial_lq_x(s0, s1, s2, s3, sv - ne, vacc_p, math.log1p(-vacc_p))
                    st[lane, 0] = s0
                    st[lane, 1] = s1
                    st[lane, 2] = s2
                    st[lane, 3] = s3
                    S8[c, lane] = sv - ne - nv
                    E8[c, lane] = ev + ne - ni
                    I8[c, lane] = iv + ni - nr
                    If[c, lane] = float(iv + ni - nr)
                    R8[c, lane] += nr + nv
                    day[lane, i] += ne
        for lane in range(lanes):
            row = out[lane, t]
            dl = day[lane]
            for i in range(n):
                row[i] = dl[i]
                dl[i] = 0
        if vacc.shape[0] == 0 and _extinct(E8, I8):
            # No one exposed or infectious in any lane: every later day draws nothing (the
            # force of infection is 0), so its infections are 0 and the states stay as they are.
            for lane in range(lanes):
                out[lane, t + 1:] = 0
            break
    for c in range(cells):
        for lane in range(lanes):
            S[c, lane] = S8[c, lane]
            E[c, lane] = E8[c, lane]
            Inf[c, lane] = I8[c, lane]
            R[c, lane] = R8[c, lane]
    rng[:] = st[:lanes]


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

    ``out`` (members, days, nodes) int32 is overwritten entirely. Chunks are independent and
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
