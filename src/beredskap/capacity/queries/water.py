"""Reads for emergency water: records per municipality with coverage and review age."""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from beredskap.capacity.models import WaterSupply
from beredskap.capacity.models.water import REVIEW_INTERVAL_DAYS


def water_records(
    user: Any,
    *,
    county: str | None = None,
    health_region: str | None = None,
    organisation_ids: Any = None,
) -> QuerySet[WaterSupply]:
    """Visible records; at organisation level the organisation's own municipality and the
    municipalities it serves (a hospital trust's catchment area)."""
    qs = WaterSupply.objects.visible_to(user).select_related("municipality__county")
    if county:
        qs = qs.filter(municipality__county__number=county)
    if health_region:
        qs = qs.filter(municipality__county__health_region__code=health_region)
    if organisation_ids is not None:
        ids = list(organisation_ids)
        qs = qs.filter(Q(owner_org_id__in=ids) | Q(municipality__served_by__in=ids)).distinct()
    return qs


def review_overdue(record: WaterSupply) -> bool:
    return record.reviewed_on < timezone.localdate() - timedelta(days=REVIEW_INTERVAL_DAYS)


def map_data(user: Any, **filters: Any) -> dict[str, dict]:
    """Per municipality number: coverage of need and days (for the map)."""
    return {
        r.municipality.number: {
            "name": r.municipality.short_name,
            "share": r.population_share_pct,
            "days": r.days,
            "coverage": round(r.coverage_ratio, 2),
            "overdue": review_overdue(r),
        }
        for r in water_records(user, **filters)
    }


@cache
def _outlines() -> dict[str, dict]:
    """Municipality number → GeoJSON geometry (Kommuner-S.geojson, read once)."""
    path = Path(__file__).resolve().parents[2] / "reference_data" / "geo" / "Kommuner-S.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["kommunenummer"]: f["geometry"] for f in data["features"]}


def map_features(
    user: Any,
    *,
    county: str | None = None,
    health_region: str | None = None,
    organisation_ids: Any = None,
) -> dict[str, Any]:
    """A FeatureCollection of every municipality in scope with share, days and coverage."""
    from beredskap.core.models import Municipality

    records = map_data(
        user, county=county, health_region=health_region, organisation_ids=organisation_ids
    )
    municipalities = Municipality.objects.all()
    if county:
        municipalities = municipalities.filter(county__number=county)
    if health_region:
        municipalities = municipalities.filter(county__health_region__code=health_region)
    if organisation_ids is not None:
        municipalities = municipalities.filter(
            Q(organisation__in=list(organisation_ids)) | Q(served_by__in=list(organisation_ids))
        ).distinct()
    outlines, features = _outlines(), []
    for number, name in municipalities.values_list("number", "name"):
        if number not in outlines:
            continue
        record = records.get(number) or {}
        features.append(
            {
                "type": "Feature",
                "geometry": outlines[number],
                "properties": {
                    "number": number,
                    "name": name,
                    "share": record.get("share"),
                    "days": record.get("days"),
                    "coverage": record.get("coverage"),
                    "overdue": record.get("overdue", False),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
