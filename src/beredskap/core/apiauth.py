"""Authentication for the API: bearer tokens for machine clients, the session for the browser."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from beredskap.core.models import ApiToken


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(*, user: Any, name: str) -> str:
    """Create a token for `user`; the secret is returned once and only its hash is kept."""
    from beredskap.core.audit import record_event

    secret = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:10], token_hash=hash_token(secret)
    )
    record_event("api_token_issued", actor=user, detail={"name": name[:100]})
    return secret


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked=False)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        if row.last_used_at is None or (timezone.now() - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


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
