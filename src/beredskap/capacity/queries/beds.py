"""Reads for beds and ICU: the latest visible report per facility, and history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from beredskap.capacity.models import BedCount, BedReport, Facility

STALE_AFTER = timedelta(hours=24)  # daily reporting (SANER: once per day); older is stale


def facilities(*, health_region: str | None = None, organisation_ids: Any = None) -> QuerySet[Facility]:
    """The facility register (open to every signed-in user)."""
    qs = Facility.objects.filter(active=True).select_related("organisation__health_region", "municipality")
    if health_region:
        qs = qs.filter(organisation__health_region__code=health_region)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs


def visible_reports(user: Any) -> QuerySet[BedReport]:
    return BedReport.objects.visible_to(user)


def latest_reports(user: Any, *, health_region: str | None = None, organisation_ids: Any = None) -> QuerySet[BedReport]:
    """The newest report the user may see for each facility in scope."""
    visible = visible_reports(user)
    newest = visible.filter(facility_id=OuterRef("facility_id")).order_by("-reported_at", "-id").values("id")[:1]
    scope = facilities(health_region=health_region, organisation_ids=organisation_ids)
    return (visible.filter(facility__in=scope).filter(id=Subquery(newest))
            .select_related("facility__organisation__health_region"))


def is_stale(reported_at: datetime | None, now: datetime | None = None) -> bool:
    return reported_at is None or (now or timezone.now()) - reported_at > STALE_AFTER


@dataclass
class FacilityLine:
    facility: Facility
    report: BedReport | None
    counts: dict[str, BedCount] = field(default_factory=dict)

    @property
    def stale(self) -> bool:
        return is_stale(self.report.reported_at if self.report else None)

    @property
    def age(self) -> timedelta | None:
        return timezone.now() - self.report.reported_at if self.report else None


def facility_lines(user: Any, *, health_region: str | None = None, organisation_ids: Any = None) -> list[FacilityLine]:
    """Every facility in scope with its latest visible report (or none: missing)."""
    reports = {r.facility_id: r for r in latest_reports(user, health_region=health_region,
                                                         organisation_ids=organisation_ids)}
    counts: dict[int, dict[str, BedCount]] = defaultdict(dict)
    for count in BedCount.objects.filter(report_id__in=[r.pk for r in reports.values()]):
        counts[count.report_id][count.category] = count
    lines = []
    for facility in facilities(health_region=health_region, organisation_ids=organisation_ids):
        report = reports.get(facility.pk)
        lines.append(FacilityLine(facility, report, counts.get(report.pk, {}) if report else {}))
    return lines


def history(user: Any, *, facility: Facility | None = None, health_region: str | None = None,
            days: int = 30, categories: tuple[str, ...] = (), organisation_ids: Any = None) -> list[dict[str, Any]]:
    """Per day: staffed and occupied summed over the last report of each facility that day."""
    since = timezone.now() - timedelta(days=days)
    reports = visible_reports(user).filter(reported_at__gte=since)
    if facility is not None:
        reports = reports.filter(facility=facility)
    if health_region:
        reports = reports.filter(facility__organisation__health_region__code=health_region)
    if organisation_ids is not None:
        reports = reports.filter(facility__organisation_id__in=list(organisation_ids))
    last_of_day: dict[tuple[int, Any], int] = {}
    for pk, facility_id, day in (reports.annotate(day=TruncDate("reported_at"))
                                 .order_by("reported_at", "id").values_list("id", "facility_id", "day")):
        last_of_day[(facility_id, day)] = pk
    counts = BedCount.objects.filter(report_id__in=list(last_of_day.values()))
    if categories:
        counts = counts.filter(category__in=categories)
    rows = (counts.annotate(day=TruncDate("report__reported_at")).values("day")
            .annotate(staffed=Sum("staffed"), occupied=Sum("occupied"), available=Sum("available"))
            .order_by("day"))
    return [{"day": r["day"].isoformat(), "staffed": r["staffed"], "occupied": r["occupied"],
             "available": r["available"]} for r in rows]
