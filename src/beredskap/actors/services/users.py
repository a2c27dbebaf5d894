"""Writes of user administration inside one organisation, and of clearances.

An organisation's administrator manages her own organisation's people (ansvarsprinsippet,
Meld. St. 5 (2023–2024) 2.1: each organisation is responsible for its own preparedness);
a clearance is registered by the organisation's security officer (sikkerhetsleder) as the
authorising official decided it (sikkerhetsloven § 8-1). Every change is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Clearance, Membership, Organisation, Role
from beredskap.actors.permissions import administers, is_national_administrator
from beredskap.core import accounts
from beredskap.core.access import forget_context
from beredskap.core.audit import acting_as, record_event
from beredskap.core.classification import Classification, max_allowed
from beredskap.core.errors import PermissionDenied

ORG_ROLES = [Role.READER, Role.REPORTER, Role.ADMINISTRATOR, Role.SECURITY_OFFICER]


def require_administrator(by: Any, org: Organisation) -> None:
    if not administers(by, org):
        raise PermissionDenied(_("Du kan bare administrere brukere i din egen organisasjon."))


def is_security_officer(user: Any, org: Organisation) -> bool:
    """The organisation's designated security officer (or a national administrator)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        is_national_administrator(user)
        or Membership.objects.filter(
            person__user=user, organisation=org, role=Role.SECURITY_OFFICER
        ).exists()
    )


def _check_role(role: str) -> None:
    if role not in ORG_ROLES:
        raise ValidationError({"role": _("Ukjent rolle.")})


def _guard_security_officer(by: Any, *roles: str) -> None:
    """Whoever holds the security officer role registers clearances, so designating or
    removing one is national, like clearances themselves; an organisation's administrator
    cannot make a colleague who then clears her."""
    if Role.SECURITY_OFFICER in roles and not is_national_administrator(by):
        raise PermissionDenied(
            _("Sikkerhetsleder utpekes eller fjernes av en nasjonal administrator.")
        )


def invite_member(*, by: Any, organisation: Organisation, email: str, role: str, name: str = ""):
    """Invite a person to the organisation (first-login link by e-mail)."""
    require_administrator(by, organisation)
    _check_role(role)
    _guard_security_officer(by, role)
    invitation, link = accounts.invite(
        organisation=organisation, email=email, role=role, invited_by=by
    )
    person = getattr(invitation.user, "person", None)
    if person is not None and name.strip() and person.name == invitation.email:
        with acting_as(by):
            person.name = name.strip()[:200]
            person.save()
    return invitation, link


def change_role(*, by: Any, membership: Membership, role: str) -> Membership:
    require_administrator(by, membership.organisation)
    _check_role(role)
    _guard_security_officer(by, role, membership.role)
    if membership.person.user_id == getattr(by, "pk", None) and role != Role.ADMINISTRATOR:
        raise ValidationError(_("Du kan ikke ta fra deg selv administratorrollen."))
    with acting_as(by), transaction.atomic():
        membership.role = role
        membership.save()
    if membership.person.user is not None:
        forget_context(membership.person.user)
    return membership


def remove_membership(*, by: Any, membership: Membership) -> None:
    """Take a person out of the organisation (she keeps memberships elsewhere)."""
    require_administrator(by, membership.organisation)
    _guard_security_officer(by, membership.role)
    if membership.person.user_id == getattr(by, "pk", None):
        raise ValidationError(_("Du kan ikke fjerne ditt eget medlemskap."))
    user = membership.person.user
    with acting_as(by), transaction.atomic():
        membership.delete()
    if user is not None:
        forget_context(user)


def deactivate_member(*, by: Any, membership: Membership, reason: str) -> dict[str, int]:
    """Deactivate a leaver: sign-in refused, sessions ended and tokens revoked at once."""
    require_administrator(by, membership.organisation)
    if membership.person.user is None:
        raise ValidationError(_("Personen har ingen brukerkonto."))
    return accounts.deactivate_user(user=membership.person.user, by=by, reason=reason)


def register_clearance(
    *,
    by: Any,
    organisation: Organisation,
    user: Any,
    level: int,
    valid_until: date,
    legal_basis: str,
    authorising_official: str,
    valid_from: date | None = None,
) -> Clearance:
    """Register an authorisation decision for a member; it is in force until `valid_until`."""
    if not is_security_officer(by, organisation):
        raise PermissionDenied(_("Bare organisasjonens sikkerhetsleder kan registrere klarering."))
    if not Membership.objects.filter(person__user=user, organisation=organisation).exists():
        raise ValidationError({"user": _("Personen er ikke medlem av organisasjonen.")})
    valid_from = valid_from or timezone.localdate()
    errors = _clearance_errors(level, valid_from, valid_until, legal_basis, authorising_official)
    if errors:
        raise ValidationError(errors)
    with acting_as(by), transaction.atomic():
        clearance = Clearance(
            user=user,
            organisation=organisation,
            level=level,
            valid_from=valid_from,
            valid_until=valid_until,
            legal_basis=legal_basis.strip(),
            authorising_official=authorising_official.strip(),
            registered_by=by,
        )
        clearance.full_clean()
        clearance.save()
        _apply(user, level, valid_until)
        record_event(
            "clearance_registered",
            actor=by,
            label="core.user",
            detail={"user_id": user.pk, "clearance_id": clearance.pk, "level": level},
        )
    return clearance


def _clearance_errors(
    level: int, valid_from: date, valid_until: date, legal_basis: str, official: str
) -> dict[str, str]:
    errors = {}
    if level not in Classification.values or level == Classification.UGRADERT:
        errors["level"] = _("Velg BEGRENSET eller høyere.")
    elif level > max_allowed():
        errors["level"] = _("Nivået er høyere enn installasjonen tillater.")
    if valid_until < max(valid_from, timezone.localdate()):
        errors["valid_until"] = _("Utløpsdatoen må være i dag eller senere, og etter start.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Oppgi hjemmel.")
    if not official.strip():
        errors["authorising_official"] = _("Oppgi autorisasjonsansvarlig.")
    return errors


def withdraw_clearance(*, by: Any, clearance: Clearance, reason: str) -> Clearance:
    """Withdraw an authorisation before its expiry; the person reads UGRADERT at once."""
    if not is_security_officer(by, clearance.organisation):
        raise PermissionDenied(_("Bare organisasjonens sikkerhetsleder kan trekke klarering."))
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi begrunnelse.")})
    with acting_as(by), transaction.atomic():
        clearance.withdrawn_at = timezone.now()
        clearance.save()
        _apply(clearance.user, Classification.UGRADERT, None)
        record_event(
            "clearance_withdrawn",
            actor=by,
            label="core.user",
            detail={"user_id": clearance.user_id, "clearance_id": clearance.pk, "reason": reason},
        )
    return clearance


def _apply(user: Any, level: int, valid_until: date | None) -> None:
    """The user's clearance fields follow the record; `effective_clearance` then computes
    UGRADERT after the expiry date."""
    user.clearance, user.clearance_valid_until = level, valid_until
    user.save(update_fields=["clearance", "clearance_valid_until"])
    forget_context(user)
