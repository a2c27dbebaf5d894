"""Emergency drinking water during loss of supply (white paper 4.6).

For the municipalities without piped water for ``days`` days::

    demand(day) = residents · litres_per_person_day
                  + institution_beds · litres_per_bed_day        (health institutions)
    shortfall   = max(0, demand - emergency capacity per day)

Defaults: 3 litres/person/day (minimum drinking water in crisis, the Norwegian
Institute of Public Health's emergency-water guidance) and 50 litres per bed-day for
hospitals and nursing homes (an assumption; set per scenario). The hydraulic network
(WNTR) part is not modelled.

Scenario JSON (``beredskap simulate water scenario.json``)::

    {"municipalities": ["4601", "4626"], "days": 4, "litres_per_person_day": 3,
     "litres_per_bed_day": 50, "institution_beds": {"4601": 1800},
     "capacity_litres_per_day": {"4601": 500000, "4626": 20000},
     "population": {"4626": 39000}}           (population defaults to SSB 2024)
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError


def emergency_water(
    population: np.ndarray,
    beds: np.ndarray,
    capacity: np.ndarray,
    days: int,
    litres_per_person_day: float = 3.0,
    litres_per_bed_day: float = 50.0,
) -> dict:
    """Daily demand, capacity and shortfall (litres) per municipality."""
    pop, beds, cap = (np.asarray(a, dtype=float) for a in (population, beds, capacity))
    if not (pop.shape == beds.shape == cap.shape):
        raise ParameterError("population, beds and capacity need one value per municipality")
    if np.any(pop < 0) or np.any(beds < 0) or np.any(cap < 0):
        raise ParameterError("population, beds and capacity must be >= 0")
    if days < 1 or litres_per_person_day < 0 or litres_per_bed_day < 0:
        raise ParameterError("days must be >= 1 and litres per day >= 0")
    demand = pop * litres_per_person_day + beds * litres_per_bed_day
    short = np.maximum(0.0, demand - cap)
    return {
        "demand_per_day": demand,
        "shortfall_per_day": short,
        "shortfall_total": short * days,
        "institution_demand_per_day": beds * litres_per_bed_day,
    }


def run_scenario(s: dict) -> dict:
    from .network import lookup_codes, municipalities

    codes = list(s["municipalities"])
    idx = lookup_codes(codes)
    known = municipalities()
    pop_override = s.get("population", {})
    pop = np.array(
        [float(pop_override.get(c, known[i].population)) for c, i in zip(codes, idx, strict=True)]
    )
    beds = np.array([float(s.get("institution_beds", {}).get(c, 0)) for c in codes])
    cap = np.array([float(s.get("capacity_litres_per_day", {}).get(c, 0)) for c in codes])
    r = emergency_water(
        pop,
        beds,
        cap,
        int(s.get("days", 3)),
        float(s.get("litres_per_person_day", 3.0)),
        float(s.get("litres_per_bed_day", 50.0)),
    )
    return {
        "days": int(s.get("days", 3)),
        "results": [
            {
                "municipality": c,
                "demand_litres_per_day": float(r["demand_per_day"][k]),
                "capacity_litres_per_day": float(cap[k]),
                "shortfall_litres_total": float(r["shortfall_total"][k]),
            }
            for k, c in enumerate(codes)
        ],
    }
