"""Builders for planning tests: a plan is exercised by a completed exercise linked to it (the only
way «sist øvd» changes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from beredskap.exercises import followup
from beredskap.exercises import services as exercise_services


def exercise_plan(by: Any, plan: Any, on: date, *, title: str = "", conduct: bool = True) -> Any:
    """An exercise of `plan` held on `on`, conducted (unless `conduct` is false) and linked as
    testing the plan."""
    exercise = exercise_services.create_exercise(
        by=by,
        owner_org=plan.owner_org,
        title=title or f"Øvelse av {plan.title}",
        starts_on=on,
        exercise_type="tabletop",
    )
    if conduct:
        exercise_services.add_objective(by=by, exercise=exercise, text="Øve planens varsling")
        exercise_services.advance_status(by=by, exercise=exercise, to_status="prepared")
        exercise_services.advance_status(by=by, exercise=exercise, to_status="conducted")
    followup.link_record(by=by, source=exercise, target=plan, relation="tests_plan")
    return exercise
