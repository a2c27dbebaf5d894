"""Start-page panel: ROS analyses of my organisations that are overdue or due soon.

A statsforvalter's municipalities (ROS, plans and exercises together) are shown by
``planning.panels``; ``statsforvalter_municipalities`` is shared with it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.access import access_context
from beredskap.core.models import Municipality
from beredskap.risk import queries

LIMIT = 10


def statsforvalter_municipalities(user: Any) -> list[Municipality]:
    offices = Organisation.objects.filter(
        pk__in=access_context(user).member_org_ids, kind=OrganisationKind.STATSFORVALTER
    )
    return list(
        Municipality.objects.filter(county__served_by__in=offices)
        .select_related("county")
        .order_by("name")
        .distinct()
    )


def start_panels(user: Any) -> list[dict[str, Any]]:
    context = access_context(user)
    if context.is_anonymous:
        return []
    today = timezone.localdate()
    own = queries.due_for_revision(user, context.member_org_ids)
    if not own:
        return []
    return [
        {
            "template": "risk/_start_panel.html",
            "analyses": own[:LIMIT],
            "more": len(own) > LIMIT,
            "today": today,
        }
    ]
