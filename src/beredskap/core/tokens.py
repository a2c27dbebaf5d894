"""Writes on API tokens (issuing lives in apiauth.issue_token)."""

from __future__ import annotations

from typing import Any

from beredskap.core.audit import record_event
from beredskap.core.models import ApiToken


def revoke(*, user: Any, token_id: str) -> bool:
    """Revoke one of the user's own tokens; someone else's token id is ignored."""
    if not str(token_id).isdigit():
        return False
    changed = ApiToken.objects.filter(pk=int(token_id), user=user, revoked=False).update(
        revoked=True
    )
    if changed:
        record_event("api_token_revoked", actor=user, detail={"token_id": int(token_id)})
    return bool(changed)
