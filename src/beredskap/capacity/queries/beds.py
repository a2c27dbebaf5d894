"""Reads for beds and ICU: the latest visible report per facility, and history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from beredskap.capacity.models import BedCount, BedReport, Facility

STALE_AFTER = timedelta(hours=24)  # daily reporting (SANER: once per day); older is stale


def facilities(
    *, health_region: str | None = None, organisation_ids: Any = None
) -> QuerySet[Facility]:
    """The facility register (open to every signed-in user)."""
    qs = Facility.objects.filter(active=True).select_related(
        "organisation__health_region", "municipality"
    )
    if health_region:
        qs = qs.filter(organisation__health_region__code=health_region)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    return qs


def visible_reports(user: Any) -> QuerySet[BedReport]:
    return BedReport.objects.visible_to(user)


def latest_reports(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
) -> QuerySet[BedReport]:
    """The newest report the user may see for each facility in scope."""
    visible = visible_reports(user)
    newest = (
        visible.filter(facility_id=OuterRef("facility_id"))
        .order_by("-reported_at", "-id")
        .values("id")[:1]
    )
    scope = facilities(health_region=health_region, organisation_ids=organisation_ids)
    return (
        visible.filter(facility__in=scope)
        .filter(id=Subquery(newest))
        .select_related("facility__organisation__health_region")
    )


def is_stale(reported_at: datetime | None, now: datetime | None = None) -> bool:
    return reported_at is None or (now or timezone.now()) - reported_at > STALE_AFTER


@dataclass
class FacilityLine:
    facility: Facility
    report: BedReport | None
    counts: dict[str, BedCount] = field(default_factory=dict)
    carried: dict[str, datetime] = field(default_factory=dict)

    def counted_at(self, category: str) -> datetime | None:
        """When the figure of a category was reported: an older report's for a carried one."""
        if category in self.carried:
            return self.carried[category]
        return self.report.reported_at if self.report else None

    @property
    def stale(self) -> bool:
        return is_stale(self.report.reported_at if self.report else None)

    @property
    def age(self) -> timedelta | None:
        return timezone.now() - self.report.reported_at if self.report else None


def facility_lines(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
) -> list[FacilityLine]:
    """Every facility in scope with its latest visible report (or none: missing). A category
    the latest report leaves out keeps its last reported figure, marked with that report's
    time (`carried`), so a partial report never turns the category into zero in the totals."""
    reports = {
        r.facility_id: r
        for r in latest_reports(
            user, health_region=health_region, organisation_ids=organisation_ids
        )
    }
    counts: dict[int, dict[str, BedCount]] = defaultdict(dict)
    carried: dict[int, dict[str, datetime]] = defaultdict(dict)
    for count in _latest_counts(user, list(reports)):
        facility_id = count.report.facility_id
        counts[facility_id][count.category] = count
        if count.report_id != reports[facility_id].pk:
            carried[facility_id][count.category] = count.report.reported_at
    lines = []
    for facility in facilities(health_region=health_region, organisation_ids=organisation_ids):
        report = reports.get(facility.pk)
        lines.append(
            FacilityLine(
                facility,
                report,
                counts.get(facility.pk, {}) if report else {},
                carried.get(facility.pk, {}) if report else {},
            )
        )
    return lines


def _latest_counts(user: Any, facility_ids: list[int]) -> QuerySet[BedCount]:
    """Per facility and category, the count of the newest visible report that has it."""
    visible = visible_reports(user)
    newest = (
        BedCount.objects.filter(
            report__in=visible,
            report__facility_id=OuterRef("report__facility_id"),
            category=OuterRef("category"),
        )
        .order_by("-report__reported_at", "-report_id")
        .values("id")[:1]
    )
    return (
        BedCount.objects.filter(report__in=visible, report__facility_id__in=facility_ids)
        .filter(id=Subquery(newest))
        .select_related("report")
    )


def history(
    user: Any,
    *,
    facility: Facility | None = None,
    health_region: str | None = None,
    days: int = 30,
    categories: tuple[str, ...] = (),
    organisation_ids: Any = None,
) -> list[dict[str, Any]]:
    """Per day of the last ``days`` (today included): staffed, occupied and available beds summed
    over each facility's last report of that day.

    Reporting is daily (STALE_AFTER), so a facility that has not reported on a day yet counts
    with its report of the day before: today, before every facility has reported, and the
    first day of the window do not dip because of the time of day. ``reported`` and
    ``carried`` say how many facilities each day's sum holds of either kind.
    """
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first - timedelta(days=1), time.min))
    reports = visible_reports(user).filter(reported_at__gte=since)
    if facility is not None:
        reports = reports.filter(facility=facility)
    if health_region:
        reports = reports.filter(facility__organisation__health_region__code=health_region)
    if organisation_ids is not None:
        reports = reports.filter(facility__organisation_id__in=list(organisation_ids))
    last_of_day: dict[date, dict[int, int]] = defaultdict(
        dict
    )  # day -> facility -> its last report
    for pk, facility_id, reported_at in reports.order_by("reported_at", "id").values_list(
        "id", "facility_id", "reported_at"
    ):
        last_of_day[timezone.localtime(reported_at).date()][facility_id] = pk
    totals = _report_totals(
        [pk for by_facility in last_of_day.values() for pk in by_facility.values()], categories
    )
    rows = (
        _day_row(day, last_of_day[day], last_of_day[day - timedelta(days=1)], totals)
        for day in _days(first, today)
    )
    return [row for row in rows if row]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _report_totals(report_ids: Any, categories: tuple[str, ...]) -> dict[int, dict[str, int]]:
    counts = BedCount.objects.filter(report_id__in=list(report_ids))
    if categories:
        counts = counts.filter(category__in=categories)
    rows = counts.values("report_id").annotate(
        staffed=Sum("staffed"), occupied=Sum("occupied"), available=Sum("available")
    )
    return {
        r["report_id"]: {key: r[key] or 0 for key in ("staffed", "occupied", "available")}
        for r in rows
    }


def _day_row(
    day: date, own: dict[int, int], day_before: dict[int, int], totals: dict[int, dict[str, int]]
) -> dict[str, Any] | None:
    """The day's sums over every facility's report of the day, or else of the day before."""
    carried = {f: pk for f, pk in day_before.items() if f not in own}
    used = [totals[pk] for pk in (*own.values(), *carried.values()) if pk in totals]
    if not used:
        return None
    return {
        "day": day.isoformat(),
        **{key: sum(t[key] for t in used) for key in ("staffed", "occupied", "available")},
        "reported": len(own),
        "carried": len(carried),
    }
