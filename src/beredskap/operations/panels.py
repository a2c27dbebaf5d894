"""Start-page panel: my unacknowledged notifications, overdue situation reports of my
organisations (and, for coordinators, of their crises), my organisations' open crisis tasks."""

from __future__ import annotations

from typing import Any

from beredskap.core.access import access_context
from beredskap.operations import queries
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.services import sitreps


def _overdue(user: Any, member_orgs: frozenset[int]) -> list[dict[str, Any]]:
    rows = []
    for crisis in queries.crises(user).filter(status="open")[:10]:
        coordinator = is_coordinator(user, crisis)
        for cycle in crisis.cycles.all():
            for organisation, due in sitreps.overdue(cycle):
                if organisation.pk in member_orgs or coordinator:
                    rows.append({"organisation": organisation.name, "due": due, "crisis_id": crisis.pk,
                                 "cycle_id": cycle.pk, "exercise": crisis.is_exercise})
    return rows[:10]


def start_panels(user: Any) -> list[dict[str, Any]]:
    ctx = access_context(user)
    if ctx.is_anonymous:
        return []
    unacknowledged = list(queries.my_unacknowledged(user)[:10])
    tasks = list(queries.open_tasks(user).filter(owner_org_id__in=ctx.member_org_ids, crisis__status="open")
                 .order_by("due_at")[:10])
    overdue = _overdue(user, ctx.member_org_ids)
    if not (unacknowledged or tasks or overdue):
        return []
    return [{"template": "operations/_start_panel.html", "unacknowledged": unacknowledged, "overdue": overdue,
             "tasks": tasks}]
