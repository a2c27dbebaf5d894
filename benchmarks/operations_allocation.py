"""Operations benchmark: allocation of 100,000 reserve persons and organisations' offers
to 5,000 resource requests — HiGHS solve time and the fulfilment ratio optimiser/greedy.

The problem is built by the same code the proposal service uses (`operations.allocation`):
reserve persons are grouped exactly by profession, home health region, willingness to travel
and stated competence; requests may ask for a competence; persons not willing to travel are only
matched within their own region; offers carry a maximum travel distance. Persons, requests and
offers are drawn at random (fixed seed) over the real municipalities (population-weighted), so
shortages are regional — which is where the optimiser beats nearest-first greedy.

Run: .venv/bin/python benchmarks/operations_allocation.py [--quick] [--persons N] [--requests N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from beredskap.operations import allocation  # noqa: E402  (pure module: no Django needed)

PROFESSIONS = {
    "icu_nurse": 0.12,
    "anaesthetic_nurse": 0.06,
    "anaesthetist": 0.03,
    "physician": 0.14,
    "nurse": 0.35,
    "bioengineer": 0.05,
    "paramedic": 0.07,
    "health_worker": 0.18,
}
SPECIALITIES = ["", "", "", "ecmo", "paediatrics", "infection", "dialysis"]


def municipalities() -> list[tuple[str, str, int, float, float]]:
    """(number, health region, population, lat, lon) from the shipped reference data."""
    import csv
    from importlib import resources

    def read_csv(name: str) -> list[dict[str, str]]:
        text = (
            resources.files("beredskap.reference_data").joinpath(name).read_text(encoding="utf-8")
        )
        return list(csv.DictReader(text.splitlines()))

    region_of = {
        county: row["code"]
        for row in read_csv("health_regions.csv")
        for county in row["counties"].split(";")
    }
    return [
        (
            r["kommunenummer"],
            region_of[r["fylkesnummer"]],
            int(r["population"]),
            float(r["lat"]),
            float(r["lon"]),
        )
        for r in read_csv("kommuner_2024.csv")
    ]


def centroids(places: list[tuple[str, str, int, float, float]]) -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = {}
    for _n, region, pop, lat, lon in places:
        s = sums.setdefault(region, [0.0, 0.0, 0.0])
        s[0] += pop
        s[1] += pop * lat
        s[2] += pop * lon
    return {r: (s[1] / s[0], s[2] / s[0]) for r, s in sums.items()}


def instance(persons: int, requests: int, offers: int, seed: int = 7):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    places = municipalities()
    weights = [p[2] for p in places]
    professions, shares = list(PROFESSIONS), list(PROFESSIONS.values())
    # the reserve lives where people live; the need is concentrated (the epidemic hits the north
    # first)
    people = []
    for key in range(persons):
        place = rng.choices(places, weights)[0]
        people.append(
            allocation.Reservist(
                key,
                rng.choices(professions, shares)[0],
                place[1],
                rng.random() < 0.3,
                rng.choice(SPECIALITIES),
            )
        )
    need_weights = [
        w * (6 if p[1] == "H05" else 3 if p[1] == "H04" else 1)
        for p, w in zip(places, weights, strict=True)
    ]
    needs = []
    for key in range(requests):
        place = rng.choices(places, need_weights)[0]
        needs.append(
            allocation.Need(
                key,
                "personnel",
                rng.choices(professions, shares)[0],
                rng.randint(1, 30),
                rng.randint(1, 5),
                place[3],
                place[4],
                region=place[1],
                competence=rng.choice(["", "", "", "", "ecmo", "infection"]),
            )
        )
    supplies = []
    for key in range(offers):
        place = rng.choices(places, weights)[0]
        supplies.append(
            allocation.Supply(
                ("offer", key),
                "personnel",
                rng.choices(professions, shares)[0],
                rng.randint(1, 20),
                place[3],
                place[4],
                rng.choice([None, 100, 300, 800]),
            )
        )
    return people, needs, supplies, centroids(places)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 persons, 500 requests")
    parser.add_argument("--persons", type=int)
    parser.add_argument("--requests", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    persons = args.persons or (10_000 if args.quick else 100_000)
    requests = args.requests or (500 if args.quick else 5_000)
    offers = max(10, requests // 10)
    start = time.perf_counter()
    people, needs, offered, where = instance(persons, requests, offers)
    built = time.perf_counter() - start

    start = time.perf_counter()
    groups, members = allocation.reserve_supplies(people, where)
    supplies = offered + groups
    arcs = allocation.pairs(needs, supplies)
    reduce_s = time.perf_counter() - start

    solve, highs, greedy_times = [], [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        best = allocation.optimise(needs, supplies)
        solve.append(time.perf_counter() - start)
        highs.append(best.solve_seconds)
        start = time.perf_counter()
        base = allocation.greedy(needs, supplies)
        greedy_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    named = allocation.hand_out(best.flows, members)
    hand_s = time.perf_counter() - start

    # sanity: nobody twice, nobody who stays home sent out of region, availability respected
    used = [k for ks in named.values() for k in ks]
    person = {p.key: p for p in people}
    need = {n.key: n for n in needs}
    assert len(used) == len(set(used))
    assert all(
        person[k].travels or person[k].region == need[nk].region
        for (nk, _s), ks in named.items()
        for k in ks
    )
    requested = sum(n.quantity for n in needs)
    print(
        f"instance: {persons:,} reserve persons → {len(groups):,} exact groups, {offers:,} offers, "
        f"{requests:,} requests ({requested:,} persons asked for), {len(arcs):,} allowed arcs "
        f"(built {built:.1f} s, grouped + arcs {reduce_s:.2f} s)"
    )
    print(
        f"HiGHS solve:   best {min(highs):.2f} s (median {statistics.median(highs):.2f} s); with "
        f"arcs and model build best {min(solve):.2f} s; greedy best {min(greedy_times):.2f} s "
        f"(ratio {min(solve) / min(greedy_times):.1f}x); naming persons {hand_s * 1000:.0f} ms"
    )
    print(
        f"fulfilment:    optimiser {best.fulfilment:.1%}   greedy {base.fulfilment:.1%}   "
        f"ratio optimiser/greedy {best.fulfilment / base.fulfilment:.3f}"
    )
    print(
        f"objective:     optimiser {best.objective:,.0f}   greedy {base.objective:,.0f}   "
        f"ratio {best.objective / base.objective:.3f} (priority-weighted units, minus travel)"
    )
    print(
        f"reserve used:  {len(used):,} named persons; offers used: "
        f"{sum(q for (_n, s), q in best.flows.items() if s not in members):,} units"
    )


if __name__ == "__main__":
    main()
