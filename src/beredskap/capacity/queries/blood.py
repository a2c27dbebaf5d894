"""Reads for blood: latest inventory per blood bank, days of supply, donor counts."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from beredskap.capacity.models import BloodCount, BloodInventoryReport, EmergencyDonorCount

LOW_DAYS = 3  # fewer days of supply than this is flagged


def latest_inventories(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
):
    visible = BloodInventoryReport.objects.visible_to(user)
    newest = (
        visible.filter(owner_org_id=OuterRef("owner_org_id"), blood_bank=OuterRef("blood_bank"))
        .order_by("-reported_at", "-id")
        .values("id")[:1]
    )
    qs = visible.filter(id=Subquery(newest)).select_related("owner_org__health_region")
    if health_region:
        qs = qs.filter(owner_org__health_region__code=health_region)
    if organisation_ids is not None:
        qs = qs.filter(owner_org_id__in=list(organisation_ids))
    return qs


def supply_by_component(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
) -> list[dict]:
    """Units, daily use and days of supply per component and group, summed over banks."""
    totals: dict[tuple[str, str], dict[str, Any]] = {}
    for c in BloodCount.objects.filter(
        report__in=latest_inventories(
            user, health_region=health_region, organisation_ids=organisation_ids
        )
    ):
        slot = totals.setdefault(
            (c.component, c.group),
            {
                "component": c.get_component_display(),
                "group": c.group,
                "units": 0,
                "daily_use": 0.0,
            },
        )
        slot["units"] += c.units
        slot["daily_use"] += float(c.daily_use)
    for slot in totals.values():
        slot["days"] = round(slot["units"] / slot["daily_use"], 1) if slot["daily_use"] else None
        slot["low"] = slot["days"] is not None and slot["days"] < LOW_DAYS
    return [totals[k] for k in sorted(totals)]


def donor_counts(user: Any) -> list[dict]:
    """The newest visible donor count per health region."""
    visible = EmergencyDonorCount.objects.visible_to(user)
    newest = (
        visible.filter(health_region_id=OuterRef("health_region_id"))
        .order_by("-reported_at")
        .values("id")[:1]
    )
    return [
        {
            "health_region": d.health_region.code,
            "name": d.health_region.name,
            "donors": d.donors,
            "reported_at": d.reported_at,
        }
        for d in visible.filter(id=Subquery(newest))
        .select_related("health_region")
        .order_by("health_region__name")
    ]
