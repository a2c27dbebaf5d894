"""The capacity overview: one page per level with beds/ICU, stock coverage, blood,
personnel and emergency water side by side (issue 5, point 6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beredskap.capacity import summary
from beredskap.capacity.models.beds import ICU_CATEGORIES
from beredskap.capacity.permissions import reporting_org_ids
from beredskap.capacity.queries import beds, blood, personnel, water
from beredskap.capacity.queries import stock as stock_queries
from beredskap.capacity.views.common import level


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = level(request)
    region, user = scope["region"], request.user
    lines = beds.facility_lines(user, health_region=region)
    water_rows = list(water.water_records(user, county=scope["county"], health_region=region))
    context = {
        **scope,
        "can_report": bool(reporting_org_ids(user)),
        "beds": summary.bed_picture(user, health_region=region),
        "problem_lines": [line for line in lines if line.stale][:30],
        "coverage": stock_queries.coverage(user, health_region=region),
        "expiring": stock_queries.expiry_warnings(user, health_region=region)[:10],
        "blood": blood.supply_by_component(user, health_region=region),
        "donors": blood.donor_counts(user),
        "personnel": personnel.latest_personnel(user, health_region=region),
        "reserve": summary.reserve_availability(user, health_region=region),
        "water_count": len(water_rows),
        "water_short": [r for r in water_rows if r.coverage_ratio < 1][:15],
        "history": beds.history(user, health_region=region, categories=ICU_CATEGORIES),
        "water_map": water.map_data(user, county=scope["county"], health_region=region),
    }
    return render(request, "capacity/index.html", context)
