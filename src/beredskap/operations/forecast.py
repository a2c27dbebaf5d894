"""The crisis forecast in the picture and the briefing: the runs the crisis staff attached, each
started from today's reported beds (white paper 2.2.1: modelling groups support the crisis staff).

Per health region: ICU and ward occupancy now (the latest bed reports the viewer may see), the
fan (median, 50 % and 90 % bands) over the next weeks, the staffed and the free beds, and the
probability and date of exceeding staffed capacity. A viewer who may not see an attached run is
told that a forecast exists, not what it says.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from beredskap.core.models import HealthRegion
from beredskap.operations import integrations

ICU_PREFIX = "icu"
WARD = "ward"
NATIONAL = "national"


def _beds(lines: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    icu = [x for x in lines if x.get("category", "").startswith(ICU_PREFIX)]
    ward = [x for x in lines if x.get("category") == WARD]
    found = {}
    for kind, rows in (("icu", icu), ("ward", ward)):
        if rows:
            found[kind] = {
                "occupied": sum(int(x.get("occupied", 0)) for x in rows),
                "staffed": sum(int(x.get("staffed", 0)) for x in rows),
            }
    return found


def reported_state(user: Any, region: str | None) -> dict[str, dict[str, dict[str, int]]]:
    """Occupied and staffed ICU and ward beds now, per health region in view (and the whole
    country in the national view), from the latest bed reports the user may see."""
    codes = (
        [region]
        if region
        else list(HealthRegion.objects.order_by("code").values_list("code", flat=True))
    )
    state = {}
    for code in codes:
        lines, available = integrations.bed_picture(user, health_region=code)
        if not available:
            return {}
        state[code] = _beds(lines)
    if not region:
        state[NATIONAL] = _beds(integrations.bed_picture(user)[0])
    return state


def _charts(found: dict[str, Any]) -> None:
    """Each region's ICU fan as JSON for the picture's chart (dates, quantiles, staffed beds)."""
    for region in found.get("regions", []):
        icu = region.get("icu")
        region["icu_chart"] = (
            json.dumps({"dates": found["dates"], **icu["series"], "capacity": icu["staffed"]})
            if icu
            else None
        )


def _attachment(user: Any, row: Any, state: dict, today: Any) -> dict[str, Any]:
    found = integrations.forecast_from_today(user, row.run_id, state, today) or {
        "run_id": row.run_id,
        "visible": False,
    }
    _charts(found)
    found["attachment"] = {
        "id": row.pk,
        "version": row.version,
        "by": row.attached_by.username,
        "at": row.attached_at,
        "reason": row.reason if found.get("visible") else None,
    }
    return found


def crisis_forecasts(user: Any, crisis: Any, region: str | None = None) -> list[dict[str, Any]]:
    """The crisis's current forecasts from today for the region in view (None: national)."""
    rows = list(crisis.forecasts.filter(detached_at=None).select_related("attached_by"))
    if not rows:
        return []
    state = reported_state(user, region)
    today = timezone.localdate()
    return [_attachment(user, row, state, today) for row in rows]


def exceedances(forecasts: list[dict[str, Any]], threshold: float) -> list[dict[str, Any]]:
    """Regions whose ICU forecast exceeds staffed capacity with at least ``threshold``
    probability (what the picture lists as a bottleneck)."""
    found = []
    for f in forecasts:
        for region in f.get("regions", []):
            icu = region.get("icu")
            if icu and icu.get("probability") is not None and icu["probability"] >= threshold:
                found.append({"run_id": f["run_id"], "region": region, "icu": icu})
    return found
