"""Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC): a posterior over model
parameters from observed series, not a point fit.

Method (Toni et al. 2009, with the adaptive kernel and tolerances of Beaumont et al. 2009 and
Del Moral et al. 2012)
    generation 0: draw ``particles`` parameter vectors from the prior, simulate each, keep the
    distance between its simulated and the observed series;
    generation g > 0: the tolerance ε_g is the ``quantile`` of the previous generation's
    distances; propose by drawing a particle of generation g−1 by weight and perturbing it with a
    Gaussian kernel of twice the weighted covariance; keep the proposal when it lies in the prior's
    support and its distance is ≤ ε_g; the new weight is prior(θ) / Σ_j w_j K(θ | θ_j).
The weighted particles of the last generation approximate the posterior given distance ≤ ε.

``simulate(theta, rng)`` is any stochastic model of the observed series (e.g. an ensemble member
of the metapopulation kernel with its observation process); this module knows nothing of it,
so the same sampler serves each model. :func:`negative_binomial` is the overdispersed
observation process (mean μ, variance μ + μ²/k).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError


@dataclass(frozen=True)
class Prior:
    """Independent uniform priors on each parameter (lower, upper bounds)."""

    lower: np.ndarray
    upper: np.ndarray

    def __post_init__(self) -> None:
        if self.lower.shape != self.upper.shape or np.any(self.upper <= self.lower):
            raise ParameterError("a prior needs upper > lower for every parameter")

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.lower, self.upper, size=(n, self.lower.size))

    def inside(self, theta: np.ndarray) -> np.ndarray:
        return np.all((theta >= self.lower) & (theta <= self.upper), axis=-1)


@dataclass(frozen=True)
class Posterior:
    particles: np.ndarray  # (n, parameters)
    weights: np.ndarray  # (n,), summing to 1
    tolerances: list[float]
    simulations: int

    def interval(self, level: float = 0.9) -> np.ndarray:
        """(parameters, 2) equal-tailed weighted credible intervals."""
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        return np.array([_weighted_quantiles(p, self.weights, (lo, hi)) for p in self.particles.T])

    def mean(self) -> np.ndarray:
        return self.weights @ self.particles


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, qs) -> list[float]:
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    cum /= cum[-1]
    return [float(x[order][np.searchsorted(cum, q)]) for q in qs]


def negative_binomial(rng: np.random.Generator, mean: np.ndarray, k: float) -> np.ndarray:
    """Counts with the given mean and variance mean + mean²/k (k → ∞: Poisson)."""
    if k <= 0:
        raise ParameterError("the negative binomial's dispersion k must be > 0")
    mean = np.maximum(np.asarray(mean, dtype=float), 0.0)
    return rng.poisson(rng.gamma(k, mean / k))


def _kernel_density(theta: np.ndarray, centres: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Σ_j-ready Gaussian kernel densities (proposals × centres), up to a shared constant."""
    inv = np.linalg.inv(cov)
    diff = theta[:, None, :] - centres[None, :, :]
    return np.exp(-0.5 * np.einsum("pci,ij,pcj->pc", diff, inv, diff))


def _generation(
    simulate, distance, observed, prior, previous, eps, particles, rng, max_tries
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    prev_theta, prev_w = previous
    cov = 2.0 * np.atleast_2d(np.cov(prev_theta.T, aweights=prev_w))
    cov += np.eye(cov.shape[0]) * 1e-12
    kept_theta: list[np.ndarray] = []
    kept_d: list[float] = []
    tries = 0
    while len(kept_theta) < particles:
        if tries >= max_tries:
            raise ParameterError(f"ABC-SMC: fewer than {particles} acceptances in {tries} tries")
        tries += 1
        pick = prev_theta[rng.choice(len(prev_w), p=prev_w)]
        theta = rng.multivariate_normal(pick, cov)
        if not prior.inside(theta):
            continue
        d = distance(simulate(theta, rng), observed)
        if d <= eps:
            kept_theta.append(theta)
            kept_d.append(d)
    theta = np.array(kept_theta)
    weights = 1.0 / (_kernel_density(theta, prev_theta, cov) @ prev_w)  # uniform prior
    return theta, weights / weights.sum(), np.array(kept_d), tries


def abc_smc(
    simulate: Callable[[np.ndarray, np.random.Generator], np.ndarray],
    observed: np.ndarray,
    prior: Prior,
    *,
    distance: Callable[[np.ndarray, np.ndarray], float] | None = None,
    particles: int = 200,
    generations: int = 5,
    quantile: float = 0.5,
    seed: int = 1,
    max_tries: int = 200_000,
) -> Posterior:
    """Run ABC-SMC; see the module docstring."""
    if particles < 2 or generations < 1 or not 0 < quantile < 1:
        raise ParameterError("need >= 2 particles, >= 1 generation and a quantile in (0, 1)")
    rng = np.random.default_rng(seed)
    dist = distance or (lambda a, b: float(np.sqrt(np.mean((np.asarray(a) - b) ** 2))))
    theta = prior.sample(rng, particles)
    d = np.array([dist(simulate(t, rng), observed) for t in theta])
    weights = np.full(particles, 1.0 / particles)
    tolerances, simulations = [float(np.max(d))], particles
    for _ in range(generations - 1):
        eps = float(np.quantile(d, quantile))
        theta, weights, d, tries = _generation(
            simulate, dist, observed, prior, (theta, weights), eps, particles, rng, max_tries
        )
        tolerances.append(eps)
        simulations += tries
    return Posterior(theta, weights, tolerances, simulations)
