"""One answer to "has this session passed a second factor?" — the platform's TOTP or the
identity provider's own strong authentication.

The security act's guidance (NSM grunnprinsipper 4.2) and the health sector's Normen
(faktaark 7) ask for two-factor sign-in to graded information. HelseID and ID-porten already
authenticate at a high level (eIDAS "high", BankID/buypass smart card), so asking the person for
our TOTP on top would add nothing. When a provider asserts such a level, the session is marked
here, and django-otp's ``user.is_verified()`` honours the mark through ``OTPMiddleware`` below.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

#: Session key holding how the identity provider verified the session (provider, acr, amr).
IDP_VERIFIED_SESSION_KEY = "beredskap_idp_two_factor"


def mark_verified_by_identity_provider(
    request: HttpRequest, *, provider: str, acr: str, amr: list[str]
) -> None:
    """Record that the provider's strong sign-in satisfies the two-factor rule for this session."""
    request.session[IDP_VERIFIED_SESSION_KEY] = {
        "user_id": str(request.user.pk),
        "provider": provider,
        "acr": acr,
        "amr": amr,
    }
    _honour(request.user)


def verified_by_identity_provider(request: HttpRequest) -> dict[str, Any] | None:
    """The provider's mark on this session, if it belongs to the signed-in user."""
    mark = request.session.get(IDP_VERIFIED_SESSION_KEY) if hasattr(request, "session") else None
    user = getattr(request, "user", None)
    if not mark or user is None or not user.is_authenticated:
        return None
    return mark if mark.get("user_id") == str(user.pk) else None


def session_is_verified(request: HttpRequest) -> bool:
    """True when the signed-in user passed a second factor in this session (TOTP or the IdP)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if verified_by_identity_provider(request) is not None:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def _honour(user: Any) -> None:
    user.is_verified = lambda: True


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, plus: a session the identity provider verified counts as verified,
    so every existing ``user.is_verified()`` check (pages, API session auth) gives one answer."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        user = super()._verify_user_sync(request, user)
        if user.is_authenticated and _mark_matches(request, user):
            _honour(user)
        return user

    async def _verify_user_async_via_auser(self, request: HttpRequest, auser: Any) -> Any:
        user = await super()._verify_user_async_via_auser(request, auser)
        if user.is_authenticated and _mark_matches(request, user):
            _honour(user)
        return user


def _mark_matches(request: HttpRequest, user: Any) -> bool:
    mark = request.session.get(IDP_VERIFIED_SESSION_KEY)
    return bool(mark) and mark.get("user_id") == str(user.pk)
