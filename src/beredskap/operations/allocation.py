"""Allocation of offered resources to requests: a linear programme solved with HiGHS beside a
greedy baseline, so users see what the optimiser bought them.

Maximise Σ priority·x − λ·Σ distance·x over pairs (request, offer) of the same kind and item,
subject to Σ_o x[r,o] ≤ quantity_r, Σ_r x[r,o] ≤ remaining_o, and x[r,o] = 0 where the distance
exceeds the offer's stated willingness to travel (max_distance_km).

Reserve personnel (capacity app, white paper 3.1) are supply too. Persons with the same profession,
home health region, willingness to travel to other regions and stated competence are
interchangeable in this model, so they enter as one supply per such group with its head-count as
quantity — an exact reduction that keeps 100,000 persons a small LP — and the optimal flows are
handed out to named persons of the group afterwards. A person not willing to travel is only
matched with requests in their own health region.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

DISTANCE_WEIGHT = 0.001  # priority points per km per unit: distance breaks ties, priority rules


@dataclass(frozen=True)
class Need:
    key: Hashable
    kind: str
    item: str
    quantity: int
    priority: int
    lat: float
    lon: float
    region: str | None = None
    competence: str = ""


@dataclass(frozen=True)
class Supply:
    key: Hashable
    kind: str
    item: str
    quantity: int
    lat: float
    lon: float
    max_distance_km: float | None = None
    region: str | None = (
        None  # home health region of reserve personnel (None: an organisation's offer)
    )
    travels: bool = True  # willing to go to other health regions
    specialities: str | None = None  # stated competence of reserve personnel (None: not checked)


@dataclass(frozen=True)
class Reservist:
    """One person of the reserve registry, as the allocation sees them (no identity beyond the
    key)."""

    key: int
    profession: str
    region: str
    travels: bool
    specialities: str = ""


@dataclass
class Plan:
    flows: dict[tuple[Hashable, Hashable], int]
    objective: float
    fulfilment: float
    solve_seconds: float = 0.0  # HiGHS's own run time (model building excluded)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def pairs(needs: list[Need], supplies: list[Supply]) -> list[tuple[int, int, float]]:
    """Allowed (need index, supply index, km): same kind and item, within the offer's
    willingness."""
    by_item: dict[tuple[str, str], list[tuple[int, Supply]]] = {}
    for j, s in enumerate(supplies):
        by_item.setdefault((s.kind, s.item.lower()), []).append((j, s))
    found = []
    for i, n in enumerate(needs):
        wanted = n.competence.strip().lower()
        for j, s in by_item.get((n.kind, n.item.lower()), []):
            if s.region is not None and not s.travels and n.region != s.region:
                continue
            if wanted and s.specialities is not None and wanted not in s.specialities:
                continue
            d = km(n.lat, n.lon, s.lat, s.lon)
            if s.max_distance_km is None or d <= s.max_distance_km:
                found.append((i, j, d))
    return found


def reserve_supplies(
    people: Iterable[Reservist], centroids: dict[str, tuple[float, float]], kind: str = "personnel"
) -> tuple[list[Supply], dict[Hashable, list[int]]]:
    """Group interchangeable reserve persons into supplies located at their region's centroid;
    returns the supplies and, per supply key, the persons' keys (handed out in this order)."""
    groups: dict[tuple[str, str, bool, str], list[int]] = {}
    for p in people:
        groups.setdefault(
            (p.profession, p.region, p.travels, p.specialities.strip().lower()), []
        ).append(p.key)
    supplies: list[Supply] = []
    members: dict[Hashable, list[int]] = {}
    for index, ((profession, region, travels, specialities), keys) in enumerate(
        sorted(groups.items())
    ):
        if region not in centroids:
            continue
        lat, lon = centroids[region]
        key = ("reserve", index)
        supplies.append(
            Supply(
                key,
                kind,
                profession,
                len(keys),
                lat,
                lon,
                None,
                region=region,
                travels=travels,
                specialities=specialities,
            )
        )
        members[key] = keys
    return supplies, members


def hand_out(
    flows: dict[tuple[Hashable, Hashable], int], members: dict[Hashable, list[int]]
) -> dict[tuple[Hashable, Hashable], list[int]]:
    """Name the persons behind each reserve flow: each person goes to at most one request."""
    taken = {key: 0 for key in members}
    named: dict[tuple[Hashable, Hashable], list[int]] = {}
    for (nk, sk), q in sorted(flows.items(), key=lambda item: str(item[0])):
        if sk in members:
            start = taken[sk]
            named[(nk, sk)] = members[sk][start : start + q]
            taken[sk] = start + q
    return named


def value(
    needs: list[Need], supplies: list[Supply], flows: dict[tuple[Hashable, Hashable], int]
) -> tuple[float, float]:
    """Objective and fulfilment (share of requested units covered) of a plan."""
    by_key_n = {n.key: n for n in needs}
    by_key_s = {s.key: s for s in supplies}
    total = 0.0
    for (nk, sk), q in flows.items():
        n, s = by_key_n[nk], by_key_s[sk]
        total += q * (n.priority - DISTANCE_WEIGHT * km(n.lat, n.lon, s.lat, s.lon))
    requested = sum(n.quantity for n in needs) or 1
    return total, sum(flows.values()) / requested


def greedy(needs: list[Need], supplies: list[Supply]) -> Plan:
    """Baseline: highest priority first, nearest willing offer first."""
    left = {s.key: s.quantity for s in supplies}
    flows: dict[tuple[Hashable, Hashable], int] = {}
    candidates: dict[int, list[tuple[float, Supply]]] = {}
    for i, j, d in pairs(needs, supplies):
        candidates.setdefault(i, []).append((d, supplies[j]))
    for i in sorted(range(len(needs)), key=lambda k: -needs[k].priority):
        need = needs[i]
        want = need.quantity
        for _d, s in sorted(candidates.get(i, []), key=lambda t: t[0]):
            take = min(want, left[s.key])
            if take > 0:
                flows[(need.key, s.key)] = flows.get((need.key, s.key), 0) + take
                left[s.key] -= take
                want -= take
            if want == 0:
                break
    objective, fulfilment = value(needs, supplies, flows)
    return Plan(flows, objective, fulfilment)


def _add_rows(h: object, owner: np.ndarray, capacity: np.ndarray) -> None:
    """One row Σ x ≤ capacity per need (or supply) that has arcs, added in one CSR call."""
    order = np.argsort(owner, kind="stable")
    ids, starts = np.unique(owner[order], return_index=True)
    h.addRows(
        len(ids),
        np.zeros(len(ids)),
        capacity[ids],
        len(order),
        starts.astype(np.int32),
        order.astype(np.int32),
        np.ones(len(order)),
    )


def optimise(needs: list[Need], supplies: list[Supply]) -> Plan:
    """The LP optimum (integral: the constraint matrix is a transportation problem)."""
    import highspy

    arcs = pairs(needs, supplies)
    if not arcs:
        return Plan({}, 0.0, 0.0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n_arcs = len(arcs)
    cost = np.array([-(needs[i].priority - DISTANCE_WEIGHT * d) for i, _j, d in arcs], dtype=float)
    lower = np.zeros(n_arcs)
    upper = np.array(
        [min(needs[i].quantity, supplies[j].quantity) for i, j, _d in arcs], dtype=float
    )
    h.addVars(n_arcs, lower, upper)
    h.changeColsCost(n_arcs, np.arange(n_arcs, dtype=np.int32), cost)
    arc_i = np.fromiter((i for i, _j, _d in arcs), dtype=np.int64, count=n_arcs)
    arc_j = np.fromiter((j for _i, j, _d in arcs), dtype=np.int64, count=n_arcs)
    _add_rows(h, arc_i, np.array([float(n.quantity) for n in needs]))
    _add_rows(h, arc_j, np.array([float(s.quantity) for s in supplies]))
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    x = h.getSolution().col_value
    flows: dict[tuple[Hashable, Hashable], int] = {}
    for k, (i, j, _d) in enumerate(arcs):
        q = int(round(x[k]))
        if q > 0:
            flows[(needs[i].key, supplies[j].key)] = q
    objective, fulfilment = value(needs, supplies, flows)
    return Plan(flows, objective, fulfilment, seconds)
