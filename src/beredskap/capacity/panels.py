"""Start-page panel: stale bed reports of my facilities, my stock below requirement."""

from __future__ import annotations

from typing import Any

from beredskap.capacity.permissions import reporting_org_ids


def start_panels(user: Any) -> list[dict]:
    from beredskap.capacity.models import StockLocation
    from beredskap.capacity.queries.beds import facility_lines
    from beredskap.capacity.queries.stock import coverage

    orgs = reporting_org_ids(user)
    if not orgs:
        return []
    stale = [line for line in facility_lines(user, organisation_ids=orgs) if line.stale][:10]
    below = []
    for location in StockLocation.objects.visible_to(user).filter(owner_org_id__in=orgs)[:5]:
        below += [row for row in coverage(user, location=location) if row.below_requirement]
    if not stale and not below:
        return []
    return [{"template": "capacity/_start_panel.html", "stale": stale, "below": below[:10]}]
