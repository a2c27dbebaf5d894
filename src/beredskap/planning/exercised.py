"""«Sist øvd» of a plan, computed from the completed exercises linked as testing it (forskrift om
kommunal beredskapsplikt § 7: the overall plan is exercised every second year; DESIGN rule 12:
a status is computed from records). The date a user once typed is kept only as «oppgitt, ikke
dokumentert» and counts for nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery


def with_last_exercise(queryset: QuerySet, user: Any) -> QuerySet:
    """Annotate each plan with its latest completed exercise the user may see."""
    from beredskap.exercises.queries import completed_tests_of

    # the plan is two levels out: links (innermost) sit inside the exercise subquery
    latest = completed_tests_of(user, OuterRef(OuterRef("pk")), queryset.model)
    return queryset.annotate(
        exercised_on=Subquery(latest.values("ends_on")[:1]),
        exercised_by_id=Subquery(latest.values("pk")[:1]),
        exercised_by_title=Subquery(latest.values("title")[:1]),
    )


def compute(plan: Any) -> None:
    """Fill the annotation on a plan read outside `queries.plans` (only UGRADERT exercises count:
    there is no reader whose clearance would allow more)."""
    from beredskap.exercises.queries import completed_tests_of

    latest = completed_tests_of(None, plan.pk, type(plan)).values("ends_on", "pk", "title").first()
    plan.exercised_on = latest["ends_on"] if latest else None
    plan.exercised_by_id = latest["pk"] if latest else None
    plan.exercised_by_title = latest["title"] if latest else ""
