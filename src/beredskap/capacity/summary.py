"""What other apps read from capacity (its interface): the bed picture, national ICU
reference figures, reserve availability and stock coverage. Every function that takes a
user reads through visible_to(user)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Subquery

from beredskap.capacity.models import BedCategory, BedCount, BedReport
from beredskap.capacity.models.beds import ICU_CATEGORIES


@dataclass(frozen=True)
class BedLine:
    category: str
    label: str
    staffed: int
    occupied: int
    available: int
    surge_24h: int
    surge_72h: int
    oldest_report_at: datetime | None
    stale: bool
    physical: int | None = None  # summed over facilities that report it; None when none does
    carried: int = 0  # facilities whose figure comes from an older report than their latest


@dataclass(frozen=True)
class ReserveLine:
    profession: str
    label: str
    available: int
    health_region: str


@dataclass(frozen=True)
class CoverageLine:
    product: str
    category: str
    months_of_coverage: float
    below_requirement: bool


def bed_picture(
    user: Any, *, health_region: str | None = None, organisation_ids: Any = None
) -> list[BedLine]:
    """Beds per category summed over each facility's latest visible report."""
    from beredskap.capacity.queries.beds import facility_lines, is_stale

    totals: dict[str, dict[str, Any]] = {}
    for line in facility_lines(
        user, health_region=health_region, organisation_ids=organisation_ids
    ):
        if line.report is None:
            continue
        for category, count in line.counts.items():
            slot = totals.setdefault(
                category,
                {
                    "staffed": 0,
                    "occupied": 0,
                    "available": 0,
                    "surge_24h": 0,
                    "surge_72h": 0,
                    "oldest": None,
                    "stale": False,
                    "physical": None,
                    "carried": 0,
                },
            )
            if count.physical is not None:
                slot["physical"] = (slot["physical"] or 0) + count.physical
            slot["carried"] += category in line.carried
            for name in ("staffed", "occupied", "available", "surge_24h", "surge_72h"):
                slot[name] += getattr(count, name)
            at = line.counted_at(category) or line.report.reported_at
            slot["oldest"] = at if slot["oldest"] is None or at < slot["oldest"] else slot["oldest"]
            slot["stale"] = slot["stale"] or is_stale(at)
    return [
        BedLine(
            category=c,
            label=str(BedCategory(c).label),
            staffed=t["staffed"],
            occupied=t["occupied"],
            available=t["available"],
            surge_24h=t["surge_24h"],
            surge_72h=t["surge_72h"],
            oldest_report_at=t["oldest"],
            stale=t["stale"],
            physical=t["physical"],
            carried=t["carried"],
        )
        for c in BedCategory.values
        if (t := totals.get(c))
    ]


def icu_capacity_by_hospital_trust() -> dict[int, int]:
    """Latest staffed adult ICU beds (with + without ventilator) per hospital trust:
    national reference figures for modelling, read without need-to-know on purpose."""
    newest = (
        BedReport.objects.filter(facility_id=OuterRef("report__facility_id"))
        .order_by("-reported_at", "-id")
        .values("id")[:1]
    )
    rows = (
        BedCount.objects.filter(
            category__in=ICU_CATEGORIES,
            report__facility__active=True,
            report__facility__organisation__kind="hf",
        )
        .filter(report_id=Subquery(newest))
        .values_list("report__facility__organisation_id", "staffed")
    )
    result: dict[int, int] = {}
    for org_id, staffed in rows:
        result[org_id] = result.get(org_id, 0) + staffed
    return result


def reserve_availability(
    user: Any, *, health_region: str | None = None, profession: str | None = None
) -> list[ReserveLine]:
    """Counts of available reserve personnel by profession and region (no identities)."""
    from beredskap.capacity.queries.personnel import reserve_counts

    return [
        ReserveLine(**row)
        for row in reserve_counts(user, health_region=health_region, profession=profession)
    ]


def stock_coverage(user: Any, *, health_region: str | None = None) -> list[CoverageLine]:
    """Months of coverage per product against its requirement (PPE: six months, 4.3)."""
    from beredskap.capacity.queries.stock import coverage

    return [
        CoverageLine(
            product=row.product_name,
            category=row.category,
            months_of_coverage=row.months,
            below_requirement=row.below_requirement,
        )
        for row in coverage(user, health_region=health_region)
        if row.months is not None
    ]
