"""Builders for exercise tests (go through the services, like a user would)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from beredskap.exercises import services
from tests.factories import author_for


def make_plan(by: Any, owner: Any, **fields: Any) -> Any:
    fields.setdefault("title", "Nasjonal øvingsplan helse")
    fields.setdefault("period_start", 2024)
    fields.setdefault("period_end", 2028)
    by = author_for(by, fields.get("classification", 0))
    return services.create_plan(by=by, owner_org=owner, **fields)


def make_exercise(by: Any, owner: Any, *, starts_on: date | None = None, **fields: Any) -> Any:
    fields.setdefault("title", "Intensivøvelse")
    fields.setdefault("exercise_type", "tabletop")
    starts_on = starts_on or timezone.localdate() - timedelta(days=60)
    by = author_for(by, fields.get("classification", 0))
    return services.create_exercise(by=by, owner_org=owner, starts_on=starts_on, **fields)


def conducted_with_evaluation(by: Any, owner: Any, **fields: Any) -> Any:
    """An exercise run to «conducted» with an evaluation holding one observation."""
    exercise = make_exercise(by, owner, **fields)
    objective = services.add_objective(by=by, exercise=exercise, text="Varsle alle HF innen 30 min")
    services.advance_status(by=by, exercise=exercise, to_status="prepared")
    services.advance_status(by=by, exercise=exercise, to_status="conducted")
    evaluation = services.start_evaluation(by=by, exercise=exercise)
    services.add_observation(
        by=by,
        evaluation=evaluation,
        kind="improvement",
        objective=objective,
        text="Varslingslisten var utdatert",
        rating="M",
    )
    return evaluation


def add_point_with_action(
    by: Any,
    evaluation: Any,
    org: Any,
    *,
    due: date | None = None,
    title: str = "Oppdater varslingsliste",
) -> Any:
    point = services.add_learning_point(by=by, evaluation=evaluation, title=f"Læring: {title}")
    return services.add_action(
        by=by,
        learning_point=point,
        title=title,
        responsible_org=org,
        due_date=due or timezone.localdate() + timedelta(days=30),
        contact="Ola Nordmann",
    )


# Records of other apps to link to (created directly: they are only link targets here).


def other_plan(owner: Any, title: str, classification: int = 0) -> Any:
    from beredskap.planning.models import Plan

    return Plan.objects.create(
        owner_org=owner, title=title, plan_type="health_care", classification=classification
    )


def other_scenario(owner: Any, title: str, classification: int = 0) -> Any:
    from beredskap.planning.models import Scenario

    return Scenario.objects.create(
        owner_org=owner, title=title, risk_area="infection", classification=classification
    )


def ros_event(owner: Any, title: str, classification: int = 0) -> Any:
    from beredskap.risk.models import RosAnalysis, UndesiredEvent

    today = timezone.localdate()
    analysis = RosAnalysis.objects.create(
        owner_org=owner,
        title=f"ROS {owner.short_name or owner.name}",
        scope="organisation",
        period_start=today,
        period_end=today,
        classification=classification,
    )
    return UndesiredEvent.objects.create(
        analysis=analysis, number=1, title=title, risk_area="infection"
    )


def meeting_decision(body: Any, text: str, *, owner: Any = None, classification: int = 0) -> Any:
    from beredskap.actors.models import MeetingDecision
    from tests.factories import make_meeting

    meeting = make_meeting(
        body, owner=owner, classification=classification, title=f"Møte: {text[:20]}"
    )
    return MeetingDecision.objects.create(meeting=meeting, text=text)


def crisis_decision(by: Any, owner: Any, title: str, classification: int = 1) -> Any:
    from beredskap.operations.services.crises import declare_crisis
    from beredskap.operations.services.decisions import record_decision

    crisis = declare_crisis(
        by=by,
        name=f"Krise for {title}",
        risk_area="infection",
        crisis_type="Pandemi",
        owner_org=owner,
        lead_ministry=owner,
        classification=classification,
    )
    return record_decision(
        by=by,
        crisis=crisis,
        title=title,
        authority=owner,
        level="national",
        subsidiarity="Nasjonalt fordi smitten er i flere fylker.",
        legal_basis="smittevernloven",
        legal_section="§ 4-1",
        valid_from=timezone.now() - timedelta(hours=1),
        classification=classification,
    )
