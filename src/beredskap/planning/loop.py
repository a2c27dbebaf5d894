"""The preparedness loop read both ways — ROS event → scenario → plan → exercise → learning point
→ revised plan (Meld. St. 5 (2023–2024) 2.2.1) — for the plan, scenario and ROS event pages, and
the sector view of what the loop is missing per risk area. Every read goes through the owning
app's visible set."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from beredskap.planning import queries


def plan_upstream(user: Any, plan: Any) -> dict[str, Any]:
    from beredskap.risk.queries import events

    shown = queries.scenarios(user).filter(plans=plan)
    return {
        "ros_events": events(user).filter(scenarios__in=shown).select_related("analysis").distinct()
    }


def event_plans(user: Any, event: Any) -> Any:
    return queries.plans(user).filter(scenarios__source_events=event).distinct()


def downstream(user: Any, record: Any) -> dict[str, Any]:
    """Exercises and learning points linked to `record`, and revision tasks on it."""
    from beredskap.exercises.queries import loop_downstream

    return loop_downstream(user, record)


def sector_gaps(user: Any) -> list[dict[str, Any]]:
    """Per risk area: ROS events without a scenario, scenarios without a plan, plans without an
    exercise in the last two years (only what the user may see)."""
    from beredskap.core.riskareas import RiskArea
    from beredskap.risk.queries import current_analyses, events

    since = timezone.localdate() - timedelta(days=365 * 2)
    loose_events = list(
        events(user)
        .filter(analysis__in=current_analyses(user), scenarios__isnull=True)
        .select_related("analysis")
    )
    loose_scenarios = list(queries.scenarios(user).filter(plans__isnull=True))
    plans = list(queries.plans(user).prefetch_related("scenarios"))
    unexercised = [p for p in plans if p.last_exercised_on is None or p.last_exercised_on < since]
    rows = []
    for value, label in RiskArea.choices:
        rows.append(
            {
                "code": value,
                "area": label,
                "events": [e for e in loose_events if e.risk_area == value],
                "scenarios": [s for s in loose_scenarios if s.risk_area == value],
                "plans": [
                    p for p in unexercised if any(s.risk_area == value for s in p.scenarios.all())
                ],
            }
        )
    return rows
