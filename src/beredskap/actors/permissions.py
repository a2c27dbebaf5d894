"""Who may write what in actors (the roles of issue 2, point 6).

Roles: administrator (manages organisations and everything), secretariat (manages bodies,
memberships and meetings), body chair/secretary (manages their own body), organisation
reporter (edits own organisation's contact details and own follow-up actions), reader,
auditor (reads the audit trail).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import BodyMembership, BodyRole, Membership, Role
from beredskap.core.errors import PermissionDenied


def roles_of(user: Any) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_roles", None)
    if cached is None:
        cached = set(Membership.objects.filter(person__user=user).values_list("role", flat=True))
        user._roles = cached
    return cached


def is_admin(user: Any) -> bool:
    return Role.ADMINISTRATOR in roles_of(user)


def _leads_body(user: Any, body: Any) -> bool:
    return BodyMembership.objects.filter(
        body=body, person__user=user, role__in=[BodyRole.CHAIR, BodyRole.SECRETARY]
    ).exists()


def _reports_for(user: Any, org: Any) -> bool:
    return Membership.objects.filter(
        person__user=user, organisation=org, role__in=[Role.REPORTER, Role.ADMINISTRATOR]
    ).exists()


def allowed(user: Any, action: str, target: Any = None) -> bool:
    roles = roles_of(user)
    if not roles and not getattr(user, "is_authenticated", False):
        return False
    if Role.ADMINISTRATOR in roles:
        return True
    if action == "manage_organisations":
        return False
    if action == "edit_organisation":
        return _reports_for(user, target)
    if action == "manage_body":
        return Role.SECRETARIAT in roles or _leads_body(user, target)
    if action == "update_action":
        return (
            _reports_for(user, target.owner_org)
            or Role.SECRETARIAT in roles
            or _leads_body(user, target.meeting.body)
        )
    return False


def require(user: Any, action: str, target: Any = None) -> None:
    if not allowed(user, action, target):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
