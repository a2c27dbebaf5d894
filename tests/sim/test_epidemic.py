"""Epidemic model: conservation, independence, ODE agreement, final size, convergence."""

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst
from scipy.integrate import solve_ivp

from beredskap.sim import _kernel
from beredskap.sim._rng import member_states
from beredskap.sim.epidemic import (
    deterministic_steps,
    final_size,
    member_params,
    prepare,
    run_chain_binomial,
    run_deterministic,
    summarise,
)
from beredskap.sim.params import (
    AgeStructure,
    EpidemicParams,
    Intervention,
    Seeding,
    Vaccination,
)


def kernel_args(model, mp):
    p, pt = model.p, model.pt
    return (
        p.indptr.astype(np.int64),
        p.indices.astype(np.int64),
        p.data,
        pt.indptr.astype(np.int64),
        pt.indices.astype(np.int64),
        pt.data,
        model.inv_den,
        model.contacts,
    )


def stochastic_states(model, mp, seed=1):
    """Run the compiled kernel one day at a time and yield (S, E, I, R, new infections)."""
    S, E, Inf, R = _kernel._init_lanes(
        model.n_cells,
        model.r_init,
        mp.seed_cell,
        mp.seed_exposed,
        mp.seed_infectious,
        0,
        mp.beta.size,
    )
    rng = member_states(seed, 0, mp.beta.size)
    ops = kernel_args(model, mp)
    for t in range(model.days):
        out = np.zeros((mp.beta.size, 1, model.nodes), dtype=np.int32)
        mult = model.mult[t : t + 1] if model.mult.shape[0] > 1 else model.mult
        vacc = model.vacc[t : t + 1]
        _kernel.simulate_lanes(S, E, Inf, R, rng, mp.beta, mp.rates(), *ops, mult, vacc, 1, out)
        yield S, E, Inf, R, out


networks = hst.integers(min_value=1, max_value=6).flatmap(
    lambda n: hst.tuples(
        hst.lists(hst.integers(2, 5_000), min_size=n, max_size=n),
        hst.lists(hst.floats(0, 0.3), min_size=n * n, max_size=n * n),
        hst.floats(0.1, 1.5),
        hst.booleans(),
    )
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks)
def test_population_conserved_in_every_node_and_step(case):
    pops, shares, beta, vaccinate = case
    n = len(pops)
    pop = np.array(pops)
    flows = np.floor(np.array(shares).reshape(n, n) / n * pop[:, None])
    vacc = Vaccination(daily_rate=0.05, start_day=5, end_day=20) if vaccinate else None
    params = EpidemicParams(
        beta=beta,
        days=30,
        vaccination=vacc,
        seeding=Seeding(exposed=1, infectious=1, node=0),
        interventions=(Intervention(10, 20, 0.5),),
    )
    model = prepare(pop, sp.csr_matrix(flows), params)
    mp = member_params(params, model, 3, seed=5)
    for S, E, Inf, R, out in stochastic_states(model, mp):
        assert np.all(model.n_cells[:, None] == S + E + Inf + R)
        assert min(S.min(), E.min(), Inf.min(), R.min(), out.min()) >= 0
    for _t, S, E, Inf, R, _ne in deterministic_steps(model, mp):
        total = np.broadcast_to(model.n_cells[:, None], S.shape)
        np.testing.assert_allclose(S + E + Inf + R, total, rtol=1e-12)
        assert min(S.min(), E.min(), Inf.min()) >= -1e-9


def test_conservation_check_can_fail():
    """Sanity: a corrupted state is detected by the same assertion."""
    params = EpidemicParams(beta=0.5, days=5, seeding=Seeding(node=0))
    model = prepare(np.array([1000]), None, params)
    mp = member_params(params, model, 1, seed=1)
    S, E, Inf, R, _ = next(stochastic_states(model, mp))
    S[0, 0] += 1
    assert not np.all(model.n_cells[:, None] == S + E + Inf + R)


def test_uncoupled_nodes_evolve_independently():
    params = EpidemicParams(beta=0.4, days=120, seeding=Seeding(5, 5, node=0))
    pop = np.array([100_000, 40_000])
    both = run_deterministic(pop, None, params)[0]
    alone = run_deterministic(pop[:1], None, params)[0]
    np.testing.assert_allclose(both[:, 0], alone[:, 0], rtol=1e-12)
    assert both[:, 1].sum() == 0
    stochastic = run_chain_binomial(pop, None, params, members=8, seed=3)
    assert stochastic[:, :, 1].sum() == 0 and stochastic[:, :, 0].sum() > 0
    coupled = run_deterministic(pop, sp.csr_matrix([[0, 100], [100, 0]]), params)[0]
    assert coupled[:, 1].sum() > 0  # the check above can fail when nodes are coupled


def test_a_chunk_whose_epidemic_died_out_stops_early_with_the_same_result():
    """Once no lane has anyone exposed or infectious, the kernel stops; a (zero) vaccination
    schedule keeps it running day by day. Both must give the same infections and states."""
    params = EpidemicParams(beta=0.05, days=200, seeding=Seeding(3, 3, node=0))
    model = prepare(
        np.array([20_000, 5_000, 8_000]),
        sp.csr_matrix([[0, 50, 20], [40, 0, 0], [0, 30, 0]]),
        params,
    )
    mp = member_params(params, model, 8, 2, None)
    runs = []
    for vacc in (np.zeros((0, model.nodes)), np.zeros((model.days, model.nodes))):
        S, E, Inf, R = _kernel._init_lanes(
            model.n_cells, model.r_init, mp.seed_cell, mp.seed_exposed, mp.seed_infectious, 0, 8
        )
        rng = member_states(2, 0, 8)
        out = np.full((8, model.days, model.nodes), -1, dtype=np.int32)
        _kernel.simulate_lanes(
            S,
            E,
            Inf,
            R,
            rng,
            mp.beta,
            mp.rates(),
            *kernel_args(model, mp),
            model.mult,
            vacc,
            model.days,
            out,
        )
        runs.append((out, S, E, Inf, R, rng))
    assert np.all(runs[0][0][:, -20:] == 0) and np.all(
        runs[0][1] + runs[0][4] == model.n_cells[:, None]
    )
    for early, stepped in zip(runs[0], runs[1], strict=True):
        np.testing.assert_array_equal(early, stepped)


def ode_day(S, E, Inf, lam, sigma, gamma):
    """Integrate one day of the exponential-rate system with λ frozen at day start.

    States: S, E0, I0 (start-of-day cohorts) decay exponentially; the flows they emit are
    accumulated and join the next compartment at the end of the day — this is the
    continuous-time system whose exact one-day solution the deterministic update is.
    """
    n = S.size

    def rhs(_t, y):
        s, e, i = y[:n], y[n : 2 * n], y[2 * n : 3 * n]
        return np.concatenate([-lam * s, -sigma * e, -gamma * i, lam * s, sigma * e, gamma * i])

    y0 = np.concatenate([S, E, Inf, np.zeros(3 * n)])
    sol = solve_ivp(rhs, (0, 1), y0, method="DOP853", rtol=1e-12, atol=1e-9)
    y = sol.y[:, -1]
    s, e, i, to_e, to_i, to_r = (y[k * n : (k + 1) * n] for k in range(6))
    return s, e + to_e, i + to_i, to_e


def test_deterministic_mode_matches_ode_solution(small_network):
    pop, flows = small_network
    params = EpidemicParams(
        r0=2.2, latent_days=2.5, infectious_days=4.0, days=60, seeding=Seeding(50, 20, node=1)
    )
    model = prepare(pop, flows, params)
    mp = member_params(params, model, 1, seed=0)
    # the force of infection written out densely from the definition of P
    alpha, N = 0.5, pop.astype(float)
    C = flows.toarray()
    P = np.diag(1 - alpha * C.sum(1) / N) + alpha * C / N[:, None]
    beta, sigma, gamma = mp.beta[0], 1 / 2.5, 1 / 4.0
    S, E, Inf = N.copy(), np.zeros(4), np.zeros(4)
    S[1] -= 70
    E[1], Inf[1] = 50, 20
    for _t, s_m, _e_m, i_m, _r, ne in deterministic_steps(model, mp):
        lam = beta * P @ ((P.T @ Inf) / (P.T @ N))
        S, E, Inf, to_e = ode_day(S, E, Inf, lam, sigma, gamma)
        np.testing.assert_allclose(ne[:, 0], to_e, rtol=1e-7, atol=1e-6)
        np.testing.assert_allclose(s_m[:, 0], S, rtol=1e-7)
        np.testing.assert_allclose(i_m[:, 0], Inf, rtol=1e-7, atol=1e-6)


def test_final_size_relation_for_large_homogeneous_population():
    for r0 in (1.5, 2.0, 3.0):
        params = EpidemicParams(r0=r0, days=800, seeding=Seeding(10, 10))
        pop = np.array([10_000_000])
        det = summarise(run_deterministic(pop, None, params), pop)
        assert det.attack_rate == pytest.approx(final_size(r0), abs=2e-4)
    params = EpidemicParams(beta=0.36, days=365, seeding=Seeding(200, 200))
    sto = summarise(run_chain_binomial(pop, None, params, members=8, seed=11), pop)
    assert sto.attack_rate == pytest.approx(final_size(params.basic_reproduction_number), abs=2e-3)
    assert final_size(0.9) == 0.0


def test_network_final_size_and_benchmark_expectation():
    """Row-stochastic mixing keeps R0 = β/(1-e^{-1/D}): 0.36, 5 d -> attack rate ≈ 0.793."""
    from beredskap.sim.synthetic import nor357_workload

    pop, flows, params = nor357_workload()
    det = summarise(run_deterministic(pop, flows, params), pop)
    assert det.attack_rate == pytest.approx(0.793, abs=0.002)


def test_stochastic_mean_converges_to_deterministic_path():
    errors = []
    for size in (2_000, 200_000):
        pop = np.array([size, size // 2])
        params = EpidemicParams(
            beta=0.5, days=80, seeding=Seeding(size // 200, size // 200, node=0)
        )
        flows = sp.csr_matrix([[0, size // 20], [size // 40, 0]])
        det = run_deterministic(pop, flows, params)[0] / size
        sto = run_chain_binomial(pop, flows, params, members=24, seed=2).mean(axis=0) / size
        errors.append(np.abs(sto - det).max())
    assert errors[1] < errors[0] / 3
    assert errors[1] < 2e-3


def test_age_groups_and_interventions_change_the_outcome():
    pop = np.array([200_000])
    age = AgeStructure(shares=(0.3, 0.5, 0.2), contacts=((8, 3, 1), (3, 6, 2), (1, 2, 3)))
    base = EpidemicParams(r0=2.0, days=300, age=age)
    ar_age = summarise(run_deterministic(pop, None, base), pop).attack_rate
    ar_flat = summarise(run_deterministic(pop, None, replace(base, age=None)), pop).attack_rate
    assert 0.3 < ar_age < 0.95 and abs(ar_age - ar_flat) > 1e-3
    lockdown = replace(base, interventions=(Intervention(0, 300, 0.6),))
    assert summarise(run_deterministic(pop, None, lockdown), pop).attack_rate < 0.05
    vacc = replace(base, vaccination=Vaccination(initial_coverage=0.6))
    assert summarise(run_deterministic(pop, None, vacc), pop).attack_rate < 0.05
    sto = run_chain_binomial(pop, None, base, members=8, seed=4)
    assert summarise(sto, pop).attack_rate == pytest.approx(ar_age, abs=0.02)
