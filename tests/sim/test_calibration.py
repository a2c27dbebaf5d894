"""ABC-SMC gives a posterior whose credible intervals cover the parameters that generated the
data (recovery), and narrows as generations go on."""

import numpy as np
import pytest

from beredskap.sim.calibration import Prior, abc_smc, negative_binomial
from beredskap.sim.errors import ParameterError

DAYS = 40
K = 20.0  # negative-binomial dispersion of the observations


def growth_model(theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Daily admissions of an epidemic with a growth rate changing at day 20 (a changepoint),
    observed through a negative binomial."""
    r1, r2 = theta
    t = np.arange(DAYS)
    rate = np.where(t < 20, r1 * t, r1 * 20 + r2 * (t - 20))
    return negative_binomial(rng, 5.0 * np.exp(rate), K)


def log_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.log1p(a) - np.log1p(b)) ** 2)))


PRIOR = Prior(np.array([-0.1, -0.2]), np.array([0.25, 0.2]))


def test_the_credible_intervals_cover_the_true_growth_rates_and_changepoint_change():
    hits, reps = 0, 20
    for rep in range(reps):
        rng = np.random.default_rng(100 + rep)
        truth = PRIOR.sample(rng, 1)[0] * 0.8  # inside the prior
        observed = growth_model(truth, rng)
        post = abc_smc(
            growth_model,
            observed,
            PRIOR,
            distance=log_distance,
            particles=100,
            generations=4,
            seed=rep,
        )
        interval = post.interval(0.9)
        hits += bool(np.all((interval[:, 0] <= truth) & (truth <= interval[:, 1])))
    assert hits / reps >= 0.85


def test_tolerances_fall_and_the_posterior_is_narrower_than_the_prior():
    rng = np.random.default_rng(7)
    observed = growth_model(np.array([0.1, -0.05]), rng)
    post = abc_smc(
        growth_model, observed, PRIOR, distance=log_distance, particles=100, generations=7
    )
    assert post.tolerances == sorted(post.tolerances, reverse=True)
    assert np.isclose(post.weights.sum(), 1.0) and post.particles.shape == (100, 2)
    width = post.interval(0.9)[:, 1] - post.interval(0.9)[:, 0]
    assert np.all(width < 0.5 * (PRIOR.upper - PRIOR.lower))
    assert post.simulations > 100


def test_the_negative_binomial_has_the_mean_and_overdispersion_asked_for():
    draws = negative_binomial(np.random.default_rng(1), np.full(200_000, 30.0), 5.0)
    assert abs(draws.mean() - 30) < 0.3
    assert abs(draws.var() - (30 + 30**2 / 5)) < 0.05 * (30 + 30**2 / 5)


@pytest.mark.parametrize(
    "call",
    [
        lambda: Prior(np.array([1.0]), np.array([0.0])),
        lambda: abc_smc(growth_model, np.zeros(DAYS), PRIOR, particles=1),
        lambda: negative_binomial(np.random.default_rng(1), np.ones(3), 0),
    ],
)
def test_bad_settings_are_refused(call):
    with pytest.raises(ParameterError):
        call()
