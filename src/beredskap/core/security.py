"""Sign-in rules: lockout after repeated failures, TOTP devices for cleared users.

Lockout counts failures per (username, source address), not per username: an attacker who
guesses from one address slows herself down, never the real user signing in from another
(OWASP Authentication Cheat Sheet, "account lockout" — avoid denial of service). Past the
limit each further failure doubles the wait, up to LOGIN_LOCKOUT_MAX_MINUTES. The count sits
in the authentication backend, so every sign-in form — the site's and Django admin's — feeds
and obeys the same lockout.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from beredskap.core.audit import acting_as, record_event
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import LoginAttempt


def client_ip(request: HttpRequest | None) -> str:
    """The source address of a request (REMOTE_ADDR; a trusted proxy must set it)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _failures(username: str, ip: str) -> list[datetime]:
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MAX_MINUTES)
    return list(
        LoginAttempt.objects.filter(username__iexact=username, ip=ip[:64], at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
    )


def locked_until(username: str, ip: str) -> datetime | None:
    """When (username, ip) may try again, or None if it may now.

    Locked after LOGIN_MAX_FAILURES failures; the wait is LOGIN_LOCKOUT_MINUTES after the
    last failure, doubled for each failure past the limit."""
    failures = _failures(username, ip)
    excess = len(failures) - settings.LOGIN_MAX_FAILURES
    if excess < 0:
        return None
    minutes = min(
        settings.LOGIN_LOCKOUT_MINUTES * 2 ** min(excess, 20), settings.LOGIN_LOCKOUT_MAX_MINUTES
    )
    until = failures[0] + timedelta(minutes=minutes)
    return until if until > timezone.now() else None


def is_locked_out(username: str, ip: str) -> bool:
    return locked_until(username, ip) is not None


def register_failure(username: str, ip: str) -> None:
    LoginAttempt.objects.create(username=username[:150], ip=ip[:64])
    record_event("login_failed", detail={"username": username[:150], "ip": ip[:64]})
    until = locked_until(username, ip)
    if until is not None:
        record_event(
            "login_locked",
            detail={"username": username[:150], "ip": ip[:64], "until": until.isoformat()},
        )


def clear_failures(username: str, ip: str) -> None:
    """A successful sign-in clears the failures from that address only."""
    LoginAttempt.objects.filter(username__iexact=username, ip=ip[:64]).delete()


class LockoutModelBackend(ModelBackend):
    """Username and password, refused while (username, address) is locked out; every failure
    is counted, whichever form (the site's sign-in, Django admin) asked."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get("username")
        if not username or password is None:
            return None
        ip = client_ip(request)
        if is_locked_out(username, ip):
            raise DjangoPermissionDenied("locked out")  # stops authenticate() for every backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            register_failure(username, ip)
        else:
            clear_failures(username, ip)
        return user


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first visit to the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Beredskap", confirmed=False)
    return device


def replace_totp_device(*, user: Any, current_code: str, new_code: str) -> bool:
    """Swap the user's confirmed TOTP device for the pending one: needs a valid code from
    the current device and one from the new (a password alone must not move the second
    factor to an attacker's phone — NSM grunnprinsipper 2.6)."""
    current = confirmed_totp_device(user)
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if current is None or pending is None:
        return False
    if not current.verify_token(current_code) or not pending.verify_token(new_code):
        record_event("two_factor_replace_refused", actor=user)
        return False
    with acting_as(user), transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        pending.confirmed = True
        pending.save()
        record_event("two_factor_replaced", actor=user)
    return True


def can_reset_two_factor(by: Any, target: Any) -> bool:
    """An administrator of an organisation the target is a member of (not herself)."""
    from beredskap.actors.models import Membership
    from beredskap.core.tokens import administered_org_ids

    if target is None or by is None or by.pk == target.pk:
        return False
    orgs = administered_org_ids(by)
    return Membership.objects.filter(person__user=target, organisation_id__in=orgs).exists()


def reset_two_factor(*, by: Any, user: Any, reason: str) -> int:
    """Remove all of `user`'s TOTP devices so she enrols anew at next sign-in; audited with
    who and why. Returns how many devices were removed."""
    if not can_reset_two_factor(by, user):
        raise PermissionDenied(_("Du kan bare tilbakestille tofaktor for egne medarbeidere."))
    reason = reason.strip()
    if not reason:
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Oppgi hvorfor tofaktor tilbakestilles.")})
    with acting_as(by), transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=user).delete()
        record_event(
            "two_factor_reset",
            actor=by,
            detail={"user": user.username, "reason": reason[:300], "devices": removed},
        )
    return removed


def members_administered_by(by: Any) -> list[dict[str, Any]]:
    """Users in the organisations `by` administers, with whether each has a TOTP device."""
    from django.contrib.auth import get_user_model

    from beredskap.actors.models import Membership
    from beredskap.core.tokens import administered_org_ids

    members = Membership.objects.filter(
        organisation_id__in=administered_org_ids(by), person__user__isnull=False
    ).values("person__user_id")
    users = get_user_model().objects.filter(pk__in=members).exclude(pk=by.pk).order_by("username")
    with_device = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    return [{"user": u, "has_device": u.pk in with_device} for u in users]
