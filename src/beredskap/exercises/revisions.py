"""Revision tasks: a learning point that concerns a plan, a scenario or a planning assumption
opens an action to revise it, and that action closes only when the revision is approved (Meld. St.
5 (2023–2024) 2.2.1: learning points change plans and analyses — the loop closes on the revised
record, not on a box ticked).

Approved means, read from the record itself: a plan approved or reviewed on or after the day the
task was opened; a scenario «vedtatt» and changed since; an assumption in force from that day or
changed since."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

REVISION_RELATIONS = {
    "changes_plan": "planning.plan",
    "scenario": "planning.scenario",
    "changes_assumption": "planning.planningassumption",
}
REVISION_DAYS = 180


def target_of(action: Any) -> Any:
    """The record an action revises (None for an ordinary action), read without a user: the
    check is about the record's state, never shown."""
    if action.revision_type_id is None:
        return None
    model = ContentType.objects.get_for_id(action.revision_type_id).model_class()
    return model._base_manager.filter(pk=action.revision_id).first() if model else None


def is_revised(action: Any) -> bool:
    """Whether the record the action revises has an approved revision since the task opened."""
    target = target_of(action)
    if target is None:
        return action.revision_type_id is None
    opened = action.created_at
    label = target._meta.label_lower
    if label == "planning.plan":
        dates = [d for d in (target.approved_on, target.last_reviewed_on) if d]
        return bool(dates) and max(dates) >= timezone.localtime(opened).date()
    if label == "planning.scenario":
        return target.status == "approved" and target.updated_at > opened
    if label == "planning.planningassumption":
        return target.valid_from >= timezone.localtime(opened).date() or target.updated_at > opened
    return False


def open_task(*, by: Any, learning_point: Any, target: Any, relation: str) -> Any:
    """The revision action for `target`, opened once per learning point and record."""
    from beredskap.exercises.models import Action

    if REVISION_RELATIONS.get(relation) != target._meta.label_lower:
        return None
    kind = ContentType.objects.get_for_model(target)
    existing = Action.objects.filter(
        learning_point=learning_point, revision_type=kind, revision_id=target.pk
    ).first()
    if existing is not None:
        return existing
    action = Action(
        learning_point=learning_point,
        title=_("Revider «%(t)s» etter læringspunktet") % {"t": str(target)[:250]},
        responsible_org=target.owner_org,
        due_date=timezone.localdate() + timedelta(days=REVISION_DAYS),
        revision_type=kind,
        revision_id=target.pk,
    )
    action.full_clean()
    action.save()
    return action
