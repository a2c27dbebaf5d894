"""Reads for personnel: counts per organisation and the reserve registry.

Counts are open to signed-in users; individuals' details only to coordinators with need
to know (own region, plus volunteers elsewhere who are willing to travel), and every read
of a person's record is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from beredskap.capacity.models import PersonnelCount, PersonnelReport, ReserveVolunteer
from beredskap.capacity.models.personnel import RETENTION, Availability, Profession
from beredskap.capacity.permissions import coordinator_regions


def _current(on: date | None = None) -> Q:
    on = on or timezone.localdate()
    return (
        Q(availability=Availability.AVAILABLE, confirmed_at__gte=timezone.now() - RETENTION)
        & (Q(available_from__isnull=True) | Q(available_from__lte=on))
        & (Q(available_until__isnull=True) | Q(available_until__gte=on))
    )


def reserve_counts(
    user: Any, *, health_region: str | None = None, profession: str | None = None
) -> list[dict]:
    """Available volunteers per profession and region: numbers only."""
    if not getattr(user, "is_authenticated", False):
        return []
    qs = ReserveVolunteer.objects.filter(_current())
    if health_region:
        qs = qs.filter(health_region__code=health_region)
    if profession:
        qs = qs.filter(profession=profession)
    rows = (
        qs.values("profession", "health_region__code")
        .annotate(n=Count("id"))
        .order_by("profession", "health_region__code")
    )
    labels = dict(Profession.choices)
    return [
        {
            "profession": r["profession"],
            "label": str(labels.get(r["profession"], r["profession"])),
            "available": r["n"],
            "health_region": r["health_region__code"],
        }
        for r in rows
    ]


def reserve_search(
    user: Any,
    *,
    profession: str | None = None,
    competence: str | None = None,
    health_region: str | None = None,
    available_on: date | None = None,
    only_available: bool = True,
) -> QuerySet[ReserveVolunteer]:
    """Coordinators search the registry; nobody else sees anyone."""
    regions = coordinator_regions(user)
    qs = ReserveVolunteer.objects.select_related("health_region", "user")
    if regions == set():
        return qs.none()
    if regions is not None:
        qs = qs.filter(Q(health_region__code__in=regions) | Q(willing_to_travel=True))
    if only_available:
        qs = qs.filter(_current(available_on))
    if profession:
        qs = qs.filter(profession=profession)
    if competence:
        qs = qs.filter(specialities__icontains=competence)
    if health_region:
        qs = qs.filter(health_region__code=health_region)
    return qs


def personnel_reports(user: Any) -> QuerySet[PersonnelReport]:
    return PersonnelReport.objects.visible_to(user).select_related("owner_org")


def latest_personnel(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
) -> list[dict]:
    """Totals by profession over each organisation's latest visible report."""
    visible = personnel_reports(user)
    newest = (
        visible.filter(owner_org_id=OuterRef("owner_org_id"))
        .order_by("-reported_at", "-id")
        .values("id")[:1]
    )
    latest = visible.filter(id=Subquery(newest))
    if health_region:
        latest = latest.filter(owner_org__health_region__code=health_region)
    if organisation_ids is not None:
        latest = latest.filter(owner_org_id__in=list(organisation_ids))
    totals: dict[str, dict[str, Any]] = {}
    for c in PersonnelCount.objects.filter(report__in=latest):
        slot = totals.setdefault(
            c.profession,
            {
                "profession": c.profession,
                "label": c.get_profession_display(),
                "count": 0,
                "absent": 0,
            },
        )
        slot["count"] += c.count
        slot["absent"] += c.absent
    for slot in totals.values():
        slot["absence_rate"] = round(slot["absent"] / slot["count"], 3) if slot["count"] else 0.0
    return sorted(totals.values(), key=lambda s: s["label"])
