"""Writes and reads on API tokens (issuing lives in apiauth.issue_token).

A token is listed and revocable by its user and by an administrator of an organisation the
user is a member of — within her own organisation only (offentleglova/sikkerhetsloven: the
organisation answers for its own people's access).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from beredskap.core.audit import acting_as, record_event
from beredskap.core.models import ApiToken

ADMINISTRATOR = "administrator"


def administered_org_ids(user: Any) -> set[int]:
    """Organisations in which `user` holds the administrator role."""
    from beredskap.actors.models import Membership

    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(person__user=user, role=ADMINISTRATOR).values_list(
            "organisation_id", flat=True
        )
    )


def tokens_administered_by(user: Any) -> QuerySet[ApiToken]:
    """Active tokens of the members of the organisations `user` administers."""
    from beredskap.actors.models import Membership

    orgs = administered_org_ids(user)
    members = Membership.objects.filter(organisation_id__in=orgs).values("person__user_id")
    return (
        ApiToken.objects.filter(user_id__in=members, revoked=False)
        .select_related("user")
        .order_by("user__username", "-created_at")
    )


def active_tokens(user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens that are neither revoked nor expired."""
    return ApiToken.objects.filter(user=user, revoked=False, expires_at__gt=timezone.now())


def revoke(*, user: Any, token_id: str) -> bool:
    """Revoke one of the user's own tokens; someone else's token id is ignored."""
    return _revoke(by=user, rows=ApiToken.objects.filter(user=user), token_id=token_id)


def revoke_as_administrator(*, by: Any, token_id: str) -> bool:
    """Revoke a token of a member of an organisation `by` administers; others are ignored."""
    return _revoke(by=by, rows=tokens_administered_by(by), token_id=token_id)


def _revoke(*, by: Any, rows: QuerySet[ApiToken], token_id: str) -> bool:
    if not str(token_id).isdigit():
        return False
    with acting_as(by), transaction.atomic():
        row = rows.filter(pk=int(token_id), revoked=False).select_for_update().first()
        if row is None:
            return False
        ApiToken.objects.filter(pk=row.pk).update(revoked=True, revoked_at=timezone.now())
        record_event(
            "api_token_revoked",
            actor=by,
            detail={"token_id": row.pk, "owner": row.user.username, "name": row.name},
        )
    return True
