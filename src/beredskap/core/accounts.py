"""Local accounts done properly: invitations, first sign-in, deactivation, the sign-in backend.

A person joins by invitation from an administrator of her organisation (white paper ch. 6:
each organisation is responsible for its own people — ansvarsprinsippet), sets a password or
binds her HelseID/ID-porten identity on first sign-in, and loses every session and API token
at once when she leaves (NSM grunnprinsipper 2.6: remove access that is no longer needed).
"""

from __future__ import annotations

import secrets
import smtplib
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.accountmodels import ExternalIdentity, Invitation, hash_secret
from beredskap.core.audit import acting_as, record_event
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import ApiToken, User
from beredskap.core.security import LockoutModelBackend

if TYPE_CHECKING:
    from beredskap.core.oidc.client import VerifiedIdentity

#: Where a backend-less login (after an OIDC sign-in or accepting an invitation) is recorded.
BACKEND_PATH = "beredskap.core.accounts.AccountBackend"


class AccountBackend(LockoutModelBackend):
    """The user/password backend (with lockout) that can be switched off per installation.

    Closed health networks may keep local passwords; an installation that signs everyone in
    through HelseID/ID-porten sets BEREDSKAP_LOCAL_LOGIN=0 and no password is accepted anywhere
    (sign-in page, admin, API). Sessions are still looked up through ``get_user``, which refuses
    inactive users, so a deactivated person's session stops working on its next request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not settings.BEREDSKAP_LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def may_manage_users(by: Any, organisation: Any) -> bool:
    """The organisation's own administrators, the national administrators and the secretariat
    (administrator or secretariat role in the secretariat's lead organisation), and superusers."""
    from beredskap.actors.models import Body, BodyKind, Membership, Role

    if not getattr(by, "is_authenticated", False) or not by.is_active:
        return False
    if by.is_superuser:
        return True
    memberships = Membership.objects.filter(person__user=by)
    national = Body.objects.filter(kind=BodyKind.SECRETARIAT).values("lead_org_id")
    return (
        memberships.filter(organisation=organisation, role=Role.ADMINISTRATOR).exists()
        or memberships.filter(
            organisation_id__in=national, role__in=[Role.ADMINISTRATOR, Role.SECRETARIAT]
        ).exists()
    )


def _invitation_link(secret: str) -> str:
    return f"{settings.BEREDSKAP_BASE_URL}/konto/invitasjon/{secret}/"


def invite(*, organisation: Any, email: str, role: str, invited_by: Any) -> tuple[Invitation, str]:
    """Create an inactive user with a membership and a single-use, expiring first-login link."""
    from beredskap.actors.models import Membership, Person, Role

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Skriv inn en gyldig e-postadresse.")}) from None
    if role not in Role.values:
        raise ValidationError({"role": _("Ukjent rolle.")})
    if not may_manage_users(invited_by, organisation):
        raise PermissionDenied(
            _("Du kan bare invitere personer til en organisasjon du administrerer.")
        )
    existing = User.objects.filter(username__iexact=email).first() or (
        User.objects.filter(email__iexact=email).first()
    )
    if existing is not None and (existing.is_active or existing.last_login is not None):
        raise ValidationError(
            {"email": _("Det finnes allerede en bruker med denne e-postadressen.")}
        )
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with acting_as(invited_by), transaction.atomic():
        user = existing or User.objects.create_user(username=email, email=email, is_active=False)
        if existing is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        person = getattr(user, "person", None) or Person.objects.create(
            name=email, email=email, user=user
        )
        membership = Membership.objects.filter(person=person, organisation=organisation).first()
        if membership is None:
            Membership.objects.create(person=person, organisation=organisation, role=role)
        elif membership.role != role:
            membership.role = role
            membership.save()
        invitation = Invitation.objects.create(
            user=user,
            organisation=organisation,
            email=email,
            role=role,
            invited_by=invited_by,
            token_hash=hash_secret(secret),
            expires_at=now + timedelta(days=settings.BEREDSKAP_INVITATION_DAYS),
        )
        record_event(
            "user_invited",
            actor=invited_by,
            label="core.user",
            detail={
                "user_id": user.pk,
                "email": email,
                "organisation_id": organisation.pk,
                "role": role,
                "invitation_id": invitation.pk,
            },
        )
        link = _invitation_link(secret)
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, link


def _send_invitation(invitation: Invitation, link: str) -> None:
    """Send the link; what happened is kept on the object (``delivered`` / ``delivery_error``)
    and a failure is in the audit trail, so no screen calls an undelivered invitation sent."""
    try:
        _mail_invitation(invitation, link)
    except (OSError, smtplib.SMTPException) as exc:
        invitation.delivered = False
        invitation.delivery_error = str(exc)[:300]
        record_event(
            "invitation_not_delivered",
            actor=invitation.invited_by,
            label="core.user",
            detail={
                "invitation_id": invitation.pk,
                "email": invitation.email,
                "error": str(exc)[:300],
            },
        )
    else:
        invitation.delivered = True


def _mail_invitation(invitation: Invitation, link: str) -> None:
    days = settings.BEREDSKAP_INVITATION_DAYS
    send_mail(
        _("Invitasjon til Beredskap"),
        _(
            "Du er invitert til Beredskap for %(org)s.\n\n"
            "Åpne lenken for å ta i bruk kontoen (gyldig i %(days)s dager, kan brukes én gang):\n"
            "%(link)s\n\nVar invitasjonen ikke ment for deg, kan du se bort fra denne e-posten."
        )
        % {"org": invitation.organisation, "days": days, "link": link},
        None,
        [invitation.email],
    )


def open_invitation(secret: str) -> Invitation | None:
    """The invitation a link's secret belongs to, if it can still be used."""
    if not secret or len(secret) > 200:
        return None
    invitation = (
        Invitation.objects.select_related("user", "organisation")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def _refuse_used() -> ValidationError:
    return ValidationError(
        _("Invitasjonslenken er utløpt, allerede brukt eller trukket tilbake. Be om en ny.")
    )


def accept_invitation_with_password(*, secret: str, password: str, name: str = "") -> User:
    """First sign-in with a local password: the password is checked against the policy."""
    if not settings.BEREDSKAP_LOCAL_LOGIN:
        raise PermissionDenied(_("Lokale passord er slått av i denne installasjonen."))
    with transaction.atomic():
        invitation = _lock_open(secret)
        user = invitation.user
        password_validation.validate_password(password, user)
        with acting_as(user):
            user.set_password(password)
            _activate(invitation, name=name)
        record_event(
            "invitation_accepted",
            actor=user,
            label="core.user",
            detail={"invitation_id": invitation.pk, "method": "password"},
        )
    return user


def accept_invitation_with_identity(*, secret: str, identity: VerifiedIdentity) -> User:
    """First sign-in through an identity provider: bind its stable subject to the invited user."""
    from beredskap.core.oidc.client import SignInRefused

    with transaction.atomic():
        try:
            invitation = _lock_open(secret)
        except ValidationError as exc:
            raise SignInRefused(exc.messages[0]) from exc
        if ExternalIdentity.objects.filter(
            provider=identity.provider, subject=identity.subject
        ).exists():
            raise SignInRefused(
                _("Denne identiteten er allerede knyttet til en annen bruker i Beredskap.")
            )
        user = invitation.user
        with acting_as(user):
            ExternalIdentity.objects.create(
                user=user,
                provider=identity.provider,
                subject=identity.subject,
                last_login_at=timezone.now(),
            )
            _activate(invitation, name=identity.name)
        record_event(
            "invitation_accepted",
            actor=user,
            label="core.user",
            detail={"invitation_id": invitation.pk, "method": identity.provider},
        )
    return user


def _lock_open(secret: str) -> Invitation:
    found = open_invitation(secret)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user", "organisation")
        .filter(pk=found.pk)
        .first()
        if found
        else None
    )
    if invitation is None or not invitation.is_open:
        raise _refuse_used()
    return invitation


def _activate(invitation: Invitation, *, name: str) -> None:
    user = invitation.user
    user.is_active = True
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    person = getattr(user, "person", None)
    if person is not None and name.strip() and person.name == invitation.email:
        person.name = name.strip()[:200]
        person.save()


def user_for_identity(identity: VerifiedIdentity) -> User:
    """The user bound to a provider's subject; an unknown or deactivated one is refused."""
    from beredskap.core.oidc.client import SignInRefused

    bound = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )
    if bound is None:
        raise SignInRefused(
            _(
                "Du er ikke registrert som bruker av Beredskap. Be en administrator i "
                "organisasjonen din om en invitasjon, og åpne invitasjonslenken før du logger inn."
            )
        )
    if not bound.user.is_active:
        raise SignInRefused(_("Kontoen din er deaktivert. Kontakt administratoren din."))
    ExternalIdentity.objects.filter(pk=bound.pk).update(last_login_at=timezone.now())
    return bound.user


def end_sessions(user: Any) -> int:
    """Delete every stored session of the user (the database session store)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0  # other stores: get_user() refuses the inactive user on the next request
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def may_deactivate(by: Any, user: Any) -> bool:
    from beredskap.actors.models import Organisation

    if by.is_superuser:
        return True
    organisations = Organisation.objects.filter(memberships__person__user=user).distinct()
    return any(may_manage_users(by, org) for org in organisations) or (
        not organisations.exists() and may_manage_users(by, None)
    )


def deactivate_user(*, user: Any, by: Any, reason: str) -> dict[str, int]:
    """Deactivate a leaver: no sign-in, every session ended, every API token revoked, audited."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Oppgi hvorfor brukeren deaktiveres.")})
    if user.pk == getattr(by, "pk", None):
        raise PermissionDenied(_("Du kan ikke deaktivere din egen konto."))
    if not may_deactivate(by, user):
        raise PermissionDenied(
            _("Du kan bare deaktivere brukere i organisasjoner du administrerer.")
        )
    with acting_as(by), transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        tokens = ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
        Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        sessions = end_sessions(user)
        result = {"sessions_ended": sessions, "tokens_revoked": tokens}
        record_event(
            "user_deactivated",
            actor=by,
            label="core.user",
            detail={
                "user_id": user.pk,
                "username": user.username,
                "reason": reason[:500],
                **result,
            },
        )
    return result
