"""Start-page panel: ROS analyses of my organisations that are overdue or due soon, and for a
statsforvalter her municipalities' overdue or missing overall ROS."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.access import access_context
from beredskap.core.models import Municipality
from beredskap.risk import queries

LIMIT = 10


def statsforvalter_municipalities(user: Any) -> list[Municipality]:
    offices = Organisation.objects.filter(pk__in=access_context(user).member_org_ids,
                                          kind=OrganisationKind.STATSFORVALTER)
    return list(Municipality.objects.filter(county__served_by__in=offices).select_related("county")
                .order_by("name").distinct())


def start_panels(user: Any) -> list[dict[str, Any]]:
    context = access_context(user)
    if context.is_anonymous:
        return []
    today = timezone.localdate()
    own = queries.due_for_revision(user, context.member_org_ids)
    panels = [{"template": "risk/_start_panel.html", "analyses": own[:LIMIT], "more": len(own) > LIMIT,
               "today": today}] if own else []
    municipalities = statsforvalter_municipalities(user)
    if municipalities:
        latest = queries.latest_municipal_ros(user, [m.pk for m in municipalities])
        rows = []
        for m in municipalities:
            analysis = latest.get(m.pk)
            if analysis is None or analysis.is_overdue:
                rows.append({"municipality": m, "analysis": analysis})
        panels.append({"template": "risk/_statsforvalter_panel.html", "rows": rows[:LIMIT],
                       "count": len(rows), "total": len(municipalities)})
    return panels
