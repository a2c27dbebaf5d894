"""Health personnel absence driven by the epidemic curve (white paper 4.6).

Absent share of staff on day t (same for every profession unless ``rates`` differ)::

    ill(t)  = symptomatic_share · Σ_{d < sick_days} incidence(t - d) / population
    care(t) = care_factor · ill(t)     (staff at home caring for ill children/relatives)
    absent  = staff · min(1, ill + care)

Shortfall = max(0, required - (staff - absent)) per region, profession and day.

Scenario JSON (``beredskap simulate personnel scenario.json``)::

    {"regions": ["Helse Sør-Øst", "Helse Vest"], "professions": ["nurse", "doctor"],
     "staff": [[30000, 9000], [11000, 3500]], "required": [[28000, 8500], [10500, 3300]],
     "population": [3158163, 1150716], "incidence": [[...per day...], [...]],
     "sick_days": 5, "symptomatic_share": 0.6, "care_factor": 0.3}

``incidence`` is daily new infections per region (regions × days), e.g. from
``beredskap simulate epidemic --json`` aggregated by health region.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError


def absence_share(
    incidence: np.ndarray,
    population: np.ndarray,
    sick_days: int = 5,
    symptomatic_share: float = 0.6,
    care_factor: float = 0.3,
) -> np.ndarray:
    """Absent share (regions, days) from daily incidence (regions, days)."""
    inc = np.asarray(incidence, dtype=float)
    pop = np.asarray(population, dtype=float)
    if inc.ndim != 2 or pop.shape != (inc.shape[0],):
        raise ParameterError("incidence must be (regions, days) and population (regions,)")
    if np.any(inc < 0) or np.any(pop <= 0):
        raise ParameterError("incidence must be >= 0 and population > 0")
    if sick_days < 1 or not 0 <= symptomatic_share <= 1 or care_factor < 0:
        raise ParameterError("sick_days >= 1, symptomatic_share in [0, 1], care_factor >= 0")
    csum = np.cumsum(inc, axis=1)
    lagged = np.zeros_like(csum)
    lagged[:, sick_days:] = csum[:, :-sick_days]
    ill = symptomatic_share * (csum - lagged) / pop[:, None]
    return np.minimum(1.0, ill * (1.0 + care_factor))


def shortfall(staff: np.ndarray, required: np.ndarray, absent: np.ndarray) -> np.ndarray:
    """Missing staff (regions, professions, days)."""
    staff = np.asarray(staff, dtype=float)
    required = np.asarray(required, dtype=float)
    if staff.shape != required.shape or staff.shape[0] != absent.shape[0]:
        raise ParameterError("staff and required must be (regions, professions)")
    if np.any(staff < 0) or np.any(required < 0):
        raise ParameterError("staff and required must be >= 0")
    available = staff[:, :, None] * (1.0 - absent[:, None, :])
    return np.maximum(0.0, required[:, :, None] - available)


def run_scenario(s: dict) -> dict:
    absent = absence_share(
        np.array(s["incidence"]),
        np.array(s["population"]),
        int(s.get("sick_days", 5)),
        float(s.get("symptomatic_share", 0.6)),
        float(s.get("care_factor", 0.3)),
    )
    short = shortfall(np.array(s["staff"]), np.array(s["required"]), absent)
    out = []
    for r, region in enumerate(s["regions"]):
        for p, prof in enumerate(s["professions"]):
            series = short[r, p]
            out.append(
                {
                    "region": region,
                    "profession": prof,
                    "peak_shortfall": float(series.max()),
                    "peak_day": int(series.argmax()),
                    "days_short": int((series > 0).sum()),
                }
            )
    return {"max_absent_share": float(absent.max()), "results": out}
