"""Stock depletion of medical supplies under scenario consumption (white paper 4.6).

Per product and location: ``stock(t+1) = stock(t) + deliveries(t) - use(t)`` with
``use = per_patient_day·patient_days(t) + per_staff_day·staff``. Import disruption: with
probability ``disruption_probability`` deliveries drop to ``reduced_share`` of normal for
``disruption_weeks`` weeks from ``disruption_start_day``; when ``resupply_day`` is given,
deliveries resume at full rate from then on. Each ensemble member draws its own disruption
(Monte Carlo, seed-reproducible); the output is days until stock-out per member and
location, summarised by quantiles.

Scenario JSON (``beredskap simulate supply scenario.json``)::

    {"days": 180, "members": 500, "seed": 1,
     "products": [{"name": "masks", "stock": {"0301": 50000, "4601": 20000},
                   "per_patient_day": 10, "patient_days": {"0301": 300, "4601": 120},
                   "per_staff_day": 2, "staff": {"0301": 2000, "4601": 900},
                   "daily_delivery": {"0301": 4000, "4601": 1500},
                   "disruption_probability": 0.3, "disruption_weeks": 6,
                   "disruption_start_day": 14, "reduced_share": 0.2,
                   "resupply_day": null}]}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ParameterError


@dataclass(frozen=True)
class Product:
    name: str
    stock: np.ndarray  # (locations,)
    per_patient_day: float
    patient_days: np.ndarray  # (locations,) or (days, locations)
    per_staff_day: float
    staff: np.ndarray
    daily_delivery: np.ndarray
    disruption_probability: float = 0.0
    disruption_weeks: float = 0.0
    disruption_start_day: int = 0
    reduced_share: float = 0.0
    resupply_day: int | None = None

    def __post_init__(self) -> None:
        for name in ("per_patient_day", "per_staff_day", "disruption_weeks"):
            if getattr(self, name) < 0:
                raise ParameterError(f"{self.name}: {name} must be >= 0")
        for name in ("disruption_probability", "reduced_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ParameterError(f"{self.name}: {name} must be within [0, 1]")
        for name in ("stock", "patient_days", "staff", "daily_delivery"):
            if np.any(np.asarray(getattr(self, name)) < 0):
                raise ParameterError(f"{self.name}: {name} must be >= 0")


def stock_paths(product: Product, days: int, members: int, seed: int) -> np.ndarray:
    """Stock per member, day and location (members, days, locations); negative = unmet."""
    if days < 1 or members < 1:
        raise ParameterError("days and members must be >= 1")
    rng = np.random.default_rng([seed, 5])
    locs = np.asarray(product.stock, dtype=float).size
    use = product.per_patient_day * np.broadcast_to(
        product.patient_days, (days, locs)
    ) + product.per_staff_day * np.broadcast_to(product.staff, (days, locs))
    t = np.arange(days)
    hit = rng.random(members) < product.disruption_probability
    end = product.disruption_start_day + 7 * product.disruption_weeks
    if product.resupply_day is not None:
        end = min(end, product.resupply_day)
    window = (t >= product.disruption_start_day) & (t < end)
    factor = np.where(hit[:, None] & window[None, :], product.reduced_share, 1.0)
    deliveries = factor[:, :, None] * np.asarray(product.daily_delivery, float)[None, None, :]
    net = deliveries - use[None]
    return np.asarray(product.stock, dtype=float)[None, None, :] + np.cumsum(net, axis=1)


def days_to_stockout(paths: np.ndarray) -> np.ndarray:
    """First day with stock < 0 per (member, location); inf when stock lasts."""
    out = paths < 0
    first = out.argmax(axis=1).astype(float)
    first[~out.any(axis=1)] = np.inf
    return first


def run_scenario(scenario: dict, codes: list[str] | None = None) -> dict:
    """Run the JSON scenario of the module docstring; returns a JSON-ready dict."""
    days = int(scenario.get("days", 180))
    members = int(scenario.get("members", 200))
    seed = int(scenario.get("seed", 0))
    results = []
    for spec in scenario.get("products", []):
        locations = sorted(spec["stock"])
        if codes is not None:
            unknown = [c for c in locations if c not in codes]
            if unknown:
                raise ParameterError(f"unknown municipality number(s): {', '.join(unknown)}")

        def vec(key, spec=spec, locations=locations):
            return np.array([float(spec.get(key, {}).get(c, 0.0)) for c in locations])

        product = Product(
            spec["name"],
            vec("stock"),
            float(spec.get("per_patient_day", 0)),
            vec("patient_days"),
            float(spec.get("per_staff_day", 0)),
            vec("staff"),
            vec("daily_delivery"),
            float(spec.get("disruption_probability", 0)),
            float(spec.get("disruption_weeks", 0)),
            int(spec.get("disruption_start_day", 0)),
            float(spec.get("reduced_share", 0)),
            spec.get("resupply_day"),
        )
        stockout = days_to_stockout(stock_paths(product, days, members, seed))
        for j, loc in enumerate(locations):
            col = stockout[:, j]
            finite = np.isfinite(col)
            results.append(
                {
                    "product": product.name,
                    "location": loc,
                    "probability_stockout": float(finite.mean()),
                    "days_to_stockout_p05": _q(col, 0.05),
                    "days_to_stockout_median": _q(col, 0.5),
                    "days_to_stockout_p95": _q(col, 0.95),
                }
            )
    return {"days": days, "members": members, "results": results}


def _q(x: np.ndarray, q: float) -> float | None:
    v = float(np.quantile(x, q))
    return None if not np.isfinite(v) else v
