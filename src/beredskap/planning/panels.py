"""Start-page panel: my organisations' preparedness plans that are overdue for review,
not exercised within their cycle, or not approved."""

from __future__ import annotations

from typing import Any

from beredskap.core.access import access_context
from beredskap.planning import queries
from beredskap.planning.rules import PlanStatus

LIMIT = 10


def start_panels(user: Any) -> list[dict[str, Any]]:
    context = access_context(user)
    if context.is_anonymous or not context.member_org_ids:
        return []
    rows = [p for p in queries.plans(user).filter(owner_org_id__in=context.member_org_ids)
            if p.status != PlanStatus.UP_TO_DATE]
    if not rows:
        return []
    return [{"template": "planning/_start_panel.html", "plans": rows[:LIMIT], "more": len(rows) > LIMIT}]
