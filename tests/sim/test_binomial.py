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


def test_member_streams_depend_only_on_seed_and_index():
    all_states = member_states(7, 0, 10)
    assert np.array_equal(all_states[4:7], member_states(7, 4, 3))
    assert not np.array_equal(member_states(8, 0, 10), all_states)
    assert len({tuple(row) for row in all_states}) == 10
