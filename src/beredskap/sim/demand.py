"""Infections → hospital and ICU admissions, occupancy, bottlenecks (white paper 4.6).

Method (discrete convolution, expected values per ensemble member)
    admissions(t) = ihr · Σ_d infections(t - d) · delay(d)
    occupancy(t)  = Σ_d admissions(t - d) · P(length of stay > d)
where ``delay`` is a probability mass function over whole days and the survival function
comes from a length-of-stay pmf. Patients are conserved: Σ admissions = ihr · Σ infections
(within the horizon) and Σ occupancy = Σ admissions · mean length of stay.

Nodes (municipalities) are aggregated to groups (hospital trust, health region, county)
with an index array; ensembles are reduced to quantiles per group and day. Capacity is
compared per group and day in :func:`bottleneck_report`; :func:`transfer_plan` moves
excess patients to free capacity within a travel limit with the HiGHS LP solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from .errors import ParameterError


def _pmf(values, name: str) -> np.ndarray:
    pmf = np.asarray(values, dtype=float)
    if pmf.ndim != 1 or pmf.size == 0 or np.any(pmf < 0) or not np.all(np.isfinite(pmf)):
        raise ParameterError(f"{name} must be a non-empty list of probabilities >= 0")
    if abs(pmf.sum() - 1.0) > 1e-6:
        raise ParameterError(f"{name} must sum to 1 (got {pmf.sum():.6f})")
    return pmf


def discretised_gamma(mean: float, sd: float, max_days: int = 60) -> np.ndarray:
    """Gamma distribution discretised to whole days 0..max_days (normalised pmf)."""
    from scipy.stats import gamma

    if mean <= 0 or sd <= 0:
        raise ParameterError("mean and sd of a delay distribution must be > 0")
    shape, scale = (mean / sd) ** 2, sd**2 / mean
    cdf = gamma.cdf(np.arange(max_days + 2) - 0.5, shape, scale=scale)
    cdf[0] = 0.0
    pmf = np.diff(cdf)
    return pmf / pmf.sum()


@dataclass(frozen=True)
class DemandParams:
    """Infection-hospitalisation ratio, delays and lengths of stay (pmfs over days)."""

    ihr: float = 0.01
    icu_share: float = 0.15
    admission_delay: tuple | np.ndarray = tuple(discretised_gamma(8.0, 3.0, 30))
    hospital_los: tuple | np.ndarray = tuple(discretised_gamma(6.0, 4.0, 40))
    icu_delay: tuple | np.ndarray = (0.3, 0.4, 0.2, 0.1)
    icu_los: tuple | np.ndarray = tuple(discretised_gamma(10.0, 7.0, 60))

    def __post_init__(self) -> None:
        for name in ("ihr", "icu_share"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ParameterError(f"{name} must be within [0, 1], got {v}")
        for name in ("admission_delay", "hospital_los", "icu_delay", "icu_los"):
            _pmf(getattr(self, name), name)


@njit(cache=True, parallel=True)
def _convolve_members(x, kernel, scale, out):
    """out[m, t, i] = scale[i] · Σ_d kernel[d] · x[m, t-d, i]; one member's block stays in
    cache, and ``out`` is written (not accumulated), so it needs no zeroing pass."""
    members, days, nodes = x.shape
    lags = min(kernel.size, days)
    for m in prange(members):
        for t in range(days):
            for i in range(nodes):
                out[m, t, i] = 0.0
            for d in range(min(lags, t + 1)):
                w = kernel[d]
                if w != 0.0:
                    for i in range(nodes):
                        out[m, t, i] += w * x[m, t - d, i]
            for i in range(nodes):
                out[m, t, i] *= scale[i]


def convolve_days(x: np.ndarray, kernel: np.ndarray, scale=1.0) -> np.ndarray:
    """Causal convolution along axis 1 (days) of (members, days, nodes...), truncated, times
    ``scale`` (a scalar, or one value per entry of the trailing axes).

    float32 input stays float32 (compact ensembles); anything else becomes float64.
    """
    x = np.asarray(x)
    dtype = np.float32 if x.dtype == np.float32 else np.float64
    x3 = np.ascontiguousarray(x.reshape(x.shape[0], x.shape[1], -1), dtype=dtype)
    factor = np.ascontiguousarray(
        np.broadcast_to(np.asarray(scale, dtype=dtype), x.shape[2:]).ravel()
    )
    out = np.empty_like(x3)
    _convolve_members(x3, np.asarray(kernel, dtype=dtype), factor, out)
    return out.reshape(x.shape)


def survival(los_pmf) -> np.ndarray:
    """P(length of stay > d) for d = 0, 1, ... (a patient admitted on day t is in bed on t)."""
    pmf = _pmf(los_pmf, "length of stay")
    return 1.0 - np.concatenate([[0.0], np.cumsum(pmf)[:-1]])


def admissions(infections: np.ndarray, ihr, delay_pmf) -> np.ndarray:
    """Expected admissions per day from daily infections (members, days, nodes)."""
    ihr_arr = np.asarray(ihr, dtype=float)
    if np.any(ihr_arr < 0) or np.any(ihr_arr > 1):
        raise ParameterError("ihr must be within [0, 1]")
    infections = np.asarray(infections)
    if (
        ihr_arr.ndim <= infections.ndim - 2
        and ihr_arr.shape == infections.shape[infections.ndim - ihr_arr.ndim :]
    ):
        return convolve_days(infections, _pmf(delay_pmf, "admission delay"), ihr_arr)
    conv = convolve_days(infections, _pmf(delay_pmf, "admission delay"))
    return conv * ihr_arr.astype(conv.dtype)


def occupancy(adm: np.ndarray, los_pmf) -> np.ndarray:
    """Beds occupied per day from admissions per day."""
    return convolve_days(adm, survival(los_pmf))


@dataclass
class HospitalDemand:
    admissions: np.ndarray
    occupancy: np.ndarray
    icu_admissions: np.ndarray
    icu_occupancy: np.ndarray


def hospital_demand(
    infections: np.ndarray, params: DemandParams | None = None, dtype=np.float32
) -> HospitalDemand:
    """Ward and ICU admissions/occupancy for an ensemble (members, days, nodes)."""
    p = params or DemandParams()
    inf = np.asarray(infections).astype(dtype, copy=False)
    adm = admissions(inf, p.ihr, p.admission_delay).astype(dtype, copy=False)
    icu_adm = admissions(adm, p.icu_share, p.icu_delay).astype(dtype, copy=False)
    return HospitalDemand(
        adm, occupancy(adm, p.hospital_los), icu_adm, occupancy(icu_adm, p.icu_los)
    )


def aggregate(x: np.ndarray, mapping: np.ndarray, groups: int | None = None) -> np.ndarray:
    """Sum the node axis (last) into groups: ``mapping[node]`` = group index."""
    mapping = np.asarray(mapping)
    if mapping.ndim != 1 or mapping.size != x.shape[-1]:
        raise ParameterError("mapping needs one group index per node")
    if mapping.size and mapping.min() < 0:
        raise ParameterError("group indices must be >= 0")
    g = int(groups if groups is not None else mapping.max() + 1)
    onehot = np.zeros((mapping.size, g), dtype=x.dtype if x.dtype.kind == "f" else float)
    onehot[np.arange(mapping.size), mapping] = 1.0
    return x @ onehot


def quantiles(x: np.ndarray, qs=(0.05, 0.25, 0.5, 0.75, 0.95)) -> np.ndarray:
    """Compact ensemble summary: (len(qs), days, nodes/groups) float64 quantiles over members
    (the values of ``np.quantile(x, qs, axis=0)``, from one multi-threaded sort)."""
    from .ensemble import member_quantiles

    return member_quantiles(x, qs)


@dataclass
class Bottleneck:
    """Where and when demand exceeds capacity across an ensemble."""

    group: str
    probability: float  # share of members with any day over capacity
    first_day_median: float | None
    peak_excess_median: float
    peak_excess_p95: float
    patient_days_over_mean: float
    capacity: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def bottleneck_report(occ: np.ndarray, capacity, names: list[str]) -> list[Bottleneck]:
    """Compare occupancy (members, days, groups) with capacity (groups,) or (days, groups)."""
    cap = np.asarray(capacity, dtype=float)
    if cap.shape[-1] != occ.shape[-1] or np.any(cap < 0):
        raise ParameterError("capacity needs one value >= 0 per group")
    if len(names) != occ.shape[-1]:
        raise ParameterError("names need one entry per group")
    excess = occ - cap
    over = excess > 0
    any_over = over.any(axis=1)  # (members, groups)
    first = np.where(any_over, over.argmax(axis=1), -1)
    peak = np.maximum(excess.max(axis=1), 0.0)
    pdays = np.where(over, excess, 0.0).sum(axis=1)
    out = []
    for g, name in enumerate(names):
        hit = first[:, g] >= 0
        out.append(
            Bottleneck(
                name,
                float(any_over[:, g].mean()),
                float(np.median(first[hit, g])) if hit.any() else None,
                float(np.median(peak[:, g])),
                float(np.quantile(peak[:, g], 0.95)),
                float(pdays[:, g].mean()),
                float(np.atleast_1d(cap.reshape(-1, cap.shape[-1])[0])[g]),
            )
        )
    return sorted(out, key=lambda b: (-b.probability, -b.patient_days_over_mean))


def transfer_plan(demand, capacity, travel, max_travel: float) -> dict:
    """Move excess patients to free capacity within ``max_travel`` (LP solved by HiGHS).

    Maximises patients moved minus 1e-6 × travel: variables x_ij >= 0 for pairs with
    travel_ij <= max_travel; Σ_j x_ij <= excess_i, Σ_i x_ij <= free_j.
    Returns {"moves": [(i, j, patients)], "unplaced": array}.
    """
    import highspy

    d = np.asarray(demand, dtype=float)
    c = np.asarray(capacity, dtype=float)
    t = np.asarray(travel, dtype=float)
    if d.shape != c.shape or t.shape != (d.size, d.size):
        raise ParameterError("demand, capacity and travel matrix sizes disagree")
    excess, free = np.maximum(d - c, 0), np.maximum(c - d, 0)
    pairs = [
        (i, j)
        for i in np.flatnonzero(excess)
        for j in np.flatnonzero(free)
        if i != j and t[i, j] <= max_travel
    ]
    if not pairs:
        return {"moves": [], "unplaced": excess}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    xs = [h.addVariable(lb=0.0, obj=-1.0 + 1e-6 * t[i, j]) for i, j in pairs]
    for i in {i for i, _ in pairs}:
        h.addConstr(sum(x for x, (a, _) in zip(xs, pairs, strict=True) if a == i) <= excess[i])
    for j in {j for _, j in pairs}:
        h.addConstr(sum(x for x, (_, b) in zip(xs, pairs, strict=True) if b == j) <= free[j])
    h.run()
    values = np.asarray(h.getSolution().col_value)
    moves = [
        (int(i), int(j), float(v)) for (i, j), v in zip(pairs, values, strict=True) if v > 1e-9
    ]
    unplaced = excess.copy()
    for i, _j, v in moves:
        unplaced[i] -= v
    return {"moves": moves, "unplaced": np.maximum(unplaced, 0)}
