"""The latest ICU forecast for other apps (used by the
crisis picture of operations, white paper 2.2.1: modelling groups support the crisis staff).

Only runs open to every signed-in user (UGRADERT and not exempt from public access) are
used, because the caller passes no user: a forecast must never leak a restricted run.
"""

from __future__ import annotations

import numpy as np

from beredskap.core.classification import Classification
from beredskap.modelling.capacity import RHF_NAMES
from beredskap.modelling.exports import run_dates
from beredskap.modelling.models import RunStatus, SimulationRun
from beredskap.modelling.queries import run_results


def _open_finished_runs(risk_area: str | None):
    runs = SimulationRun.objects.filter(
        status=RunStatus.DONE,
        classification=Classification.UGRADERT,
        exempt_public=False,
        result__isnull=False,
    )
    if risk_area:
        runs = runs.filter(risk_area=risk_area)
    return runs.order_by("-finished_at", "-id")


def latest_forecast(
    *, risk_area: str | None = None, health_region: str | None = None
) -> dict | None:
    """ICU occupancy forecast of the latest finished open run, or None.

    ``health_region`` is a code (H12, H03, H04, H05); without it the health regions are
    summed per quantile (an upper bound for p95 and a lower bound for p05 of the national
    total; the median is close for a national epidemic). ``capacity`` is the ICU capacity the
    run compared against, or None when it had none for that area.
    """
    if health_region is not None and health_region not in RHF_NAMES:
        return None
    run = _open_finished_runs(risk_area).first()
    if run is None:
        return None
    res = run_results(run)
    q, cap = res.occupancy("rhf", "icu"), res.capacity("rhf")
    if health_region is None:
        series, capacity = q.sum(axis=2), (None if cap is None else float(np.sum(cap)))
    else:
        g = res.group_names("rhf").index(RHF_NAMES[health_region])
        series, capacity = q[:, :, g], (None if cap is None else float(cap[g]))
    return {
        "run_id": run.pk,
        "days": [d.isoformat() for d in run_dates(run, q.shape[1])],
        "icu_p05": [round(float(v), 2) for v in series[0]],
        "icu_p50": [round(float(v), 2) for v in series[2]],
        "icu_p95": [round(float(v), 2) for v in series[4]],
        "capacity": None if capacity is None else int(round(capacity)),
    }
