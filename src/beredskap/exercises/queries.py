"""Read helpers for exercises: every read goes through `visible_to(user)`; child rows are
filtered through their visible parent."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from beredskap.exercises import rules
from beredskap.exercises.models import (
    Action,
    ActionStatus,
    Evaluation,
    Exercise,
    ExercisePlan,
    ExerciseStatus,
    LearningPoint,
    RecordLink,
)

OPEN = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]


def plans(user: Any) -> QuerySet[Any]:
    return (
        ExercisePlan.objects.visible_to(user)
        .select_related("owner_org")
        .annotate(exercise_count=Count("exercises", distinct=True))
    )


def exercises(user: Any) -> QuerySet[Exercise]:
    return Exercise.objects.visible_to(user).select_related("owner_org", "plan")


def evaluations(user: Any) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(exercise__in=Exercise.objects.visible_to(user)).select_related(
        "exercise"
    )


def learning_points(user: Any) -> QuerySet[Any]:
    """Learning points the user may see: owned, shared with a body or organisation, or open."""
    return (
        LearningPoint.objects.visible_to(user)
        .select_related("owner_org", "evaluation__exercise")
        .annotate(open_actions=Count("actions", filter=Q(actions__status__in=OPEN), distinct=True))
        .order_by("-id")
    )


def actions(user: Any) -> QuerySet[Action]:
    return Action.objects.filter(
        learning_point__in=LearningPoint.objects.visible_to(user)
    ).select_related("responsible_org", "learning_point__evaluation__exercise")


def overdue_actions(user: Any, today: date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return actions(user).filter(status__in=OPEN, due_date__lt=today).order_by("due_date")


def my_overdue_actions(user: Any) -> QuerySet[Action]:
    """Overdue actions for which the user's organisations are responsible or that they own."""
    from beredskap.core.access import access_context

    orgs = access_context(user).member_org_ids
    return overdue_actions(user).filter(
        Q(responsible_org_id__in=orgs)
        | Q(learning_point__evaluation__exercise__owner_org_id__in=orgs)
    )


def follow_up_summary(user: Any, today: date | None = None) -> dict[str, Any]:
    """The council's follow-up view: overdue counts by organisation, age and risk area."""
    today = today or timezone.localdate()
    rows = list(
        overdue_actions(user, today).values_list(
            "responsible_org__name", "due_date", "learning_point__evaluation__exercise__risk_area"
        )
    )
    by_org = Counter(name for name, _d, _r in rows)
    by_age = Counter(rules.age_bucket((today - due).days) for _n, due, _r in rows)
    by_area = Counter(area for _n, _d, area in rows)
    return {
        "total": len(rows),
        "open_total": actions(user).filter(status__in=OPEN).count(),
        "by_org": sorted(by_org.items(), key=lambda kv: (-kv[1], kv[0])),
        "by_age": [
            (bucket, by_age.get(bucket, 0)) for bucket in ("0-30", "31-90", "91-180", "180+")
        ],
        "by_area": sorted(by_area.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to and including today's month (today for this
    one)."""
    points, year, month = [today], today.year, today.month
    for _ in range(months - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        next_first = date(year + (month == 12), month % 12 + 1, 1)
        points.append(date.fromordinal(next_first.toordinal() - 1))
    return list(reversed(points))


def overdue_trend(user: Any, months: int = 12, today: date | None = None) -> list[tuple[date, int]]:
    """Number of actions overdue at each month end (computed from due and resolution dates)."""
    today = today or timezone.localdate()
    rows = list(actions(user).values_list("due_date", "created_at", "resolved_on"))
    return [
        (
            point,
            sum(
                rules.overdue_at(due, timezone.localdate(created), resolved, point)
                for due, created, resolved in rows
            ),
        )
        for point in month_ends(today, months)
    ]


def links_from(user: Any, source: Any) -> list[dict[str, Any]]:
    """Links from `source`, each resolved to its target only when the user may see the target
    (read through the target app's visible set, a child record through its parent's)."""
    from beredskap.exercises import linking

    links = list(
        RecordLink.objects.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )
        .select_related("target_type")
        .order_by("id")
    )
    by_key: dict[str, list[RecordLink]] = {}
    for link in links:
        by_key.setdefault(f"{link.target_type.app_label}.{link.target_type.model}", []).append(link)
    targets: dict[tuple[str, int], Any] = {}
    for key, group in by_key.items():
        visible = linking.visible(user, key)
        if visible is not None:
            for target in visible.filter(pk__in=[link.target_id for link in group]):
                targets[(key, target.pk)] = target
    found = []
    for link in links:
        key = f"{link.target_type.app_label}.{link.target_type.model}"
        target = targets.get((key, link.target_id))
        if target is not None:
            found.append(
                {
                    "link": link,
                    "target": target,
                    "key": key,
                    **linking.describe(key, target),
                    "relation_label": linking.RELATION_LABELS.get(link.relation, link.relation),
                }
            )
    return found


def import_jobs(user: Any) -> QuerySet[Any]:
    """A user's own import jobs (the rows and errors are theirs alone)."""
    from beredskap.exercises.models import ImportJob

    if not getattr(user, "is_authenticated", False):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(requested_by=user).select_related("plan")


COMPLETED = [ExerciseStatus.CONDUCTED, ExerciseStatus.EVALUATED, ExerciseStatus.CLOSED]


def completed_tests_of(user: Any, target_pk: Any, target_model: Any) -> QuerySet[Exercise]:
    """Completed exercises the user may see that are linked as testing the record `target_pk` of
    `target_model` (a pk, or an OuterRef(OuterRef(…)) in a subquery), newest first — «sist øvd»
    is computed from these (forskrift om kommunal beredskapsplikt § 7), never typed. Without a
    user only UGRADERT exercises count, so a date shown to anyone reveals no classified one."""
    tested = RecordLink.objects.filter(
        source_type=ContentType.objects.get_for_model(Exercise),
        target_type=ContentType.objects.get_for_model(target_model),
        target_id=target_pk,
        relation="tests_plan",
    ).values("source_id")
    base = (
        Exercise.objects.visible_to(user)
        if getattr(user, "is_authenticated", False)
        else Exercise.objects.filter(classification=0)
    )
    return base.filter(
        pk__in=tested, status__in=COMPLETED, ends_on__lte=timezone.localdate()
    ).order_by("-ends_on", "-pk")


def links_to(user: Any, target: Any) -> list[dict[str, Any]]:
    """Exercises and learning points the user may see that link to `target` (a plan, scenario,
    ROS event …): the loop read backwards (Meld. St. 5 (2023–2024) 2.2.1)."""
    from beredskap.exercises import linking

    links = list(
        RecordLink.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        .select_related("source_type")
        .order_by("id")
    )
    sources = {
        "exercises.exercise": exercises(user),
        "exercises.learningpoint": learning_points(user),
    }
    found = []
    for link in links:
        key = f"{link.source_type.app_label}.{link.source_type.model}"
        visible = sources.get(key)
        source = visible.filter(pk=link.source_id).first() if visible is not None else None
        if source is None:
            continue
        found.append(
            {
                "link": link,
                "source": source,
                "key": key,
                "kind": gettext_lazy("Øvelse")
                if key == "exercises.exercise"
                else gettext_lazy("Læringspunkt"),
                "label": source.title,
                "url": _source_url(key, source),
                "relation_label": linking.RELATION_LABELS.get(link.relation, link.relation),
            }
        )
    return found


def _source_url(key: str, source: Any) -> str:
    from django.urls import reverse

    if key == "exercises.exercise":
        return reverse("exercises:exercise_detail", args=[source.pk])
    return reverse("exercises:learning_point_detail", args=[source.pk])


def revision_tasks(user: Any, target: Any) -> list[Action]:
    """Revision actions (from learning points the user may see) on `target`, each marked with
    whether its revision is approved."""
    from beredskap.exercises.revisions import is_revised

    rows = list(
        actions(user).filter(
            revision_type=ContentType.objects.get_for_model(target), revision_id=target.pk
        )
    )
    for row in rows:
        row.revised = is_revised(row)
    return rows


def loop_downstream(user: Any, target: Any) -> dict[str, Any]:
    """What links to `target` from exercises: for the «linked here» part of a page."""
    return {"linked_here": links_to(user, target), "revision_tasks": revision_tasks(user, target)}
