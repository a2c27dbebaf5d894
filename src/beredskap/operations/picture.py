"""The common situational picture of one crisis (white paper 3.1:
the crisis is run from one shared picture): map status per municipality,
key figures, latest reports, open needs, decisions in force, open tasks and detected bottlenecks.
Everything is read through the user's visible set; exercise crises only ever show their own data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import OrganisationKind
from beredskap.core.models import HealthRegion
from beredskap.operations import integrations, queries
from beredskap.operations.forecast import crisis_forecasts, exceedances
from beredskap.operations.models import Crisis
from beredskap.operations.models.resources import RequestStatus
from beredskap.operations.services import decisions as decision_services
from beredskap.operations.services import sitreps

STOCK_DAYS_THRESHOLD = 30
"""Stock covering fewer days than this (at normal consumption) is a bottleneck in the picture.
The label names this number and shows the product's own coverage, rounded to whole days, and the
comparison is made on that same rounded figure, so label, rule and number always agree."""

EXCEED_THRESHOLD = 0.25
"""An attached forecast that exceeds a region's staffed ICU beds in at least this share of its
ensemble members is listed as a bottleneck (a one-in-four risk is one the staff must plan for)."""

DAYS_PER_MONTH = 365.25 / 12
"""Capacity reports coverage in months of normal consumption; one month is an average calendar
month."""


def municipality_status(user: Any, crisis: Crisis) -> dict[str, dict[str, str]]:
    """Latest reported overall colour per municipality number."""
    found: dict[str, dict[str, str]] = {}
    rows = (
        queries.reports(user, crisis)
        .filter(organisation__kind=OrganisationKind.MUNICIPALITY, kind="organisation")
        .select_related("organisation__municipality")
        .order_by("-period_due", "-submitted_at")
    )
    for report in rows[:2000]:
        number = (
            report.organisation.municipality.number if report.organisation.municipality_id else None
        )
        if number and number not in found:
            found[number] = {
                "colour": report.overall_colour,
                "name": report.organisation.name,
                "at": timezone.localtime(report.submitted_at).strftime("%d.%m %H:%M"),
            }
    return found


def missing_reports(crisis: Crisis) -> list[dict[str, Any]]:
    rows = []
    for cycle in crisis.cycles.all():
        for organisation, due in sitreps.overdue(cycle):
            rows.append({"organisation": organisation.name, "due": due, "cycle": cycle.name})
    return rows


def coverage_days(line: dict[str, Any]) -> int | None:
    """Whole days of stock at normal consumption, or None when the coverage is unknown."""
    months = line.get("months_of_coverage")
    return None if months is None else round(float(months) * DAYS_PER_MONTH)


def stock_bottlenecks(stock: list[dict[str, Any]]) -> list[str]:
    """Products under the day threshold, and (labelled as such) those only below their stock
    requirement."""
    found = []
    for line in stock:
        days = coverage_days(line)
        if days is None:
            continue
        if days < STOCK_DAYS_THRESHOLD:
            found.append(
                _("Lager under %(n)s dager: %(p)s (%(d).0f dager)")
                % {"n": STOCK_DAYS_THRESHOLD, "p": line.get("product"), "d": days}
            )
        elif line.get("below_requirement"):
            found.append(
                _("Lager under beredskapskravet: %(p)s (%(d)s dager)")
                % {"p": line.get("product"), "d": days}
            )
    return found


def _bed_bottlenecks(beds: list[dict[str, Any]], over: list[dict[str, Any]]) -> list[str]:
    found = []
    for item in over:
        icu = item["icu"]
        found.append(
            _(
                "Prognosen (kjøring %(run)s) gir intensivbelegg over bemannet kapasitet i "
                "%(region)s med sannsynlighet %(p).0f %%, tidligst %(date)s (median): %(o)s av "
                "%(s)s plasser er i bruk nå, %(f)s ledige"
            )
            % {
                "run": item["run_id"],
                "region": item["region"]["name"] or _("hele landet"),
                "p": icu["probability"] * 100,
                "date": icu["first_date"] or "–",
                "o": icu["occupied"],
                "s": icu["staffed"],
                "f": icu["free"],
            }
        )
    for line in beds:
        if line.get("staffed") and line.get("occupied", 0) >= line["staffed"]:
            found.append(
                _("%(l)s: belegg %(o)s av %(s)s bemannede plasser")
                % {"l": line.get("label"), "o": line.get("occupied"), "s": line.get("staffed")}
            )
    return found


def bottlenecks(
    beds: list[dict[str, Any]],
    stock: list[dict[str, Any]],
    missing: list[dict[str, Any]],
    overdue_tasks: int,
    over: list[dict[str, Any]] | None = None,
) -> list[str]:
    """What limits the response now: beds and forecast exceedances, stock, missing reports,
    overdue tasks."""
    found = _bed_bottlenecks(beds, over or []) + stock_bottlenecks(stock)
    if missing:
        found.append(_("%(n)s rapporter mangler etter fristen") % {"n": len(missing)})
    if overdue_tasks:
        found.append(_("%(n)s oppgaver har passert fristen") % {"n": overdue_tasks})
    return found


def picture(user: Any, crisis: Crisis, region: str | None = None) -> dict[str, Any]:
    """The picture; ICU figures and the forecast are for health region `region` (None: national)."""
    beds, beds_ok = integrations.bed_picture(user, health_region=region)
    stock, stock_ok = integrations.stock_coverage(user)
    missing = missing_reports(crisis)
    tasks = queries.open_tasks(user, crisis)
    overdue = list(decision_services.overdue_tasks(tasks))
    latest = list(queries.reports(user, crisis).order_by("-submitted_at")[:10])
    absences = [r.personnel_absence_pct for r in latest if r.personnel_absence_pct is not None]
    forecasts = crisis_forecasts(user, crisis, region)
    signals, signals_ok = integrations.surveillance_signals(user, crisis)
    icu = [line for line in beds if line.get("category", "").startswith("icu")]
    return {
        "status": municipality_status(user, crisis),
        "region": region,
        "region_name": HealthRegion.objects.filter(code=region)
        .values_list("name", flat=True)
        .first()
        if region
        else None,
        "beds": beds,
        "beds_available": beds_ok,
        "icu": {
            "occupied": sum(x.get("occupied", 0) for x in icu),
            "staffed": sum(x.get("staffed", 0) for x in icu),
        },
        "stock": stock,
        "stock_available": stock_ok,
        "signals": signals,
        "signals_available": signals_ok,
        "forecasts": forecasts,
        "absence": round(sum(absences) / len(absences), 1) if absences else None,
        "latest": latest,
        "missing": missing,
        "needs": list(
            queries.requests(user, crisis).filter(
                status__in=[RequestStatus.OPEN, RequestStatus.PARTLY]
            )[:20]
        ),
        "decisions": queries.decisions_in_force(user, crisis),
        "tasks": list(tasks[:20]),
        "overdue_tasks": overdue,
        "bottlenecks": bottlenecks(
            beds, stock, missing, len(overdue), exceedances(forecasts, EXCEED_THRESHOLD)
        ),
        "updated": timezone.localtime(),
    }
