"""Who may write what in actors.

Administration is scoped to one's own organisation (the responsibility principle: each organisation
administers its own people). An organisation's administrator manages her own organisation's people
and data; what decides need-to-know across organisations — the governance line
(`Organisation.parent`), the kind of an organisation, who sits in which body, clearances and sharing
of others' records with bodies — is changed only by the national administrators: the administrators
of the organisation that leads the health-preparedness secretariat (HOD; Meld. St. 5 (2023–2024)
2.2.1: the Ministry leads the council and its secretariat). Each such change is audited with who and
why.

Roles: administrator, secretariat (manages bodies and meetings — counted only in the
secretariat's organisation), body chair/secretary (manages their own body), organisation
reporter (edits own organisation's contact details and own follow-up actions), reader,
auditor (reads the audit trail).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from beredskap.actors.models import BodyKind, BodyMembership, BodyRole, Membership, Role
from beredskap.core.errors import PermissionDenied


def roles_of(user: Any) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_roles", None)
    if cached is None:
        cached = set(Membership.objects.filter(person__user=user).values_list("role", flat=True))
        user._roles = cached
    return cached


def national_org_ids() -> set[int]:
    """The organisations whose administrators are national: the lead of the secretariat."""
    from beredskap.actors.models import Body

    return set(Body.objects.filter(kind=BodyKind.SECRETARIAT).values_list("lead_org_id", flat=True))


def _national_roles(user: Any) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_national_roles", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(
                person__user=user, organisation_id__in=national_org_ids()
            ).values_list("role", flat=True)
        )
        user._national_roles = cached
    return cached


def is_national_administrator(user: Any) -> bool:
    """The one rule for national administration: an administrator in the secretariat's lead
    organisation. Only she changes the governance line, body memberships, clearances and the
    sharing of records her organisation does not own."""
    return Role.ADMINISTRATOR in _national_roles(user)


def is_national_staff(user: Any) -> bool:
    """A national administrator or a member of the secretariat (in its lead organisation)."""
    return bool(_national_roles(user) & {Role.ADMINISTRATOR, Role.SECRETARIAT})


def is_admin(user: Any) -> bool:
    """Powers over every organisation's records are national (see `is_national_administrator`);
    an administrator of another organisation has them only in her own organisation."""
    return is_national_administrator(user)


def administers(user: Any, org: Any) -> bool:
    """Whether the user administers `org`: its own administrator, or a national one."""
    if org is None:
        return False
    return (
        is_national_administrator(user)
        or Membership.objects.filter(
            person__user=user, organisation=org, role=Role.ADMINISTRATOR
        ).exists()
    )


def may_share_with_bodies(user: Any, record: Any) -> bool:
    """Sharing a record with a body gives every member of the body need-to-know: the owner's
    own writers may do it for their records, anyone else only as a national administrator."""
    return (
        is_national_administrator(user)
        or Membership.objects.filter(
            person__user=user,
            organisation_id=record.owner_org_id,
            role__in=[Role.ADMINISTRATOR, Role.SECRETARIAT, Role.REPORTER],
        ).exists()
    )


def require_national_administrator(user: Any) -> None:
    if not is_national_administrator(user):
        raise PermissionDenied(
            _(
                "Bare nasjonale administratorer (sekretariatets) kan endre styringslinje, "
                "organmedlemskap, klarering og deling med organer."
            )
        )


def _leads_body(user: Any, body: Any) -> bool:
    return BodyMembership.objects.filter(
        body=body, person__user=user, role__in=[BodyRole.CHAIR, BodyRole.SECRETARY]
    ).exists()


def _reports_for(user: Any, org: Any) -> bool:
    return Membership.objects.filter(
        person__user=user, organisation=org, role__in=[Role.REPORTER, Role.ADMINISTRATOR]
    ).exists()


def allowed(user: Any, action: str, target: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_national_administrator(user):
        return True
    if action in {"manage_organisations", "manage_body_members"}:
        return False
    if action == "edit_organisation":
        return _reports_for(user, target)
    if action == "manage_body":
        return is_national_staff(user) or _leads_body(user, target)
    if action == "update_action":
        return (
            _reports_for(user, target.owner_org)
            or is_national_staff(user)
            or _leads_body(user, target.meeting.body)
        )
    return False


def require(user: Any, action: str, target: Any = None) -> None:
    if not allowed(user, action, target):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette."))
