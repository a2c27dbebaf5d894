"""A forecast from today for the crisis staff (white paper 2.2.1: modelling groups support the
crisis staff; 3.1: the crisis is run from one shared picture).

A finished run's ICU and ward occupancy of every ensemble member per health region is anchored at
the occupancy the bed reports show today (:mod:`beredskap.sim.forecast`); its fan over the next
weeks is compared with the staffed beds reported now, so the free capacity — not the total staffed
beds — is what the new demand is measured against. The run is read through ``visible_to(user)``:
a user who may not see it gets only that it exists.

Which day of the run is today: where the surveillance app has a weekly series of hospital
admissions (indicator :data:`ADMISSIONS_INDICATOR`) for the health region, its latest week
within :data:`OBSERVED_WITHIN` (as a daily mean) is matched to the run's median daily admissions
on the rising side of the wave; otherwise the run's calendar (its start date) decides, and
otherwise its first day. The page says which was used. This is an alignment, not a
calibration (see docs/modelling.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from beredskap.modelling.capacity import RHF_NAMES
from beredskap.modelling.exports import run_dates
from beredskap.modelling.models import RunStatus, SimulationRun
from beredskap.modelling.queries import run_results, runs

HORIZON_DAYS = 28
CHECKPOINTS = (7, 14, 21, 28)
ADMISSIONS_INDICATOR = "sykehusinnleggelser"
"""Key of the surveillance indicator with weekly hospital admissions per health region."""
OBSERVED_WITHIN = dt.timedelta(days=14)
KINDS = ("icu", "ward")


def run_summary(user: Any, run_id: int) -> dict[str, Any] | None:
    """What attaching a run needs to know, or None when the user may not see it."""
    run = runs(user).filter(pk=run_id).first()
    if run is None:
        return None
    return {
        "id": run.pk,
        "title": run.title,
        "status": run.status,
        "done": run.status == RunStatus.DONE,
        "is_exercise": run.is_exercise,
        "risk_area": run.risk_area,
        "classification": int(run.classification),
    }


def attachable_runs(user: Any, *, risk_area: str, is_exercise: bool) -> list[dict[str, Any]]:
    """Finished runs the user may see, of the crisis's risk area and exercise status."""
    rows = runs(user).filter(
        status=RunStatus.DONE, risk_area=risk_area, is_exercise=is_exercise, result__isnull=False
    )
    return [{"id": r.pk, "title": r.title, "finished_at": r.finished_at} for r in rows[:50]]


def observed_admissions(user: Any, code: str, today: dt.date) -> float | None:
    """Mean daily hospital admissions in the region's latest observed week, or None."""
    try:
        from beredskap.surveillance import queries as surveillance
    except ImportError:
        return None
    series = (
        surveillance.series(user)
        .filter(indicator__key=ADMISSIONS_INDICATOR, area_level="health_region", area_code=code)
        .first()
    )
    if series is None:
        return None
    latest = (
        surveillance.observations(user, series)
        .filter(period__lte=today, period__gte=today - OBSERVED_WITHIN)
        .order_by("-period", "-known_from")
        .first()
    )
    return None if latest is None else latest.value / 7.0


def _start(user: Any, run: SimulationRun, res: Any, today: dt.date, dates: list[dt.date]):
    """(day index taken as today, how) — one alignment for all regions of the run."""
    from beredskap.sim.forecast import aligned_start

    calendar = (today - dates[0]).days if dates else None
    adm = res.arrays.get("adm_rhf")
    names = res.group_names("rhf")
    observed = {c: observed_admissions(user, c, today) for c in RHF_NAMES if RHF_NAMES[c] in names}
    found = {c: v for c, v in observed.items() if v is not None}
    if adm is None or not found:
        return aligned_start(np.zeros(len(dates)), calendar_day=calendar)
    cols = [names.index(RHF_NAMES[c]) for c in found]
    level = adm[2][:, cols].sum(axis=1)
    return aligned_start(level, observed=sum(found.values()))


def _kind_row(paths: np.ndarray, occupied: int, staffed: int | None, dates: list[str]) -> dict:
    from beredskap.sim.forecast import fan

    f = fan(paths, float(staffed) if staffed is not None else None)
    series = f.series()
    peak = int(np.argmax(f.quantiles[2]))

    def date_of(day: float | int | None) -> str | None:
        return None if day is None else dates[min(int(round(day)), len(dates) - 1)]

    return {
        "occupied": occupied,
        "staffed": staffed,
        "free": None if staffed is None else staffed - occupied,
        "series": series,
        "checkpoints": [
            {"day": d, "date": dates[d], **{k: series[k][d] for k in series}}
            for d in CHECKPOINTS
            if d < len(dates)
        ],
        "peak_p50": series["p50"][peak],
        "peak_date": dates[peak],
        "probability": f.probability,
        "first_date": date_of(f.first_day_median),
        "first_likely_date": date_of(f.first_likely_day),
    }


def _region_paths(members: np.ndarray, cols: list[int], start: int, occupied: int) -> np.ndarray:
    from beredskap.sim.forecast import anchored_paths

    return anchored_paths(members[:, :, cols].sum(axis=2), start, HORIZON_DAYS, occupied)


def _columns(names: list[str], code: str) -> list[int]:
    """The run's health-region columns of a region code ("national": all of them)."""
    if code == "national":
        return list(range(len(names)))
    name = RHF_NAMES.get(code)
    return [names.index(name)] if name in names else []


def _region_row(
    code: str,
    cols: list[int],
    beds: dict[str, dict[str, int]],
    members: dict[str, np.ndarray],
    start: int,
    dates: list[str],
) -> dict[str, Any]:
    row: dict[str, Any] = {"code": code, "name": RHF_NAMES.get(code, "")}
    for kind in KINDS:
        reported = beds.get(kind)
        if reported is None:
            row[kind] = None
            continue
        paths = _region_paths(members[kind], cols, start, reported["occupied"])
        row[kind] = _kind_row(paths, reported["occupied"], reported.get("staffed"), dates)
    row["beds"] = [{"kind": kind, **row[kind]} for kind in KINDS if row.get(kind)]
    return row


def forecast_from_today(
    user: Any, run_id: int, state: dict[str, dict[str, dict[str, int]]], today: dt.date
) -> dict[str, Any]:
    """The fan per health region (and the whole country when ``state`` has "national") from
    today. ``state`` = {region code or "national": {"icu"|"ward": {"occupied", "staffed"}}}, the
    beds the caller read through her own visible set."""
    run = runs(user).filter(pk=run_id, status=RunStatus.DONE).first()
    if run is None:
        return {"run_id": run_id, "visible": False}
    res = run_results(run)
    icu = res.members("icu") if res is not None else None
    ward = res.members("hosp") if res is not None else None
    if res is None or icu is None or ward is None:
        return {"run_id": run.pk, "visible": True, "title": run.title, "usable": False}
    all_dates = run_dates(run, icu.shape[1])
    start, how = _start(user, run, res, today, all_dates)
    names = res.group_names("rhf")
    dates = [
        (today + dt.timedelta(days=i)).isoformat()
        for i in range(min(HORIZON_DAYS + 1, len(all_dates) - start))
    ]
    members = {"icu": icu, "ward": ward}
    regions = [
        _region_row(code, cols, beds, members, start, dates)
        for code, beds in state.items()
        if (cols := _columns(names, code))
    ]
    return {
        "run_id": run.pk,
        "visible": True,
        "usable": True,
        "title": run.title,
        "members": int(icu.shape[0]),
        "alignment": how,
        "run_day": start,
        "run_date": all_dates[start].isoformat() if all_dates else None,
        "dates": dates,
        "checkpoint_days": [d for d in CHECKPOINTS if d < len(dates)],
        "regions": regions,
    }
