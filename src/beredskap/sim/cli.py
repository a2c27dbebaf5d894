"""Command line: ``beredskap simulate epidemic|demand|supply|personnel|water ...``.

``epidemic``
    All 357 municipalities with 2024 populations and SSB commuting (default), or one
    homogeneous node with ``--population N``. ``--deterministic`` runs the mean-field
    model; otherwise ``--members N --seed S`` runs the chain-binomial ensemble. Human
    output: national summary and an ICU bottleneck report per health region (RHF). Without
    ``--capacity-file`` the ICU capacity is
    :data:`beredskap.sim.regions.DEFAULT_ICU_BEDS_PER_100K` beds per 100,000 residents;
    a capacity file is a CSV with columns ``group,capacity`` (RHF names).
    ``--json`` prints national and per-node attack rate and peak day (0-based day).

``demand``, ``supply``, ``personnel``, ``water``
    Take a scenario JSON file; formats are documented in the module docstrings of
    :mod:`beredskap.sim.supply`, :mod:`beredskap.sim.personnel`, :mod:`beredskap.sim.water`
    and below for ``demand``::

        {"infections": [[...daily new infections per group...], ...],  (groups × days)
         "groups": ["Helse Vest", ...], "capacity": [60, ...],
         "ihr": 0.01, "icu_share": 0.15}

Exit status: 0 success, 2 invalid parameters (message on stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable

import numpy as np

from .errors import ParameterError


def _epidemic_parser(sub) -> None:
    p = sub.add_parser("epidemic", help="SEIR over municipalities coupled by commuting")
    p.add_argument("--population", type=int, help="one homogeneous node of this size")
    p.add_argument("--r0", type=float, default=2.0)
    p.add_argument("--beta", type=float, help="transmission rate per day (instead of --r0)")
    p.add_argument("--latent-days", type=float, default=3.0)
    p.add_argument("--infectious-days", type=float, default=5.0)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--seed-exposed", type=int, default=20)
    p.add_argument("--seed-infectious", type=int, default=20)
    p.add_argument("--seed-node", help="kommunenummer of the seeded municipality")
    p.add_argument("--deterministic", action="store_true")
    p.add_argument("--members", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int)
    p.add_argument("--capacity-file", help="CSV group,capacity (ICU beds per health region)")
    p.add_argument("--json", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="beredskap simulate", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    _epidemic_parser(sub)
    for name in ("demand", "supply", "personnel", "water"):
        p = sub.add_parser(name, help=f"{name} scenario from a JSON file")
        p.add_argument("scenario", help="scenario JSON file")
    return ap


def _network(args):
    from .network import load_ssb_commuting, lookup_codes, municipalities

    if args.population is not None:
        if args.seed_node not in (None, "0"):
            raise ParameterError("--seed-node needs the municipality network")
        return np.array([args.population]), None, ["0"], ["homogeneous"], None
    ms = municipalities()
    codes = [m.code for m in ms]
    node = int(lookup_codes([args.seed_node])[0]) if args.seed_node else None
    return (
        np.array([m.population for m in ms]),
        load_ssb_commuting(),
        codes,
        [m.name for m in ms],
        node,
    )


def _epidemic_params(args, node):
    from .params import EpidemicParams, Seeding

    rate = {"beta": args.beta} if args.beta is not None else {"r0": args.r0}
    return EpidemicParams(
        **rate,
        latent_days=args.latent_days,
        infectious_days=args.infectious_days,
        days=args.days,
        seeding=Seeding(args.seed_exposed, args.seed_infectious, node),
    )


def _read_capacity(path: str, names: list[str]) -> np.ndarray:
    with open(path, encoding="utf-8") as fh:
        rows = {r["group"].strip(): float(r["capacity"]) for r in csv.DictReader(fh)}
    unknown = sorted(set(rows) - set(names))
    if unknown:
        raise ParameterError(f"capacity file: unknown group(s) {', '.join(unknown)}")
    missing = [n for n in names if n not in rows]
    if missing:
        raise ParameterError(f"capacity file: missing group(s) {', '.join(missing)}")
    return np.array([rows[n] for n in names])


def _bottlenecks(infections, pop, args):
    from . import demand
    from .regions import default_icu_capacity, grouping

    if args.population is not None:
        index, names = np.zeros(1, dtype=np.int64), ["homogeneous"]
        cap = np.round(pop * 5.2 / 1e5)
    else:
        index, names = grouping("rhf")
        cap, _ = default_icu_capacity(pop)
    if args.capacity_file:
        cap = _read_capacity(args.capacity_file, names)
    icu = demand.aggregate(demand.hospital_demand(infections).icu_occupancy, index, len(names))
    return demand.bottleneck_report(icu, cap, names)


def run_epidemic(args) -> dict:
    from .epidemic import run_chain_binomial, run_deterministic, summarise

    pop, flows, codes, names, node = _network(args)
    params = _epidemic_params(args, node)
    if args.deterministic:
        inf = run_deterministic(pop, flows, params)
    else:
        inf = run_chain_binomial(
            pop, flows, params, members=args.members, seed=args.seed, workers=args.workers
        )
    s = summarise(inf, pop)
    return {
        "mode": "deterministic" if args.deterministic else "chain-binomial",
        "members": int(inf.shape[0]),
        "seed": None if args.deterministic else args.seed,
        "r0": params.basic_reproduction_number,
        "beta": params.transmission_rate,
        "days": params.days,
        **s.as_dict(),
        "nodes": [
            {
                "code": c,
                "name": n,
                "population": int(p),
                "attack_rate": float(a),
                "peak_day": float(d),
            }
            for c, n, p, a, d in zip(
                codes, names, pop, s.node_attack_rate, s.node_peak_day, strict=True
            )
        ],
        "bottlenecks": [b.as_dict() for b in _bottlenecks(inf, pop, args)],
    }


def _print_epidemic(res: dict) -> None:
    print(
        f"{res['mode']} SEIR, {res['members']} member(s), R0 {res['r0']:.2f} "
        f"(beta {res['beta']:.3f}/day), {res['days']} days"
    )
    print(
        f"national attack rate {res['attack_rate']:.3f} (sd {res['attack_rate_sd']:.3f}), "
        f"peak day {res['peak_day']:.1f} (sd {res['peak_day_sd']:.1f})"
    )
    print("ICU bottlenecks (occupancy vs capacity):")
    for b in res["bottlenecks"]:
        first = "-" if b["first_day_median"] is None else f"{b['first_day_median']:.0f}"
        print(
            f"  {b['group']:<20} capacity {b['capacity']:6.0f}  P(exceeded) "
            f"{b['probability']:.2f}  first day {first:>4}  median peak excess "
            f"{b['peak_excess_median']:7.1f}  patient-days over {b['patient_days_over_mean']:9.1f}"
        )


def run_demand(s: dict) -> dict:
    from . import demand

    inf = np.asarray(s["infections"], dtype=float).T[None]  # (1, days, groups)
    params = demand.DemandParams(
        ihr=float(s.get("ihr", 0.01)), icu_share=float(s.get("icu_share", 0.15))
    )
    hd = demand.hospital_demand(inf, params)
    report = demand.bottleneck_report(hd.icu_occupancy, s["capacity"], list(s["groups"]))
    return {
        "peak_icu_occupancy": hd.icu_occupancy[0].max(axis=0).tolist(),
        "peak_ward_occupancy": hd.occupancy[0].max(axis=0).tolist(),
        "bottlenecks": [b.as_dict() for b in report],
    }


def _scenario(args) -> dict:
    from . import personnel, supply, water

    with open(args.scenario, encoding="utf-8") as fh:
        scenario = json.load(fh)
    runners: dict[str, Callable[[dict], dict]] = {
        "demand": run_demand,
        "supply": supply.run_scenario,
        "personnel": personnel.run_scenario,
        "water": water.run_scenario,
    }
    return runners[args.command](scenario)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``beredskap simulate``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "epidemic":
            res = run_epidemic(args)
            if args.json:
                print(json.dumps(res, ensure_ascii=False))
            else:
                _print_epidemic(res)
            return 0
        print(json.dumps(_scenario(args), ensure_ascii=False, indent=2))
        return 0
    except (ParameterError, KeyError, OSError, json.JSONDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
