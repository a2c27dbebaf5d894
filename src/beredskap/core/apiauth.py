"""Authentication for the API: bearer tokens for machine clients, the session for the browser.

A token carries a scope (read, or read and write), an expiry and whether it was created in a
session that had completed two-factor. Without that last mark the token reads only what is
open at UGRADERT (NSM grunnprinsipper 2.6: a password alone never unlocks classified data).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from beredskap.core.access import mark_unverified
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import ApiToken, TokenScope

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    *,
    user: Any,
    name: str,
    verified: bool,
    scope: str = TokenScope.READ,
    days: int | None = None,
) -> str:
    """Create a token for `user`; the secret is returned once and only its hash is kept.

    `verified` says whether the creating session completed two-factor."""
    from beredskap.core.audit import record_event

    if scope not in TokenScope.values:
        scope = TokenScope.READ
    lifetime = days or settings.BEREDSKAP_API_TOKEN_DAYS
    secret = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:10],
        token_hash=hash_token(secret),
        scope=scope,
        created_verified=bool(verified),
        expires_at=timezone.now() + timedelta(days=min(lifetime, 3650)),
    )
    record_event(
        "api_token_issued",
        actor=user,
        detail={"name": name[:100], "scope": scope, "created_verified": bool(verified)},
    )
    return secret


class TokenAuth(HttpBearer):
    """Bearer tokens: unknown, revoked and expired ones get 401; a read token writing gets 403."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        now = timezone.now()
        row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked=False, expires_at__gt=now)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        if row.scope != TokenScope.READ_WRITE and request.method not in SAFE_METHODS:
            raise PermissionDenied(_("Nøkkelen har bare lesetilgang."))
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        user = row.user
        if not row.created_verified:
            mark_unverified(user)
        request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """The browser session, if the user has completed two-factor where it is required."""

    def __call__(self, request: HttpRequest) -> Any:
        # No signed-in session: not this scheme's business, so the answer is 401 (with
        # WWW-Authenticate), not the CSRF check's 403 meant for a browser that is signed in.
        if not getattr(getattr(request, "user", None), "is_authenticated", False):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user and user.needs_two_factor and not getattr(user, "is_verified", lambda: False)():
            return None
        return user


API_AUTH = [TokenAuth(), VerifiedSessionAuth()]
