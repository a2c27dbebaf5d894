"""Shared view helpers: the level chooser (nation, region, county, organisation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from beredskap.core.models import County, HealthRegion


def level(request: HttpRequest) -> dict[str, Any]:
    region = request.GET.get("region") or None
    county = request.GET.get("county") or None
    regions = list(HealthRegion.objects.all())
    if region and region not in {r.code for r in regions}:
        region = None
    if county:
        found = County.objects.filter(number=county).select_related("health_region").first()
        county = found.number if found else None
        if found and not region:
            region = found.health_region.code
    return {"region": region, "county": county, "regions": regions, "counties": County.objects.all(),
            "region_name": next((r.name for r in regions if r.code == region), None)}
