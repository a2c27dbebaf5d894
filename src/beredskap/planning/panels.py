"""Start-page panels: my organisations' preparedness plans that need follow-up, and for a
statsforvalter her municipalities with an overdue or missing ROS, a plan that is not up to date
or an overall plan not exercised within two years — each linked to the municipality's page,
where a reminder is one click away (white paper 2.2.1, box 2.1)."""

from __future__ import annotations

from typing import Any

from beredskap.core.access import access_context
from beredskap.planning import queries
from beredskap.planning.rules import STATUS_RANK, PlanStatus
from beredskap.risk.panels import statsforvalter_municipalities

LIMIT = 10
MUNICIPALITY_LIMIT = 80  # a statsforvalter office serves at most ~60 municipalities: show them all
_EXERCISE_RANK = {"missing": 3, "never": 2, "overdue": 1, "ok": 0}
_ROS_RANK = {"missing": 2, "overdue": 1, "ok": 0}


def start_panels(user: Any) -> list[dict[str, Any]]:
    context = access_context(user)
    if context.is_anonymous or not context.member_org_ids:
        return []
    return [
        panel for panel in (_own_plans_panel(user, context), _municipalities_panel(user)) if panel
    ]


def _own_plans_panel(user: Any, context: Any) -> dict[str, Any] | None:
    rows = [
        p
        for p in queries.plans(user).filter(owner_org_id__in=context.member_org_ids)
        if p.status != PlanStatus.UP_TO_DATE
    ]
    if not rows:
        return None
    return {
        "template": "planning/_start_panel.html",
        "plans": rows[:LIMIT],
        "more": len(rows) > LIMIT,
    }


def _severity(row: queries.MunicipalityRow) -> tuple[int, int]:
    """Worst first: the number of flagged areas, then the sum of their ranks."""
    plan = PlanStatus(row.plan_status)
    plan_rank = (
        0 if plan == PlanStatus.NOT_EXERCISED else STATUS_RANK[plan]
    )  # counted by the exercise status
    ranks = (_ROS_RANK[row.ros_status], plan_rank, _EXERCISE_RANK[row.exercise_status])
    return (-sum(1 for rank in ranks if rank), -sum(ranks))


def _municipalities_panel(user: Any) -> dict[str, Any] | None:
    municipalities = statsforvalter_municipalities(user)
    if not municipalities:
        return None
    rows = queries.municipality_rows(user, municipalities)
    flagged = sorted(
        (r for r in rows if r.flagged), key=lambda r: (_severity(r), r.municipality.name)
    )
    return {
        "template": "planning/_statsforvalter_panel.html",
        "rows": flagged[:MUNICIPALITY_LIMIT],
        "count": len(flagged),
        "total": len(rows),
        "ros_count": sum(1 for r in rows if r.ros_status != "ok"),
        "plan_count": sum(1 for r in rows if r.plan_status != PlanStatus.UP_TO_DATE),
        "exercise_count": sum(1 for r in rows if r.exercise_status != "ok"),
    }
