"""Reads for emergency water: records per municipality with coverage and review age."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from beredskap.capacity.models import WaterSupply
from beredskap.capacity.models.water import REVIEW_INTERVAL_DAYS


def water_records(user: Any, *, county: str | None = None, health_region: str | None = None) -> QuerySet[WaterSupply]:
    qs = WaterSupply.objects.visible_to(user).select_related("municipality__county")
    if county:
        qs = qs.filter(municipality__county__number=county)
    if health_region:
        qs = qs.filter(municipality__county__health_region__code=health_region)
    return qs


def review_overdue(record: WaterSupply) -> bool:
    return record.reviewed_on < timezone.localdate() - timedelta(days=REVIEW_INTERVAL_DAYS)


def map_data(user: Any, **filters: Any) -> dict[str, dict]:
    """Per municipality number: coverage of need and days (for the map)."""
    return {r.municipality.number: {"name": r.municipality.short_name, "share": r.population_share_pct,
                                    "days": r.days, "coverage": round(r.coverage_ratio, 2),
                                    "overdue": review_overdue(r)}
            for r in water_records(user, **filters)}
