"""The binomial sampler is exact: chi-square goodness of fit against scipy.stats.binom."""

import numpy as np
import pytest
import scipy.stats as st

from beredskap.sim._rng import binomial_sample, member_states

CASES = [
    (10, 0.3),  # inversion, tiny n
    (2_000, 0.002),  # inversion, n·p = 4
    (60, 0.4),  # BTRD, n·p = 24 (recursive acceptance)
    (5_000, 0.5),  # BTRD, n·p = 2 500 (Stirling acceptance)
    (200_000, 0.2),  # BTRD, large
    (40, 0.9),  # symmetry p > 1/2
    (3_000_000, 2e-6),  # inversion with the exp shortcut
]


def chi_square_pvalue(draws: np.ndarray, n: int, p: float) -> float:
    lo, hi = (int(v) for v in st.binom.ppf([1e-9, 1 - 1e-9], n, p))
    ks = np.arange(lo, hi + 1)
    expected = st.binom.pmf(ks, n, p) * draws.size
    observed = np.bincount(np.clip(draws - lo, 0, ks.size), minlength=ks.size + 1)[: ks.size]
    # pool cells so that every expected count is >= 5
    obs_pooled, exp_pooled, o_acc, e_acc = [], [], 0.0, 0.0
    for o, e in zip(observed, expected, strict=True):
        o_acc, e_acc = o_acc + o, e_acc + e
        if e_acc >= 5:
            obs_pooled.append(o_acc)
            exp_pooled.append(e_acc)
            o_acc = e_acc = 0.0
    obs_pooled[-1] += o_acc
    exp_pooled[-1] += e_acc
    obs_arr, exp_arr = np.array(obs_pooled), np.array(exp_pooled)
    stat = ((obs_arr - exp_arr) ** 2 / exp_arr).sum()
    return float(st.chi2.sf(stat, obs_arr.size - 1))


@pytest.mark.parametrize(("n", "p"), CASES)
def test_binomial_distribution_is_exact(n, p):
    draws = binomial_sample(20240101 + n, n, p, 200_000)
    assert draws.min() >= 0 and draws.max() <= n
    assert chi_square_pvalue(draws, n, p) > 1e-4
    # mean within 5 standard errors
    assert abs(draws.mean() - n * p) < 5 * np.sqrt(n * p * (1 - p) / draws.size)


def test_chi_square_detects_a_wrong_distribution():
    """The test statistic has power: a normal approximation fails it at n·p = 12."""
    rng = np.random.default_rng(1)
    n, p = 40, 0.3
    approx = np.clip(np.rint(rng.normal(n * p, np.sqrt(n * p * (1 - p)), 200_000)), 0, n)
    assert chi_square_pvalue(approx.astype(np.int64), n, p) < 1e-4


def test_edge_cases():
    assert binomial_sample(1, 0, 0.5, 10).sum() == 0
    assert binomial_sample(1, 100, 0.0, 10).sum() == 0
    assert np.all(binomial_sample(1, 100, 1.0, 10) == 100)


def one_day_from_exposed(n: int, rate: float, states: np.ndarray) -> np.ndarray:
    """One kernel day from E = n, S = I = R = 0 in one cell, for len(states) lanes with the
    E→I rate ``rate``: each lane's only draw is E→I, from its stream ``states[lane]``.
    Returns the lanes' new I (and checks that E + I stays n)."""
    import math

    from beredskap.sim import _kernel

    lanes = states.shape[0]
    p = -math.expm1(-rate)
    rates = np.repeat(np.array([[p], [-rate], [0.1], [-0.1]]), lanes, axis=1)
    ops = (
        np.array([0, 1]),
        np.array([0]),
        np.array([1.0]),
        np.array([0, 1]),
        np.array([0]),
        np.array([1.0]),
        np.array([1.0 / n]),
        np.ones((1, 1)),
    )
    S = np.zeros((1, lanes), dtype=np.int64)
    E = np.full((1, lanes), n, dtype=np.int64)
    Inf = np.zeros((1, lanes), dtype=np.int64)
    R = np.zeros((1, lanes), dtype=np.int64)
    out = np.zeros((lanes, 1, 1), dtype=np.int32)
    _kernel.simulate_lanes(
        S,
        E,
        Inf,
        R,
        states.copy(),
        np.zeros(lanes),
        rates,
        *ops,
        np.ones((1, 1)),
        np.zeros((0, 1)),
        1,
        out,
    )
    assert np.all(E + Inf == n)
    return Inf[0].copy()


def test_member_streams_depend_only_on_seed_and_index():
    all_states = member_states(7, 0, 10)
    assert np.array_equal(all_states[4:7], member_states(7, 4, 3))
    assert not np.array_equal(member_states(8, 0, 10), all_states)
    assert len({tuple(row) for row in all_states}) == 10


def test_the_kernel_fast_paths_draw_exactly_what_the_plain_sampler_draws():
    """binomial_force_x (lazy p) and binomial_fixed_x (precomputed odds/tables) consume the
    stream exactly like binomial_lq/binomial_table, so their distribution is the tested one."""
    import math

    from numba import njit

    from beredskap.sim._rng import (
        binomial_fixed_x,
        binomial_force_x,
        binomial_lq,
        binomial_table,
        power_table,
    )

    @njit
    def force_draws(st, n, lam, size):  # type: ignore[no-untyped-def]
        out = np.empty(size, dtype=np.int64)
        s0, s1, s2, s3 = st[0, 0], st[0, 1], st[0, 2], st[0, 3]
        for i in range(size):
            out[i], s0, s1, s2, s3 = binomial_force_x(s0, s1, s2, s3, n, lam)
        return out

    @njit
    def lq_draws(st, n, p, log_q, size):  # type: ignore[no-untyped-def]
        return np.array([binomial_lq(st, 0, n, p, log_q) for _ in range(size)])

    @njit
    def fixed_draws(st, n, p, log_q, qpow, size):  # type: ignore[no-untyped-def]
        out = np.empty(size, dtype=np.int64)
        s0, s1, s2, s3 = st[0, 0], st[0, 1], st[0, 2], st[0, 3]
        f0 = qpow[0, 0, n] if n < 64 else 0.0
        for i in range(size):
            out[i], s0, s1, s2, s3 = binomial_fixed_x(s0, s1, s2, s3, n, p, log_q, p / (1 - p), f0)
        return out

    @njit
    def table_draws(st, n, p, qpow, size):  # type: ignore[no-untyped-def]
        return np.array([binomial_table(st, 0, n, p, qpow, 0) for _ in range(size)])

    for n, lam in [(1000, 1e-4), (1000, 0.009), (50, 0.3), (100_000, 0.01), (30, 0.8), (5, 2.0)]:
        expected = lq_draws(member_states(5, 0, 1), n, -math.expm1(-lam), -lam, 3000)
        np.testing.assert_array_equal(force_draws(member_states(5, 0, 1), n, lam, 3000), expected)
    for n, rate in [(3, 1 / 3), (40, 1 / 3), (63, 0.2), (64, 0.2), (5000, 0.2), (100, 0.05)]:
        p = -math.expm1(-rate)
        qpow = power_table(p)[None, None, :]
        expected = table_draws(member_states(6, 0, 1), n, p, qpow, 3000)
        np.testing.assert_array_equal(
            fixed_draws(member_states(6, 0, 1), n, p, -rate, qpow, 3000), expected
        )


def test_the_kernels_tabulated_btrd_draws_exactly_what_the_plain_sampler_draws():
    """E→I and I→R read BTRD's set-up from a table (n < BTRD_TABLE) and make its acceptance
    test on the log k! table; the draws must be binomial_fixed_x's, on both sides of the
    inversion/BTRD boundary and of the table end (the two tests could differ only within
    rounding of the acceptance boundary, which these streams do not meet)."""
    import math

    from numba import njit

    from beredskap.sim._kernel import BTRD_TABLE, _btrd_tables, _fixed_draw, _fixed_transitions
    from beredskap.sim._rng import binomial_fixed_x

    @njit
    def draws(st, n, lc, tab, slot, size, tabulated):  # type: ignore[no-untyped-def]
        out = np.empty(size, dtype=np.int64)
        s0, s1, s2, s3 = st[0, 0], st[0, 1], st[0, 2], st[0, 3]
        p, log_q, odds = lc[0, 0], lc[1, 0], lc[2, 0]
        row, ti = slot[0, 0], min(n, BTRD_TABLE - 1)
        for i in range(size):
            if tabulated:
                out[i], s0, s1, s2, s3 = _fixed_draw(
                    s0,
                    s1,
                    s2,
                    s3,
                    n,
                    p,
                    log_q,
                    tab[row, ti, 0],
                    tab[row, ti, 1],
                    tab[row, ti, 2],
                    tab[row, ti, 3],
                    tab[row, ti, 4],
                    lc[6, 0],
                )
            else:
                out[i], s0, s1, s2, s3 = binomial_fixed_x(s0, s1, s2, s3, n, p, log_q, odds, 0.0)
        return out

    for rate in (1 / 3, 0.2):
        rates = np.array([[-math.expm1(-rate)], [-rate], [0.1], [-0.1]])
        lc, _flip = _fixed_transitions(rates, 1)
        tab, slot = _btrd_tables(lc)
        for n in (64, int(10 / lc[0, 0]) + 1, 500, BTRD_TABLE - 1, BTRD_TABLE, 50_000):
            mine = draws(member_states(8, 0, 1), n, lc, tab, slot, 2000, True)
            np.testing.assert_array_equal(
                mine, draws(member_states(8, 0, 1), n, lc, tab, slot, 2000, False)
            )


def test_the_kernels_cdf_windows_hold_the_binomial_cdf():
    """E→I and I→R with n·p·q <= WIN_MAX_VAR (n < WIN_ROWS) are drawn on a tabulated window
    of the CDF: row n holds F(ws - 1 + j), ws = max(0, m - WIN_HALF), and 1 from k = n on."""
    import math

    from scipy.stats import binom

    from beredskap.sim._kernel import (
        WIN_HALF,
        WIN_MAX_VAR,
        WIN_WIDTH,
        _btrd_tables,
        _fixed_transitions,
        _window_tables,
    )

    rates = np.array([[-math.expm1(-1 / 3)], [-1 / 3], [-math.expm1(-1 / 20)], [-1 / 20]])
    lc, _flip = _fixed_transitions(rates, 1)
    _tab, slot = _btrd_tables(lc)
    win, wend = _window_tables(lc, slot)
    for j in range(2):
        p, row = lc[3 * j, 0], slot[j, 0]
        assert wend[row] - 1 == min(int(WIN_MAX_VAR / (p * (1 - p))), 511)
        for n in range(1, int(wend[row])):
            ws = max(0, int((n + 1) * p) - WIN_HALF)
            k = ws - 1 + np.arange(WIN_WIDTH)
            np.testing.assert_allclose(win[row, n], binom.cdf(k, n, p), rtol=0, atol=1e-14)
            assert np.all(win[row, n][k >= n] == 1.0)  # no draw above n


@pytest.mark.parametrize("n", [1, 2, 7, 20, 35, 36, 63, 64, 300, 315, 316, 2100])
def test_the_kernels_one_day_draw_inverts_the_members_first_uniform(n):
    """One day from E = n (S = I = 0): each lane's only draw is E→I. In the window rows
    (n·p·q <= 64) it must be the smallest k with u <= F(k) for the lane's first uniform u;
    above them, the first draw of binomial_fixed_x (BTRD) on that member's stream."""
    import math

    from numba import njit
    from scipy.stats import binom

    from beredskap.sim import _kernel
    from beredskap.sim._rng import binomial_fixed_x, uniform_x

    @njit
    def first(st, n, p, log_q):  # type: ignore[no-untyped-def]
        u, _s0, _s1, _s2, _s3 = uniform_x(st[0], st[1], st[2], st[3])
        k, _s0, _s1, _s2, _s3 = binomial_fixed_x(
            st[0], st[1], st[2], st[3], n, p, log_q, p / (1 - p), (1 - p) ** n
        )
        return u, k

    rate = 1 / 3
    p = -math.expm1(-rate)
    windowed = n * p * (1 - p) <= _kernel.WIN_MAX_VAR
    cdf = binom.cdf(np.arange(n + 1), n, p)
    for rep in range(40):
        states = member_states(rep, 0, 8)
        expected = []
        for lane in range(8):
            u, k = first(states[lane], n, p, -rate)
            expected.append(int(np.searchsorted(cdf, u)) if windowed else k)
        assert list(one_day_from_exposed(n, rate, states)) == expected


@pytest.mark.parametrize("n", [40, 150, 300])
def test_the_kernels_window_draws_follow_the_binomial_distribution(n):
    """Chi-square over 2,000 kernel draws of one day's E→I in the window rows."""
    import math

    rate = 1 / 3
    draws = np.concatenate(
        [one_day_from_exposed(n, rate, member_states(1000 + rep, 0, 8)) for rep in range(250)]
    )
    assert chi_square_pvalue(draws, n, -math.expm1(-rate)) > 1e-4


def test_inversion_returns_the_smallest_k_whose_cdf_reaches_the_uniform():
    """inversion_odds_x compares the first 8 cumulative terms without branches and goes on
    term by term: the result must be min{k : u <= F(k)} (checked away from rounding of F),
    for small and large k and for n below and above the unrolled terms."""
    from scipy.stats import binom

    from beredskap.sim._rng import inversion_odds_x

    rng = np.random.default_rng(21)
    checked = 0
    for _ in range(3000):
        n = int(rng.choice([1, 3, 7, 8, 9, 40, 500, 100_000]))
        p = float(rng.uniform(0.0, min(0.5, 9.9 / n)))
        u = float(rng.uniform(0.0, 1.0))
        cdf = binom.cdf(np.arange(n + 1), n, p)
        expected = int(np.searchsorted(cdf, u))
        if expected > n or np.min(np.abs(cdf - u)) < 1e-9:
            continue
        k, *_ = inversion_odds_x(
            np.uint64(1), np.uint64(2), np.uint64(3), np.uint64(4), n, p / (1 - p), u, (1 - p) ** n
        )
        assert k == expected, (n, p, u)
        checked += 1
    assert checked > 2900


@pytest.mark.parametrize(("rate", "n"), [(3.0, 12), (5.0, 30), (2.0, 1000)])
def test_transitions_faster_than_half_a_day_are_folded_to_p_below_one_half(rate, n):
    """With a latent period under 1/ln 2 days, p(E→I) > 1/2. The samplers assume p <= 1/2
    (inversion's odds recursion and BTRD's hat), so the kernel draws the complement. One day
    from E = n: I is Bin(n, 1 - e^-rate). (Unfolded, (3.0, 12) failed with p ~ 1e-10.)"""
    import math

    draws = np.concatenate(
        [one_day_from_exposed(n, rate, member_states(rep, 0, 8)) for rep in range(250)]
    )
    assert chi_square_pvalue(draws, n, -math.expm1(-rate)) > 1e-4


def test_btrd_acceptance_is_the_exact_pmf_ratio_test():
    """BTRD accepts candidate k for the scaled uniform v iff v <= f(k)/f(m). The product
    form (|k-m| <= 15), Hörmann's squeeze and the Stirling bound must all decide exactly
    that (checked against lgamma, away from the boundary where rounding may differ)."""
    import math

    from scipy.stats import binom

    from beredskap.sim._rng import _btrd_accept

    rng = np.random.default_rng(11)
    decided = 0
    for _ in range(4000):
        n = int(rng.choice([40, 200, 1500, 20_000, 700_000]))
        p = float(rng.uniform(10.0 / n, 0.5))
        m = int((n + 1) * p)
        sd = math.sqrt(n * p * (1 - p))
        k = int(np.clip(m + round(rng.normal(0, 2.5 * sd)), 0, n))
        log_ratio = binom.logpmf(k, n, p) - binom.logpmf(m, n, p)
        log_v = log_ratio + rng.uniform(-0.5, 0.5)
        if abs(log_v - log_ratio) < 1e-7:
            continue
        got = _btrd_accept(n, k, m, math.exp(log_v), p / (1 - p), n * p * (1 - p))
        assert got == (log_v <= log_ratio), (n, p, k, m, log_v, log_ratio)
        decided += 1
    assert decided > 3900


def test_btrd_acceptance_from_the_log_factorial_table_is_the_exact_pmf_ratio_test():
    """The tabulated test (n < LOG_FACTORIAL_SIZE: E→I and I→R in the kernel) accepts k for
    the scaled uniform v iff v <= f(k)/f(m), checked against lgamma away from the boundary."""
    import math

    from scipy.stats import binom

    from beredskap.sim._rng import LOG_FACTORIAL_SIZE, _btrd_accept_tabulated, btrd_log_base

    rng = np.random.default_rng(12)
    decided = 0
    for _ in range(4000):
        n = int(rng.integers(20, LOG_FACTORIAL_SIZE))
        p = float(rng.uniform(10.0 / n, 0.5))
        m = int((n + 1) * p)
        k = int(np.clip(m + round(rng.normal(0, 2.5 * math.sqrt(n * p * (1 - p)))), 0, n))
        log_ratio = binom.logpmf(k, n, p) - binom.logpmf(m, n, p)
        log_v = log_ratio + rng.uniform(-0.5, 0.5)
        if abs(log_v - log_ratio) < 1e-7:
            continue
        log_odds = math.log(p / (1 - p))
        got = _btrd_accept_tabulated(n, k, math.exp(log_v), btrd_log_base(n, p, log_odds), log_odds)
        assert got == (log_v <= log_ratio), (n, p, k, m, log_v, log_ratio)
        decided += 1
    assert decided > 3900
