"""Command line: ``beredskap surveillance detect`` (no Django), to check results against R.

Input CSV in long format ``series,t,date,observed[,population]`` (``t`` the 1-based period,
``date`` ISO and optional; with dates, reference weeks follow R's ``epochAsDate`` rule). Output
CSV ``series,t,date,observed,upperbound,alarm,expected,score``; an empty cell is R's NA.
Defaults are R's defaults of the method (``farringtonFlexible``, ``algo.farrington``, ``earsC``);
``--alpha`` defaults to 0.05 for the Farrington methods and to R's 0.001 (C1, C2) / 0.025 (C3).

Exit status: 0 success, 2 invalid input or parameters (message on stderr).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from dataclasses import dataclass

import numpy as np

from .detection import FlexibleParams, ears, farrington, farrington_flexible

METHODS = ("farrington-flexible", "farrington", "ears-c1", "ears-c2", "ears-c3")
THRESHOLDS = {"nbplugin": "nbPlugin", "muan": "muan", "delta": "delta"}


class InputError(ValueError):
    """Bad input file or parameter; the message is shown to the user unchanged."""


def _bool_pair(p, name: str, default: bool) -> None:
    dest = name.replace("-", "_")
    p.add_argument(f"--{name}", dest=dest, action="store_true", default=default)
    p.add_argument(f"--no-{name}", dest=dest, action="store_false")


def _limit54(text: str) -> tuple[int, int]:
    try:
        cases, period = (int(x) for x in text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError("--limit54 takes CASES,PERIOD, e.g. 5,4") from exc
    if cases < 0 or period <= 0:
        raise argparse.ArgumentTypeError("--limit54 needs cases >= 0 and period > 0")
    return cases, period


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="beredskap surveillance", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("detect", help="run a detection method over every series of a CSV file")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--method", required=True, choices=METHODS)
    p.add_argument("--b", type=int, default=5)
    p.add_argument("--w", type=int, default=3)
    p.add_argument("--alpha", type=float)
    _bool_pair(p, "reweight", True)
    p.add_argument("--weights-threshold", type=float, default=2.58)
    _bool_pair(p, "trend", True)
    p.add_argument("--p-threshold-trend", type=float, default=0.05)
    p.add_argument("--no-periods", type=int, default=1)
    p.add_argument("--past-weeks-not-included", type=int)
    p.add_argument("--threshold-method", choices=tuple(THRESHOLDS), default="delta")
    p.add_argument("--population-offset", action="store_true")
    p.add_argument("--limit54", type=_limit54, default=(5, 4))
    p.add_argument("--powertrans", choices=("2/3", "1/2", "none"), default="2/3")
    p.add_argument("--baseline", type=int, default=7)
    p.add_argument("--min-sigma", type=float, default=0.0)
    p.add_argument("--dispersion", choices=("r_compat", "corrected"), default="r_compat")
    p.add_argument("--from", dest="t_from", type=int)
    p.add_argument("--to", dest="t_to", type=int)
    return ap


@dataclass
class SeriesSet:
    """Series of the same length and dates, as a (series x periods) matrix."""

    names: list[str]
    observed: np.ndarray
    population: np.ndarray | None
    dates: list[dt.date] | None


def _number(text: str, what: str, line: int) -> float:
    text = text.strip()
    if text in ("", "NA"):
        return np.nan
    try:
        return float(text)
    except ValueError as exc:
        raise InputError(f"line {line}: {what} {text!r} is not a number") from exc


def _row(row: dict, line: int, has_pop: bool):
    try:
        t = int(row["t"])
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(f"line {line}: t must be a whole number") from exc
    date = None
    if (row.get("date") or "").strip():
        try:
            date = dt.date.fromisoformat(row["date"].strip())
        except ValueError as exc:
            raise InputError(f"line {line}: date {row['date']!r} is not ISO (YYYY-MM-DD)") from exc
    obs = _number(row.get("observed") or "", "observed", line)
    pop = _number(row.get("population") or "", "population", line) if has_pop else np.nan
    return t, date, obs, pop


def read_series(path: str) -> list[SeriesSet]:
    """Read the long CSV; every series must have periods 1..n without gaps."""
    by_series: dict[str, dict[int, tuple]] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        cols = set(reader.fieldnames or [])
        if not {"series", "t", "observed"} <= cols:
            raise InputError("the input needs the columns series,t,observed (date, population)")
        has_pop = "population" in cols
        for line, row in enumerate(reader, start=2):
            t, date, obs, pop = _row(row, line, has_pop)
            rows = by_series.setdefault(row["series"], {})
            if t in rows:
                raise InputError(f"line {line}: period t={t} of series {row['series']} twice")
            rows[t] = (date, obs, pop)
    groups: dict[tuple, list] = {}
    for name, rows in by_series.items():
        n = len(rows)
        if sorted(rows) != list(range(1, n + 1)):
            raise InputError(f"series {name}: t must run 1..{n} without gaps")
        dates = [rows[t][0] for t in range(1, n + 1)]
        key = (n, None if dates[0] is None else tuple(dates))
        groups.setdefault(key, []).append((name, rows))
    return [_set(key, members, has_pop) for key, members in groups.items()]


def _set(key, members, has_pop) -> SeriesSet:
    n, dates = key
    obs = np.array([[rows[t][1] for t in range(1, n + 1)] for _, rows in members])
    pop = np.array([[rows[t][2] for t in range(1, n + 1)] for _, rows in members])
    return SeriesSet(
        [m[0] for m in members],
        obs,
        pop if has_pop else None,
        None if dates is None else list(dates),
    )


def run_method(args, s: SeriesSet):
    """Dispatch to the detection module with the CLI's controls."""
    if args.method.startswith("ears-"):
        return ears(
            s.observed,
            method=args.method[-2:].upper(),
            baseline=args.baseline,
            min_sigma=args.min_sigma,
            alpha=args.alpha,
            t_from=args.t_from,
            t_to=args.t_to,
        )
    alpha = 0.05 if args.alpha is None else args.alpha
    if args.method == "farrington":
        return farrington(
            s.observed,
            b=args.b,
            w=args.w,
            alpha=alpha,
            reweight=args.reweight,
            trend=args.trend,
            limit54=args.limit54,
            powertrans=args.powertrans,
            dates=s.dates,
            t_from=args.t_from,
            t_to=args.t_to,
        )
    if args.population_offset and s.population is None:
        raise InputError("--population-offset needs a population column")
    prm = FlexibleParams(
        b=args.b,
        w=args.w,
        reweight=args.reweight,
        weights_threshold=args.weights_threshold,
        alpha=alpha,
        trend=args.trend,
        p_threshold_trend=args.p_threshold_trend,
        limit54=args.limit54,
        powertrans=args.powertrans,
        population_offset=args.population_offset,
        no_periods=args.no_periods,
        past_weeks_not_included=args.past_weeks_not_included,
        threshold_method=THRESHOLDS[args.threshold_method],
        dispersion=args.dispersion,
    )
    return farrington_flexible(
        s.observed,
        prm,
        dates=s.dates,
        population=s.population,
        t_from=args.t_from,
        t_to=args.t_to,
    )


def _fmt(x: float) -> str:
    return "" if np.isnan(x) else repr(float(x))


def _alarm(x: float) -> str:
    return "" if np.isnan(x) else str(int(x))


def write_results(path: str, sets: list[SeriesSet], results: list) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["series", "t", "date", "observed", "upperbound", "alarm", "expected", "score"])
        for s, res in zip(sets, results, strict=True):
            n = s.observed.shape[1]
            for i, name in enumerate(s.names):
                for j, t in enumerate(res.t):
                    if not 1 <= t <= n:
                        continue
                    date = "" if s.dates is None else s.dates[t - 1].isoformat()
                    w.writerow(
                        [
                            name,
                            int(t),
                            date,
                            _fmt(s.observed[i, t - 1]),
                            _fmt(res.upperbound[i, j]),
                            _alarm(res.alarm[i, j]),
                            _fmt(res.expected[i, j]),
                            _fmt(res.score[i, j]),
                        ]
                    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.w < 0 or args.b < 1:
            raise InputError("--b must be >= 1 and --w >= 0")
        sets = read_series(args.input)
        results = [run_method(args, s) for s in sets]
        write_results(args.output, sets, results)
    except (InputError, ValueError, OSError) as exc:
        print(f"beredskap surveillance: {exc}", file=sys.stderr)
        return 2
    return 0
