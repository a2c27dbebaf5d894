"""Who may do what in a crisis.

Coordinators (secretariat or administrators of the organisation owning the crisis, or of one
above it in the governance line) run the crisis; reporters report for their own organisation
when it is part of a reporting cycle; everyone who can see the crisis may read it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import Membership, Role
from beredskap.actors.permissions import is_admin, roles_of
from beredskap.core.access import access_context
from beredskap.core.errors import PermissionDenied

COORDINATOR_ROLES = {Role.ADMINISTRATOR, Role.SECRETARIAT}


def may_declare(user: Any) -> bool:
    return bool(roles_of(user) & COORDINATOR_ROLES)


def may_declare_for(user: Any, owner_org: Any) -> bool:
    """A crisis is declared in the name of an organisation the user coordinates in (or by a
    national administrator): its owner decides who has need-to-know of it."""
    return (
        is_admin(user)
        or Membership.objects.filter(
            person__user=user, organisation=owner_org, role__in=COORDINATOR_ROLES
        ).exists()
    )


def is_coordinator(user: Any, crisis: Any) -> bool:
    if is_admin(user):
        return True
    owner_chain = {crisis.owner_org_id, *[o.pk for o in crisis.owner_org.ancestors()]}
    return Membership.objects.filter(
        person__user=user, organisation_id__in=owner_chain, role__in=COORDINATOR_ROLES
    ).exists()


def reports_for(user: Any, organisation: Any) -> bool:
    return Membership.objects.filter(
        person__user=user, organisation=organisation, role__in=[Role.REPORTER, Role.ADMINISTRATOR]
    ).exists()


def member_of(user: Any, organisation_id: int) -> bool:
    return organisation_id in access_context(user).member_org_ids


def require_coordinator(user: Any, crisis: Any) -> None:
    if not is_coordinator(user, crisis):
        raise PermissionDenied(_("Bare krisens koordinatorer kan gjøre dette."))


def require_open(crisis: Any) -> None:
    from django.core.exceptions import ValidationError

    if not crisis.is_open:
        raise ValidationError(_("Krisen er avsluttet og kan ikke endres."))
