"""Sign-in rules: lockout after repeated failures, TOTP devices for cleared users."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from beredskap.core.audit import record_event
from beredskap.core.models import LoginAttempt


def is_locked_out(username: str) -> bool:
    """Locked when LOGIN_MAX_FAILURES failures fall within the last LOGIN_LOCKOUT_MINUTES."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginAttempt.objects.filter(username__iexact=username, at__gte=since).count()
    return recent >= settings.LOGIN_MAX_FAILURES


def register_failure(username: str, ip: str) -> None:
    LoginAttempt.objects.create(username=username[:150], ip=ip[:64])
    record_event("login_failed", detail={"username": username[:150], "ip": ip[:64]})
    if is_locked_out(username):
        record_event("login_locked", detail={"username": username[:150]})


def clear_failures(username: str) -> None:
    LoginAttempt.objects.filter(username__iexact=username).delete()


def confirmed_totp_device(user) -> TOTPDevice | None:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp_device(user) -> TOTPDevice:  # type: ignore[no-untyped-def]
    """The user's unconfirmed TOTP device, created on first visit to the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Beredskap", confirmed=False)
    return device
