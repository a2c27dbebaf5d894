"""Builders for capacity tests (reference data is real; these only add capacity records)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from beredskap.capacity.models import Facility, FacilityKind
from beredskap.capacity.services import beds


def make_facility(org: Any, name: str = "", kind: str = FacilityKind.HOSPITAL) -> Facility:
    return Facility.objects.create(
        name=name or f"{org.name} sykehus",
        code=(name or org.name)[:40]
        .lower()
        .replace(" ", "-")
        .replace("ø", "o")
        .replace("å", "a")
        .replace("æ", "ae"),
        kind=kind,
        organisation=org,
    )


def icu_counts(
    staffed: int = 10, occupied: int = 6, available: int = 4, surge_24h: int = 2, surge_72h: int = 4
) -> list[dict]:
    return [
        {
            "category": "icu_vent",
            "staffed": staffed,
            "occupied": occupied,
            "available": available,
            "surge_24h": surge_24h,
            "surge_72h": surge_72h,
        }
    ]


def report(
    by: Any,
    facility: Facility,
    *,
    hours_ago: float = 1,
    counts: list[dict] | None = None,
    **kw: Any,
):
    return beds.submit_bed_report(
        by=by,
        facility=facility,
        reported_at=timezone.now() - timedelta(hours=hours_ago),
        counts=counts or icu_counts(),
        **kw,
    )
