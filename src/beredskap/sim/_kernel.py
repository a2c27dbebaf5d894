"""Compiled chain-binomial SEIR kernel (numba, cached on disk).

Members are simulated in small groups of "lanes" (8) whose states sit side by side in
memory, so the two sparse products of the force of infection run over all lanes at once,
as packed vector arithmetic (:func:`lane_product`). Each lane owns its xoshiro256** stream
and draws its binomials in a fixed order (day, node, age group, transition), so its path
depends only on (seed, member index).

Per day and cell (node i, age group a), from the state at the start of the day::

    new E ~ Bin(S, 1 - exp(-λ_ia))      new I ~ Bin(E, 1 - exp(-1/latent))
    new R ~ Bin(I, 1 - exp(-1/infectious))
    vaccinated ~ Bin(S - new E, v_i(t))   (only when a vaccination schedule is given)
    λ_ia = β · Σ_k P_ik Σ_b K_ab · m_k(t) · (Σ_j P_jk I_jb) / (Σ_j P_jk N_jb)

m_k(t) is the contact multiplier of interventions at place k.

All draws are exact binomials (see :mod:`._rng`). E→I and I→R have a fixed p per member, so
their samplers are prepared once per chunk: for n·p·q <= WIN_MAX_VAR (n < 316 and 432 at a
latent period of 3 and an infectious period of 5 days) by inversion on a tabulated window
of the CDF around the mode (one uniform and a branch-free count), above that by BTRD with
its set-up tabulated.
"""

from __future__ import annotations

import math

import numpy as np
from numba import literal_unroll, njit, prange

from ._jitcache import slp_vectorized
from ._rng import (
    binomial_force_x,
    binomial_lq_x,
    btrd_from_x,
    btrd_log_base,
    btrd_setup,
    btrd_x,
    inversion_odds_x,
    uniform_x,
)

#: Members simulated side by side by one kernel call; a compile-time constant so that the
#: lane loops are fully unrolled/vectorised. Fewer members are padded with empty lanes.
W = 8


@njit(cache=True, inline="always")
def _axpy_lanes(acc, w, x, row):
    """acc + w · x[row, :] for the W = 8 lanes, written out as one tuple of scalars so that
    LLVM's SLP vectoriser turns it into packed multiplies and adds (``row`` is unsigned:
    numba then emits no negative-index wraparound, which would hide the consecutive
    addresses)."""
    return (
        acc[0] + w * x[row, 0],
        acc[1] + w * x[row, 1],
        acc[2] + w * x[row, 2],
        acc[3] + w * x[row, 3],
        acc[4] + w * x[row, 4],
        acc[5] + w * x[row, 5],
        acc[6] + w * x[row, 6],
        acc[7] + w * x[row, 7],
    )


def _lane_product(x, ptr, idx, val, groups, row_scale, node_scale, y):
    """y[i*A+a, :] = (Σ_q val[q] · x[idx[q]*A+a, :]) · (row_scale[i*A+a] · node_scale[i])
    for the rows i of the CSR matrix (ptr, idx, val), the age groups a < A and the W lanes.

    Each lane sums in the matrix's index order, as SciPy's CSR product does, so the result
    is SciPy's to the bit (a scale of 1 is exact). Both sparse products of the force of
    infection are this function.
    """
    n = ptr.size - 1
    width = np.uint64(groups)
    for i in range(n):
        for a in range(groups):
            acc = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
            for q in range(ptr[i], ptr[i + 1]):
                acc = _axpy_lanes(acc, val[q], x, np.uint64(idx[q]) * width + np.uint64(a))
            row = i * groups + a
            scale = row_scale[row] * node_scale[i]
            for lane in range(W):
                y[row, lane] = acc[lane] * scale


_LANE_PRODUCT_SIGNATURE = (
    "void(float64[:, ::1], int64[::1], int64[::1], float64[::1], int64, "
    "float64[::1], float64[::1], float64[:, ::1])"
)
with slp_vectorized():  # see _jitcache: packed lanes, 2.3x faster on the SSB commuting matrix
    lane_product = njit(_LANE_PRODUCT_SIGNATURE, cache=True)(_lane_product)


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
#: distinct p). Smaller n with n·p·q <= WIN_MAX_VAR are drawn on the CDF windows instead.
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


#: The fixed transitions draw n < WIN_ROWS with n·p·(1-p) <= WIN_MAX_VAR by inversion on a
#: tabulated window of the CDF around the mode: F(k) for WIN_WIDTH values of k from
#: max(0, m - WIN_HALF) - 1 (m = ⌊(n+1)p⌋), i.e. at least 4 standard deviations each side.
WIN_ROWS = 512
WIN_WIDTH = 64
WIN_HALF = 32
WIN_MAX_VAR = 64.0


@njit(cache=True)
def _window_row(n, p, odds, row, g):
    """row[j] = F(ws - 1 + j) for Bin(n, p), ws = max(0, m - WIN_HALF); 1 where ws - 1 + j >= n.

    The pmf is built relative to the mode by its ratios f(k-1)/f(k) = k/((n-k+1)·p/q) and
    f(k+1)/f(k) = (n-k)/(k+1)·p/q, out to where a term falls below 1e-20 of the mode, and
    normalised by its own sum: no factorials or powers, so the entries carry only the
    rounding of the sums (~1e-15), not of log n! (``g`` is a scratch array of WIN_WIDTH).
    """
    m = int((n + 1) * p)
    ws = max(0, m - WIN_HALF)
    for j in range(WIN_WIDTH):
        g[j] = 0.0
    total = 1.0
    below = 0.0  # Σ_{k < ws} f(k) / f(m)
    g[m - ws] = 1.0
    term = 1.0
    for k in range(m, 0, -1):  # term becomes f(k-1)/f(m)
        term *= k / ((n - k + 1) * odds)
        total += term
        if k - 1 < ws:
            below += term
        else:
            g[k - 1 - ws] = term
        if term < 1e-20 and k - 1 < ws:
            break
    term = 1.0
    for k in range(m, n):  # term becomes f(k+1)/f(m)
        term *= (n - k) / (k + 1) * odds
        total += term
        if k + 1 - ws < WIN_WIDTH:
            g[k + 1 - ws] = term
        elif term < 1e-20:
            break
    cum = below
    row[0] = cum / total
    for j in range(1, WIN_WIDTH):
        k = ws - 1 + j
        if k >= n:
            row[j] = 1.0
        else:
            cum += g[j - 1]
            row[j] = min(cum / total, 1.0)


@njit(cache=True)
def _window_tables(lc, slot):
    """win[slot, n] = :func:`_window_row` for each distinct fixed p and every n from 1 up to
    wend[slot] (the first n with n·p·q > WIN_MAX_VAR, at most WIN_ROWS)."""
    used = 0
    for j in range(2):
        for lane in range(W):
            used = max(used, slot[j, lane] + 1)
    win = np.empty((used, WIN_ROWS, WIN_WIDTH))  # rows from wend on are never read
    wend = np.zeros(used, dtype=np.int64)
    g = np.empty(WIN_WIDTH)
    for j in range(2):
        for lane in range(W):
            u = slot[j, lane]
            if wend[u] > 0:
                continue
            p, odds = lc[3 * j, lane], lc[3 * j + 2, lane]
            n = 1
            while n < WIN_ROWS and n * p * (1.0 - p) <= WIN_MAX_VAR:
                _window_row(n, p, odds, win[u, n], g)
                n += 1
            wend[u] = n
    return win, wend


@njit(cache=True, inline="always")
def _fixed_draw(s0, s1, s2, s3, n, p, log_q, tb, ta, tvr, talpha, tbase, log_odds):
    """Bin(n, p) for a lane's fixed transition, 0 < p <= 1/2 (scalars only: a numba call
    that takes arrays pays atomic reference counts, even inlined).

    For n·p >= 10 and n < BTRD_TABLE (the kernel calls it above the CDF windows) this is
    BTRD with its set-up (b, a, vr, alpha, log base) read from the table: the fast box
    (50-75 % of these draws) costs one uniform and two divisions; the rest continues in
    :func:`._rng.btrd_from_x` from the same uniform, with the acceptance test on the log k!
    table, so the draws equal :func:`._rng.binomial_lq_x`'s up to rounding at the
    acceptance boundary. Larger n go to BTRD untabulated (inlined, as binomial_lq_x would
    call it), n·p < 10 to :func:`._rng.binomial_lq_x`.
    """
    if n * p >= 10.0:
        if n >= BTRD_TABLE:
            return btrd_x(s0, s1, s2, s3, n, p)
        v, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
        if v <= 0.86 * tvr:
            u = v / tvr - 0.43
            return (
                int(math.floor((2.0 * ta / (0.5 - abs(u)) + tb) * u + (n * p + 0.5))),
                s0,
                s1,
                s2,
                s3,
            )
        return btrd_from_x(s0, s1, s2, s3, n, p, v, tb, ta, tvr, talpha, tbase, log_odds)
    return binomial_lq_x(s0, s1, s2, s3, n, p, log_q)


@njit(cache=True)
def simulate_lanes(  # noqa: C901 - one hot loop
    S,
    E,
    Inf,
    R,
    rng,
    beta,
    rates,
    p_ptr,
    p_idx,
    p_val,
    pt_ptr,
    pt_idx,
    pt_val,
    inv_den,
    contacts,
    mult,
    vacc,
    days,
    out,
):
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
    win, wend = _window_tables(lc, slot)
    y = np.empty((cells, W))
    z = np.empty((cells, W)) if groups > 1 else y
    lam = np.empty((cells, W))
    ones = np.ones(cells)
    day = np.zeros((W, n), dtype=np.int64)
    for t in range(days):
        mult_t = mult[t if mult.shape[0] > 1 else 0]
        # Force of infection, all cells and lanes: y = m · Pᵀ I / Pᵀ N, z = K y, λ = P z (· β).
        lane_product(If, pt_ptr, pt_idx, pt_val, groups, inv_den, mult_t, y)
        if groups > 1:
            _mix_ages(y, contacts, groups, z)
        lane_product(z, p_ptr, p_idx, p_val, groups, ones, ones, lam)
        has_vacc = vacc.shape[0] > t
        for i in range(n):
            vacc_p = vacc[t, i] if has_vacc else 0.0
            for a in range(groups):
                c = i * groups + a
                # The day's transitions of cell c, lane by lane. Written out here rather than
                # in a helper: a numba call that takes arrays costs atomic reference counts.
                for lane in range(lanes):
                    lm = lam[c, lane] * b8[lane]
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
                            if m < wend[row]:
                                # inversion on the tabulated CDF window: one uniform, a
                                # branch-free count; the far tails (< 1e-4) term by term
                                u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
                                for col in range(WIN_WIDTH):
                                    k += u > win[row, m, col]
                                if 0 < k < WIN_WIDTH:
                                    k += max(0, int((m + 1) * lc[3 * j, lane]) - WIN_HALF) - 1
                                else:
                                    k, s0, s1, s2, s3 = inversion_odds_x(
                                        s0,
                                        s1,
                                        s2,
                                        s3,
                                        m,
                                        lc[3 * j + 2, lane],
                                        u,
                                        math.exp(m * lc[3 * j + 1, lane]),
                                    )
                            else:
                                ti = min(m, BTRD_TABLE - 1)
                                k, s0, s1, s2, s3 = _fixed_draw(
                                    s0,
                                    s1,
                                    s2,
                                    s3,
                                    m,
                                    lc[3 * j, lane],
                                    lc[3 * j + 1, lane],
                                    tab[row, ti, 0],
                                    tab[row, ti, 1],
                                    tab[row, ti, 2],
                                    tab[row, ti, 3],
                                    tab[row, ti, 4],
                                    lc[6 + j, lane],
                                )
                            if flip[j, lane]:
                                k = m - k
                        if j == 0:
                            ni = k
                        else:
                            nr = k
                    nv = 0
                    if vacc_p > 0.0 and sv - ne > 0:
                        nv, s0, s1, s2, s3 = binomial_lq_x(
                            s0, s1, s2, s3, sv - ne, vacc_p, math.log1p(-vacc_p)
                        )
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
                out[lane, t + 1 :] = 0
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


@njit(cache=True, inline="always")
def _members_chunk(
    n_cells,
    r_init,
    seed_cell,
    seed_e,
    seed_i,
    rng_states,
    beta,
    rates,
    p_ptr,
    p_idx,
    p_val,
    pt_ptr,
    pt_idx,
    pt_val,
    inv_den,
    contacts,
    mult,
    vacc,
    days,
    lane_width,
    out,
    chunk,
):
    """Simulate chunk ``chunk`` of the members (rows of ``rng_states``): ``lane_width`` of them
    from ``chunk * lane_width`` on, into their rows of ``out`` (members, days, nodes) int32.
    Chunks are independent and each member only uses its own stream, so results do not
    depend on how chunks are spread over threads, processes or Dask workers."""
    members = rng_states.shape[0]
    lo = chunk * lane_width
    hi = min(members, lo + lane_width)
    S, E, Inf, R = _init_lanes(n_cells, r_init, seed_cell, seed_e, seed_i, lo, hi)
    rng = rng_states[lo:hi].copy()
    simulate_lanes(
        S,
        E,
        Inf,
        R,
        rng,
        beta[lo:hi],
        rates[:, lo:hi].copy(),
        p_ptr,
        p_idx,
        p_val,
        pt_ptr,
        pt_idx,
        pt_val,
        inv_den,
        contacts,
        mult,
        vacc,
        days,
        out[lo:hi],
    )


# The two drivers below must stay two functions: numba keys its cache on a function's code
# and signature, not on its options, so one function jitted twice (parallel and serial)
# shares a cache entry, and whichever variant was compiled first is what both load.


@njit(cache=True, parallel=True)
def simulate_members(
    n_cells,
    r_init,
    seed_cell,
    seed_e,
    seed_i,
    rng_states,
    beta,
    rates,
    p_ptr,
    p_idx,
    p_val,
    pt_ptr,
    pt_idx,
    pt_val,
    inv_den,
    contacts,
    mult,
    vacc,
    days,
    lane_width,
    out,
):
    """All members, in chunks of ``lane_width``, numba threads over chunks (one process)."""
    for chunk in prange((rng_states.shape[0] + lane_width - 1) // lane_width):
        _members_chunk(
            n_cells,
            r_init,
            seed_cell,
            seed_e,
            seed_i,
            rng_states,
            beta,
            rates,
            p_ptr,
            p_idx,
            p_val,
            pt_ptr,
            pt_idx,
            pt_val,
            inv_den,
            contacts,
            mult,
            vacc,
            days,
            lane_width,
            out,
            chunk,
        )


@njit(cache=True, nogil=True)
def simulate_members_serial(
    n_cells,
    r_init,
    seed_cell,
    seed_e,
    seed_i,
    rng_states,
    beta,
    rates,
    p_ptr,
    p_idx,
    p_val,
    pt_ptr,
    pt_idx,
    pt_val,
    inv_den,
    contacts,
    mult,
    vacc,
    days,
    lane_width,
    out,
):
    """As :func:`simulate_members` on the calling thread only, without the GIL: safe to call
    from several threads or processes at once (process pools and Dask workers)."""
    for chunk in range((rng_states.shape[0] + lane_width - 1) // lane_width):
        _members_chunk(
            n_cells,
            r_init,
            seed_cell,
            seed_e,
            seed_i,
            rng_states,
            beta,
            rates,
            p_ptr,
            p_idx,
            p_val,
            pt_ptr,
            pt_idx,
            pt_val,
            inv_den,
            contacts,
            mult,
            vacc,
            days,
            lane_width,
            out,
            chunk,
        )
