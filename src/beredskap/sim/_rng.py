"""Compiled random-number kernels: xoshiro256** and an exact binomial sampler.

Generator
    xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
    ACM TOMS 47(4), 2021). The 256-bit state of every ensemble member is derived from
    ``(seed, member index)`` with the SplitMix64 finaliser (Steele, Lea & Flood 2014), so a
    member's stream never depends on how members are split into chunks, threads,
    processes or Dask tasks.

Binomial sampler (exact, no normal approximation)
    * ``n·min(p, 1-p) < 10``: inversion of the CDF, starting at 0 and using the pmf
      recursion ``f(k)/f(k-1) = (n-k+1)/k · p/q`` (Kachitvichyanukul & Schmeiser 1988,
      algorithm "BINV"); the first 8 cumulative terms are compared with the uniform without
      branches.
    * otherwise: BTRD, the transformed rejection with decomposition of Hörmann (1993),
      "The generation of binomial random variates", J. Statist. Comput. Simul. 46,
      101-110. The fast acceptance box takes 50-75 % of draws at the
      n·p of an epidemic (86 % as n·p grows) with one uniform; the others are accepted or
      rejected by the exact pmf ratio: for n < LOG_FACTORIAL_SIZE on a table of log k!,
      otherwise a product of at most 15 factors when ``|k-m| <= 15``, else Hörmann's
      squeeze and, when it cannot decide, Stirling's series with tabulated corrections.
    ``p > 1/2`` is handled by symmetry. The caller may pass ``log(1-p)`` directly,
    which for chain-binomial transitions with ``p = 1 - exp(-rate)`` is just ``-rate``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_U64 = np.uint64
_MASK_TWO_53 = 1.0 / 9007199254740992.0  # 2**-53


def _stirling_tail_table() -> np.ndarray:
    """fc(k) = log k! - [(k+1/2) log(k+1) - (k+1) + log(2π)/2] for k = 0..9."""
    half_log_2pi = 0.5 * math.log(2.0 * math.pi)
    return np.array(
        [
            math.lgamma(k + 1.0) - ((k + 0.5) * math.log(k + 1.0) - (k + 1.0) + half_log_2pi)
            for k in range(10)
        ]
    )


_FC_TABLE = _stirling_tail_table()
#: log k! for k < LOG_FACTORIAL_SIZE (512 KB): BTRD's exact acceptance test for n below this
#: size (98 % of the S→E draws and all E→I and I→R draws of the national scenario) is then
#: one logarithm and four table reads. The entries are correctly rounded lgamma values; at
#: k ~ 65,000 (log k! ~ 6.6e5) that is ~1e-10 absolute in log f(k)/f(m), so the test can
#: differ from exact arithmetic only for v within a relative 1e-10 of f(k)/f(m).
LOG_FACTORIAL_SIZE = 65536
_LOG_FACTORIAL = np.array([math.lgamma(k + 1.0) for k in range(LOG_FACTORIAL_SIZE)])
_RECIPROCAL = np.concatenate([[0.0], 1.0 / np.arange(1, 128)])  # 1/k, avoids divisions


# --------------------------------------------------------------------------- seeding


def splitmix64(x: int) -> tuple[int, int]:
    """One SplitMix64 step in plain Python: returns (next state, output)."""
    mask = (1 << 64) - 1
    x = (x + 0x9E3779B97F4A7C15) & mask
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return x, z ^ (z >> 31)


def member_states(seed: int, first: int, count: int) -> np.ndarray:
    """xoshiro256** states (count, 4) for members ``first .. first+count-1`` of ``seed``.

    The state of member ``m`` is four SplitMix64 outputs of a stream started at a hash of
    ``(seed, m)``; it is the same whichever chunk the member is simulated in.
    """
    out = np.empty((count, 4), dtype=np.uint64)
    mask = (1 << 64) - 1
    _, seed_hash = splitmix64(int(seed) & mask)
    for i in range(count):
        x, _ = splitmix64(seed_hash ^ ((first + i) * 0xD1B54A32D192ED03 & mask))
        words = []
        for _w in range(4):
            x, z = splitmix64(x)
            words.append(z)
        if not any(words):  # all-zero state is the one forbidden state
            words[0] = 1
        out[i] = words
    return out


# --------------------------------------------------------------------------- generator
#
# The hot paths pass the 256-bit state as four uint64 scalars ("x": s0, s1, s2, s3) and get
# it back in a tuple: numba then keeps it in registers, whereas every call that takes an
# array pays two atomic reference-count updates per array (tens of ns per call). The
# array-based functions (``st[row]``) below wrap the scalar core for tests and callers
# outside the kernel.


@njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << _U64(k)) | (x >> _U64(64 - k))


@njit(cache=True, inline="always")
def next_x(s0, s1, s2, s3):
    """One xoshiro256** step: (64 random bits, new s0, s1, s2, s3)."""
    result = _rotl(s1 * _U64(5), 7) * _U64(9)
    t = s1 << _U64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return result, s0, s1, s2, s3


@njit(cache=True, inline="always")
def uniform_x(s0, s1, s2, s3):
    """Uniform double in (0, 1]: (k + 1/2)·2**-53 for 53 random bits k, rounded to double (in
    the upper half the half rounds to even, so 1.0 comes out with probability 2**-53; the
    samplers handle it: inversion redraws, BTRD rejects)."""
    r, s0, s1, s2, s3 = next_x(s0, s1, s2, s3)
    return (float(r >> _U64(11)) + 0.5) * _MASK_TWO_53, s0, s1, s2, s3


@njit(cache=True, inline="always")
def next_u64(st, row):
    """Advance the xoshiro256** state ``st[row]`` (uint64[:, 4]); return 64 random bits."""
    r, s0, s1, s2, s3 = next_x(st[row, 0], st[row, 1], st[row, 2], st[row, 3])
    st[row, 0] = s0
    st[row, 1] = s1
    st[row, 2] = s2
    st[row, 3] = s3
    return r


@njit(cache=True, inline="always")
def uniform(st, row):
    """Uniform double in (0, 1], as :func:`uniform_x`."""
    return (float(next_u64(st, row) >> _U64(11)) + 0.5) * _MASK_TWO_53


# --------------------------------------------------------------------------- binomial


@njit(cache=True)
def _stirling_tail(k):
    if k < 10:
        return _FC_TABLE[int(k)]
    kp1 = k + 1.0
    kp1sq = kp1 * kp1
    return (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1sq) / kp1sq) / kp1


#: Terms of the CDF that :func:`inversion_odds_x` sums without branching.
INVERSION_UNROLL = 8


@njit(cache=True)
def inversion_odds_x(s0, s1, s2, s3, n, s, u, f0):
    """CDF inversion from the uniform ``u`` with P(X=0) = ``f0`` and odds s = p/(1-p) <= 1
    (Kachitvichyanukul & Schmeiser's BINV recursion f(k) = f(k-1)·((n+1)s/k - s)); returns
    (k, state). The first INVERSION_UNROLL cumulative terms are compared without branches
    (k = number of F(j) below u); past them the search goes on term by term.
    """
    a = (n + 1) * s
    while True:
        f = f0
        cum = f0
        k = 1 if u > cum else 0
        for j in range(1, INVERSION_UNROLL):
            f *= a * _RECIPROCAL[j] - s
            cum += f
            k += 1 if u > cum else 0
        if k == INVERSION_UNROLL:  # u > F(7): continue term by term
            while k <= n:
                f *= (a * _RECIPROCAL[k] if k < 128 else a / k) - s
                cum += f
                if u <= cum:
                    break
                k += 1
        if k <= n:
            return k, s0, s1, s2, s3
        # round-off ran past n: redraw (probability ~1e-16)
        u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)


@njit(cache=True, inline="always")
def _inversion_x(s0, s1, s2, s3, n, p, log_q):
    """Sequential CDF inversion; expected cost O(n·p). Requires p <= 1/2, n·p < 10.

    Shortcut: P(X = 0) = exp(n·log q) >= 1 + n·log q, so a uniform below 1 + n·log q
    returns 0 without evaluating exp (most draws when n·p is tiny); this is exact.
    """
    x = n * log_q
    u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
    if u <= 1.0 + x:
        return 0, s0, s1, s2, s3
    return inversion_odds_x(s0, s1, s2, s3, n, p / (1.0 - p), u, math.exp(x))


@njit(cache=True)
def _btrd_accept(n, k, m, v, r, npq):
    """Exact acceptance test of BTRD: is v <= f(k)/f(m) for the Bin(n, p) pmf f (r = p/q)?"""
    km = abs(k - m)
    if km <= 15:
        # f(k)/f(m) = prod_{i=m+1..k} (n+1-i)·r / i for k > m (its reciprocal for k < m):
        # numerator and denominator as two products, compared without a division.
        num = 1.0
        den = 1.0
        for i in range(min(k, m) + 1, max(k, m) + 1):
            num *= (n + 1 - i) * r
            den *= i
        return v * den <= num if k >= m else v * num <= den
    v = math.log(v)
    # Squeeze (Hörmann's step 3.2): log f(k)/f(m) lies within rho of -km²/(2npq), so most
    # candidates are decided here without the Stirling bound's four logarithms.
    rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5)
    t = -km * km / (2.0 * npq)
    if v < t - rho:
        return True
    if v > t + rho:
        return False
    nm = n - m + 1.0
    nk = n - k + 1.0
    bound = (
        (m + 0.5) * math.log((m + 1.0) / (r * nm))
        + (n + 1.0) * math.log(nm / nk)
        + (k + 0.5) * math.log(nk * r / (k + 1.0))
        + _stirling_tail(m)
        + _stirling_tail(n - m)
        - _stirling_tail(k)
        - _stirling_tail(n - k)
    )
    return v <= bound


@njit(cache=True, inline="always")
def btrd_log_base(n, p, log_odds):
    """log f(m) + log n! - n·log q for Bin(n, p), n < LOG_FACTORIAL_SIZE, with m = ⌊(n+1)p⌋
    and log_odds = log(p/q): then log f(k)/f(m) = base - log k! - log (n-k)! + k·log_odds."""
    m = int((n + 1) * p)
    return _LOG_FACTORIAL[m] + _LOG_FACTORIAL[n - m] - m * log_odds


@njit(cache=True, inline="always")
def _btrd_accept_tabulated(n, k, v, log_base, log_odds):
    """BTRD's exact test v <= f(k)/f(m) on logarithms, from the log k! table (n < its size)."""
    return math.log(v) <= log_base - _LOG_FACTORIAL[k] - _LOG_FACTORIAL[n - k] + k * log_odds


@njit(cache=True, inline="always")
def btrd_setup(n, p):
    """BTRD's constants for Bin(n, p): (b, a, vr, alpha) (Hörmann 1993, step 0)."""
    sq = math.sqrt(n * p * (1.0 - p))
    b = 1.15 + 2.53 * sq
    return b, -0.0873 + 0.0248 * b + 0.01 * p, 0.92 - 4.2 / b, (2.83 + 5.1 / b) * sq


@njit(cache=True, inline="always")
def btrd_x(s0, s1, s2, s3, n, p):
    """Hörmann (1993) BTRD for p <= 1/2 and n·p >= 10; returns (k, state). The fast box
    is tried here; the other draws continue in :func:`btrd_from_x` from the same uniform."""
    b, a, vr, alpha = btrd_setup(n, p)
    v, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
    if v <= 0.86 * vr:
        u = v / vr - 0.43
        return int(math.floor((2.0 * a / (0.5 - abs(u)) + b) * u + (n * p + 0.5))), s0, s1, s2, s3
    return btrd_from_x(s0, s1, s2, s3, n, p, v, b, a, vr, alpha)


@njit(cache=True)
def btrd_from_x(s0, s1, s2, s3, n, p, v, b, a, vr, alpha, log_base=math.nan, log_odds=0.0):
    """BTRD continued from its first uniform ``v`` (already drawn from the stream), with
    the constants of :func:`btrd_setup`.

    For n < LOG_FACTORIAL_SIZE the exact test v <= f(k)/f(m) is made on logarithms from
    the log k! table (``log_base`` from :func:`btrd_log_base` may be passed in, as the
    kernel does from its table; otherwise it is computed here, which costs one
    logarithm), for larger n by :func:`_btrd_accept`. The two agree except within
    rounding of the boundary (see LOG_FACTORIAL_SIZE).
    """
    q = 1.0 - p
    m = int((n + 1) * p)
    r = p / q
    npq = n * p * q
    c = n * p + 0.5
    urvr = 0.86 * vr
    if log_base != log_base and n < LOG_FACTORIAL_SIZE:
        log_odds = math.log(r)
        log_base = btrd_log_base(n, p, log_odds)
    while True:
        if v <= urvr:
            u = v / vr - 0.43
            return int(math.floor((2.0 * a / (0.5 - abs(u)) + b) * u + c)), s0, s1, s2, s3
        if v >= vr:
            u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
            u -= 0.5
        else:
            u = v / vr - 0.93
            u = math.copysign(0.5, u) - u
            v, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
            v *= vr
        us = 0.5 - abs(u)
        kf = math.floor((2.0 * a / us + b) * u + c)
        if 0.0 <= kf <= n:
            k = int(kf)
            us2 = us * us
            # v·alpha / (a/us² + b), with one division
            v_scaled = v * alpha * us2 / (a + b * us2)
            if log_base == log_base:  # tabulated
                if _btrd_accept_tabulated(n, k, v_scaled, log_base, log_odds):
                    return k, s0, s1, s2, s3
            elif _btrd_accept(n, k, m, v_scaled, r, npq):
                return k, s0, s1, s2, s3
        v, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)


@njit(cache=True, inline="always")
def _half_x(s0, s1, s2, s3, n, p, log_q):
    """Exact draw for 0 < p <= 1/2, n >= 1."""
    if n * p < 10.0:
        return _inversion_x(s0, s1, s2, s3, n, p, log_q)
    return btrd_x(s0, s1, s2, s3, n, p)


@njit(cache=True)
def binomial_lq_x(s0, s1, s2, s3, n, p, log_q):
    """Exact Binomial(n, p) draw; ``log_q`` must equal log(1 - p) (saves a log1p)."""
    if n <= 0 or p <= 0.0:
        return 0, s0, s1, s2, s3
    if p >= 1.0:
        return n, s0, s1, s2, s3
    if p > 0.5:
        k, s0, s1, s2, s3 = _half_x(s0, s1, s2, s3, n, 1.0 - p, math.log(p))
        return n - k, s0, s1, s2, s3
    return _half_x(s0, s1, s2, s3, n, p, log_q)


@njit(cache=True, inline="always")
def binomial_fixed_x(s0, s1, s2, s3, n, p, log_q, odds, f0):
    """Exact Binomial(n, p) for a fixed 0 < p <= 1/2 with log(1-p), the odds p/(1-p) and
    ``f0`` = (1-p)**n (when n < 64, else unused) precomputed: no exp, log or division."""
    if n <= 0:
        return 0, s0, s1, s2, s3
    if n < 64 and n * p < 10.0:
        u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
        return inversion_odds_x(s0, s1, s2, s3, n, odds, u, f0)
    return _half_x(s0, s1, s2, s3, n, p, log_q)


@njit(cache=True, inline="always")
def binomial_force_x(s0, s1, s2, s3, n, lam):
    """Exact Binomial(n, 1 - exp(-lam)) draw: infections under the force of infection ``lam``.

    Same draws as ``binomial_lq(n, -expm1(-lam), -lam)``, but p = 1 - exp(-lam) is only
    evaluated past the shortcut P(X = 0) >= 1 - n·lam, i.e. rarely while n·lam is small.
    """
    if n <= 0 or lam <= 0.0:
        return 0, s0, s1, s2, s3
    if lam > 0.69:  # p may exceed 1/2
        return binomial_lq_x(s0, s1, s2, s3, n, -math.expm1(-lam), -lam)
    if n * lam >= 10.0:  # n·p may reach 10: BTRD, called directly (p < 1/2 here)
        p = -math.expm1(-lam)
        if n * p >= 10.0:
            return btrd_x(s0, s1, s2, s3, n, p)
        return _inversion_x(s0, s1, s2, s3, n, p, -lam)
    x = n * -lam  # n·p <= n·lam < 10: inversion
    u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
    if u <= 1.0 + x:
        return 0, s0, s1, s2, s3
    # odds p/(1-p) = e^lam - 1 and P(X = 0) = e^(n·log q) = e^-n·lam: two independent calls
    return inversion_odds_x(s0, s1, s2, s3, n, math.expm1(lam), u, math.exp(x))


@njit(cache=True, inline="always")
def _load(st, row):
    return st[row, 0], st[row, 1], st[row, 2], st[row, 3]


@njit(cache=True, inline="always")
def _store(st, row, s0, s1, s2, s3):
    st[row, 0] = s0
    st[row, 1] = s1
    st[row, 2] = s2
    st[row, 3] = s3


@njit(cache=True)
def binomial_lq(st, row, n, p, log_q):
    """Exact Binomial(n, p) draw from ``st[row]``; ``log_q`` must equal log(1 - p)."""
    s0, s1, s2, s3 = _load(st, row)
    k, s0, s1, s2, s3 = binomial_lq_x(s0, s1, s2, s3, n, p, log_q)
    _store(st, row, s0, s1, s2, s3)
    return k


@njit(cache=True)
def binomial_table(st, row, n, p, qpow, which):
    """Exact Binomial(n, p) draw for fixed 0 < p <= 1/2, ``qpow[which, row, j] = (1-p)**j``."""
    if n <= 0:
        return 0
    s0, s1, s2, s3 = _load(st, row)
    f0 = qpow[which, row, n] if n < qpow.shape[2] else 0.0
    if n < qpow.shape[2] and n * p < 10.0:
        u, s0, s1, s2, s3 = uniform_x(s0, s1, s2, s3)
        k, s0, s1, s2, s3 = inversion_odds_x(s0, s1, s2, s3, n, p / (1.0 - p), u, f0)
    else:
        k, s0, s1, s2, s3 = _half_x(s0, s1, s2, s3, n, p, math.log1p(-p))
    _store(st, row, s0, s1, s2, s3)
    return k


def power_table(p: float, size: int = 64) -> np.ndarray:
    """``(1-p)**j`` for j = 0..size-1 (for :func:`binomial_table`)."""
    return np.exp(np.arange(size) * math.log1p(-p))


@njit(cache=True)
def binomial(st, row, n, p):
    """Exact Binomial(n, p) draw from the xoshiro256** state ``st``."""
    if n <= 0 or p <= 0.0:
        return 0
    return binomial_lq(st, row, n, p, math.log1p(-p))


@njit(cache=True)
def binomial_many(state, n, p, size):
    """``size`` draws of Binomial(n, p) from one stream (used by tests and benchmarks)."""
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = binomial(state, 0, n, p)
    return out


def binomial_sample(seed: int, n: int, p: float, size: int) -> np.ndarray:
    """Convenience wrapper: ``size`` exact binomial draws from the stream of member 0."""
    st = member_states(seed, 0, 1)
    return binomial_many(st, int(n), float(p), int(size))
