"""Who may write what in exercises.

The secretariat runs the multi-year exercise plan for the council (box 2.1 point 7b); the owning
organisation's reporters and the leads (chair/secretary) of a body the exercise is shared with
run an exercise through evaluation; the responsible organisation's reporters update their own
actions. Only those who run the exercise may accept that an action is not to be done.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import BodyMembership, BodyRole, Membership, Role
from beredskap.actors.permissions import is_national_staff
from beredskap.core.errors import PermissionDenied

WRITER_ROLES = [Role.REPORTER, Role.ADMINISTRATOR, Role.SECRETARIAT]


def _is_staff(user: Any) -> bool:
    """The secretariat and the national administrators run the plan for every organisation;
    another organisation's administrator writes only for her own (`_writes_for`)."""
    return is_national_staff(user)


def _writes_for(user: Any, org_id: int | None) -> bool:
    return (
        org_id is not None
        and Membership.objects.filter(
            person__user=user, organisation_id=org_id, role__in=WRITER_ROLES
        ).exists()
    )


def _leads_shared_body(user: Any, exercise: Any) -> bool:
    return BodyMembership.objects.filter(
        body__in=exercise.shared_with_bodies.all(),
        person__user=user,
        role__in=[BodyRole.CHAIR, BodyRole.SECRETARY],
    ).exists()


def allowed(user: Any, action: str, target: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if action == "rotate_feed":  # the plan's own organisation only, whatever the role elsewhere
        return _writes_for(user, target.owner_org_id)
    if _is_staff(user):
        return True
    if action == "manage_plan":
        return False
    if action == "create_exercise":
        return _writes_for(user, getattr(target, "pk", None))
    if action == "edit_exercise":
        return _writes_for(user, target.owner_org_id) or _leads_shared_body(user, target)
    if action == "update_action":
        exercise = target.learning_point.evaluation.exercise
        return _writes_for(user, target.responsible_org_id) or allowed(
            user, "edit_exercise", exercise
        )
    if action == "edit_learning_point":
        return allowed(user, "edit_exercise", target.evaluation.exercise)
    return False


def require(user: Any, action: str, target: Any = None) -> None:
    if not allowed(user, action, target):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
