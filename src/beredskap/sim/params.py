"""Typed, validated parameters of the epidemic model.

All dataclasses validate in ``__post_init__`` and raise :class:`ParameterError` with a
message naming the parameter. Rates are per day; the model advances in daily steps.

Reproduction number
    The model is a discrete-time chain binomial. A person stays infectious for a
    geometric number of days with mean ``1 / (1 - exp(-1/D))`` (D = ``infectious_days``),
    so the basic reproduction number of the daily-step model is exactly
    ``R0 = β / (1 - exp(-1/D))`` (e.g. β = 0.36, D = 5 gives R0 ≈ 1.99). ``r0`` given here
    is converted with this relation, so the final size obeys ``z = 1 - exp(-R0·z)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from .errors import ParameterError


def _positive(name: str, value: float) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ParameterError(f"{name} must be a finite number > 0, got {value!r}")


def _non_negative(name: str, value: float) -> None:
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ParameterError(f"{name} must be a finite number >= 0, got {value!r}")


def beta_from_r0(r0: float, infectious_days: float) -> float:
    """Transmission rate β giving basic reproduction number ``r0`` in daily steps."""
    return r0 * -math.expm1(-1.0 / infectious_days)


def r0_from_beta(beta: float, infectious_days: float) -> float:
    """Inverse of :func:`beta_from_r0`."""
    return beta / -math.expm1(-1.0 / infectious_days)


@dataclass(frozen=True)
class Seeding:
    """Initial infections: ``exposed`` + ``infectious`` persons in ``node`` (index).

    ``node=None`` seeds the most populous node.
    """

    exposed: int = 20
    infectious: int = 20
    node: int | None = None

    def __post_init__(self) -> None:
        for name in ("exposed", "infectious"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or value < 0:
                raise ParameterError(f"seeding.{name} must be an integer >= 0, got {value!r}")
        if self.node is not None and (not isinstance(self.node, int | np.integer) or self.node < 0):
            raise ParameterError(f"seeding.node must be a node index >= 0, got {self.node!r}")


@dataclass(frozen=True)
class Intervention:
    """Contact reduction: contacts at the given places multiplied by ``1 - reduction``.

    Days are simulation days (0-based, ``end_day`` exclusive). ``nodes=None`` = all nodes.
    Reductions act where people meet (home node at night, work node by day).
    """

    start_day: int
    end_day: int
    reduction: float
    nodes: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.start_day < 0 or self.end_day < self.start_day:
            raise ParameterError("intervention needs 0 <= start_day <= end_day")
        if not 0.0 <= self.reduction <= 1.0:
            raise ParameterError(f"intervention.reduction must be in [0, 1], got {self.reduction}")


@dataclass(frozen=True)
class Vaccination:
    """Immunity from vaccination.

    ``initial_coverage`` (share of residents, scalar or one value per node) is immune at
    day 0 with ``efficacy``; from ``start_day`` to ``end_day`` a share ``daily_rate`` of the
    remaining susceptibles is vaccinated each day (S → R with probability
    ``daily_rate·efficacy``).
    """

    initial_coverage: float | tuple[float, ...] = 0.0
    daily_rate: float = 0.0
    start_day: int = 0
    end_day: int = 0
    efficacy: float = 1.0

    def __post_init__(self) -> None:
        cov = np.atleast_1d(np.asarray(self.initial_coverage, dtype=float))
        if np.any(~np.isfinite(cov)) or np.any(cov < 0) or np.any(cov > 1):
            raise ParameterError("vaccination.initial_coverage must be within [0, 1]")
        for name in ("daily_rate", "efficacy"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ParameterError(f"vaccination.{name} must be in [0, 1], got {v}")
        if self.start_day < 0 or self.end_day < self.start_day:
            raise ParameterError("vaccination needs 0 <= start_day <= end_day")


@dataclass(frozen=True)
class AgeStructure:
    """Age groups: ``shares`` (A,) or (nodes, A) of residents, ``contacts`` (A, A).

    ``contacts[a, b]`` is the relative daily contact rate of a person in group a with
    people in group b. It is scaled to spectral radius 1 so that β keeps its meaning
    (R0 stays β/(1-exp(-1/D)) when the age mix is the same in all nodes).
    """

    shares: tuple | np.ndarray
    contacts: tuple | np.ndarray
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        shares = np.asarray(self.shares, dtype=float)
        k = np.asarray(self.contacts, dtype=float)
        if k.ndim != 2 or k.shape[0] != k.shape[1]:
            raise ParameterError(f"age contact matrix must be square, got shape {k.shape}")
        if shares.shape[-1] != k.shape[0]:
            raise ParameterError("age shares and contact matrix disagree on the number of groups")
        if np.any(k < 0) or np.any(shares < 0) or not np.all(np.isfinite(k)):
            raise ParameterError("age shares and contacts must be finite and >= 0")
        if not np.allclose(shares.sum(axis=-1), 1.0, atol=1e-6):
            raise ParameterError("age shares must sum to 1 in every node")
        if np.max(np.abs(np.linalg.eigvals(k))) <= 0:
            raise ParameterError("age contact matrix must not be all zero")

    @property
    def groups(self) -> int:
        return int(np.asarray(self.contacts).shape[0])

    def normalised_contacts(self) -> np.ndarray:
        k = np.asarray(self.contacts, dtype=float)
        return k / np.max(np.abs(np.linalg.eigvals(k)))


@dataclass(frozen=True)
class EpidemicParams:
    """SEIR parameters. Give exactly one of ``beta`` and ``r0``."""

    beta: float | None = None
    r0: float | None = None
    latent_days: float = 3.0
    infectious_days: float = 5.0
    days: int = 365
    alpha: float = 0.5
    seeding: Seeding = field(default_factory=Seeding)
    interventions: tuple[Intervention, ...] = ()
    vaccination: Vaccination | None = None
    age: AgeStructure | None = None

    def __post_init__(self) -> None:
        if (self.beta is None) == (self.r0 is None):
            raise ParameterError("give exactly one of beta and r0")
        if self.beta is not None:
            _non_negative("beta", self.beta)
        if self.r0 is not None:
            _non_negative("r0", self.r0)
        _positive("latent_days", self.latent_days)
        _positive("infectious_days", self.infectious_days)
        if not isinstance(self.days, int | np.integer) or self.days < 1:
            raise ParameterError(f"days must be an integer >= 1, got {self.days!r}")
        if not 0.0 <= self.alpha <= 1.0:
            raise ParameterError("alpha (share of the day spent at work) must be in [0, 1]")

    @property
    def transmission_rate(self) -> float:
        if self.beta is not None:
            return float(self.beta)
        return beta_from_r0(
            float(cast(float, self.r0)), self.infectious_days
        )  # r0 is set when beta is not

    @property
    def basic_reproduction_number(self) -> float:
        return r0_from_beta(self.transmission_rate, self.infectious_days)


@dataclass(frozen=True)
class Uncertainty:
    """Parameter uncertainty of an ensemble: uniform (low, high) ranges.

    Each member draws its own values from a generator seeded by ``(seed, member)``, so a
    member's parameters do not depend on the ensemble size or on chunking. ``r0`` and
    ``beta`` are alternatives; seeding ranges are integers (inclusive).
    """

    r0: tuple[float, float] | None = None
    beta: tuple[float, float] | None = None
    latent_days: tuple[float, float] | None = None
    infectious_days: tuple[float, float] | None = None
    seed_exposed: tuple[int, int] | None = None
    seed_infectious: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.r0 is not None and self.beta is not None:
            raise ParameterError("uncertainty: give a range for r0 or for beta, not both")
        for name in (
            "r0",
            "beta",
            "latent_days",
            "infectious_days",
            "seed_exposed",
            "seed_infectious",
        ):
            rng = getattr(self, name)
            if rng is None:
                continue
            if len(rng) != 2 or not (0 <= rng[0] <= rng[1]) or not math.isfinite(rng[1]):
                raise ParameterError(
                    f"uncertainty.{name} must be a range (low, high), 0 <= low <= high, got {rng!r}"
                )
        for name in ("latent_days", "infectious_days"):
            rng = getattr(self, name)
            if rng is not None and rng[0] <= 0:
                raise ParameterError(f"uncertainty.{name} must be > 0")
