"""The capacity overview: one page per level (nation, region, county, organisation) with
beds/ICU, stock coverage, blood, personnel and emergency water side by side (the
same figures at every level of the line of responsibility), and the emergency-water map data."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from beredskap.capacity import summary
from beredskap.capacity.models.beds import ICU_CATEGORIES
from beredskap.capacity.permissions import reporting_org_ids
from beredskap.capacity.queries import beds, blood, personnel, water
from beredskap.capacity.queries import stock as stock_queries
from beredskap.capacity.views.common import level


def organisation_choices() -> list:
    from beredskap.actors.models import Organisation

    return list(Organisation.objects.order_by("name").values_list("pk", "name"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = level(request)
    region, user, ids = scope["region"], request.user, scope["org_ids"]
    lines = beds.facility_lines(user, health_region=region, organisation_ids=ids)
    water_rows = list(
        water.water_records(
            user, county=scope["county"], health_region=region, organisation_ids=ids
        )
    )
    context = {
        **scope,
        "show_org": True,
        "organisations": organisation_choices(),
        "can_report": bool(reporting_org_ids(user)),
        "beds": summary.bed_picture(user, health_region=region, organisation_ids=ids),
        "facility_count": len(lines),
        "problem_lines": [line for line in lines if line.stale][:30],
        "stale_total": sum(1 for line in lines if line.stale),
        "coverage": stock_queries.coverage(user, health_region=region, organisation_ids=ids),
        "expiring": stock_queries.expiry_warnings(user, health_region=region, organisation_ids=ids)[
            :10
        ],
        "blood": blood.supply_by_component(user, health_region=region, organisation_ids=ids),
        "donors": [
            d for d in blood.donor_counts(user) if not region or d["health_region"] == region
        ],
        "personnel": personnel.latest_personnel(user, health_region=region, organisation_ids=ids),
        "reserve": summary.reserve_availability(user, health_region=region),
        "water_count": len(water_rows),
        "water_short": [r for r in water_rows if r.coverage_ratio < 1][:15],
        "history": beds.history(
            user, health_region=region, categories=ICU_CATEGORIES, organisation_ids=ids
        ),
    }
    return render(request, "capacity/index.html", context)


@login_required
def water_map(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the municipalities in scope, each with its emergency-water figures
    (no record: null figures, drawn grey). Outlines are shipped reference data."""
    from beredskap.capacity.queries.water import map_features

    scope = level(request)
    return JsonResponse(
        map_features(
            request.user,
            county=scope["county"],
            health_region=scope["region"],
            organisation_ids=scope["org_ids"],
        )
    )
