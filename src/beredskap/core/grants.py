"""Explicit need-to-know grants: the one place they are made, bounded and revoked.

Access beyond the owner and the governance line rests on tjenstlig behov (sikkerhetsloven § 8-1;
Meld. St. 5 (2023–2024) 3.1: organisations are drawn into a crisis for as long as it lasts). A grant
therefore says who gave it and why, a grant the system makes because of another record (its
`origin`, e.g. the crisis an organisation was notified in) ends a set time after that record ends,
and every grant, change of expiry and revocation is written to the audit trail with the grantee, the
record and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.models import AccessGrant, AuditEvent

GRANT_LABEL = "core.accessgrant"


def _actor(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _describe(grant: AccessGrant) -> dict[str, Any]:
    return {
        "record": f"{grant.content_type.app_label}.{grant.content_type.model}:{grant.object_id}",
        "organisation_id": grant.organisation_id,
        "user_id": grant.user_id,
        "reason": grant.reason,
        "expires_at": grant.expires_at.isoformat() if grant.expires_at else None,
        "origin": (
            f"{grant.origin_type.app_label}.{grant.origin_type.model}:{grant.origin_id}"
            if grant.origin_type_id
            else None
        ),
    }


def _audit(
    action: str,
    by: Any,
    grants: list[AccessGrant],
    classification: int = 0,
    why: str = "",
) -> None:
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=_actor(by),
                action=action,
                model=GRANT_LABEL,
                object_id=str(grant.pk),
                object_repr=str(grant)[:200],
                classification=classification,
                after={**_describe(grant), **({"why": why} if why else {})},
            )
            for grant in grants
        ]
    )


def active(queryset: models.QuerySet[AccessGrant] | None = None) -> models.QuerySet[AccessGrant]:
    """Grants in force now (not expired, not revoked)."""
    qs = AccessGrant.objects.all() if queryset is None else queryset
    return qs.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


def grants_on(record: models.Model) -> models.QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    )


def grant_access(
    *,
    by: Any,
    record: models.Model,
    reason: str,
    organisations: Iterable[Any] = (),
    users: Iterable[Any] = (),
    origin: models.Model | None = None,
    expires_at: datetime | None = None,
) -> list[AccessGrant]:
    """Grant `record` to organisations and/or users; a grantee that already holds an active grant
    is left as it is. Returns the grants made (each audited)."""
    if not reason.strip():
        raise ValidationError(_("Oppgi begrunnelse for tilgangen."))
    organisations, users = list(organisations), list(users)
    content_type = ContentType.objects.get_for_model(type(record))
    held = active(grants_on(record))
    have_orgs = set(
        held.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    have_users = set(held.filter(user__isnull=False).values_list("user_id", flat=True))
    common = {
        "content_type": content_type,
        "object_id": str(record.pk),
        "reason": reason.strip()[:300],
        "granted_by": _actor(by),
        "expires_at": expires_at,
        "origin_type": ContentType.objects.get_for_model(type(origin)) if origin else None,
        "origin_id": str(origin.pk) if origin else "",
    }
    new = [
        AccessGrant(organisation_id=pk, **common)
        for pk in sorted({o.pk for o in organisations} - have_orgs)
    ] + [AccessGrant(user_id=pk, **common) for pk in sorted({u.pk for u in users} - have_users)]
    if not new:
        return []
    with transaction.atomic():
        made = AccessGrant.objects.bulk_create(new)  # keys returned on SQLite and PostgreSQL
        _audit("grant", by, made, getattr(record, "classification", 0))
    return made


def revoke_access(*, by: Any, grant: AccessGrant, reason: str) -> AccessGrant:
    """End a grant now; the row is kept (expired at the moment of revocation) and audited."""
    if not reason.strip():
        raise ValidationError(_("Oppgi begrunnelse for å trekke tilbake tilgangen."))
    now = timezone.now()
    with transaction.atomic():
        grant.revoked_at, grant.revoked_by = now, _actor(by)
        if grant.expires_at is None or grant.expires_at > now:
            grant.expires_at = now
        grant.save(update_fields=["revoked_at", "revoked_by", "expires_at"])
        _audit("revoke", by, [grant], why=reason.strip())
    return grant


def crisis_grant_days() -> int:
    return int(getattr(settings, "BEREDSKAP_CRISIS_GRANT_DAYS", 30))


def bound_grants_of(*, by: Any, origin: models.Model, ended_at: datetime, reason: str) -> int:
    """The origin (a crisis) has ended: every active grant it gave expires the configured number
    of days later (BEREDSKAP_CRISIS_GRANT_DAYS), so participants can finish their reports and the
    evaluation, and then lose access. Returns how many grants were bounded."""
    expires_at = ended_at + timedelta(days=crisis_grant_days())
    grants = list(
        active(
            AccessGrant.objects.filter(
                origin_type=ContentType.objects.get_for_model(type(origin)),
                origin_id=str(origin.pk),
            )
        ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=expires_at))
    )
    if not grants:
        return 0
    with transaction.atomic():
        for grant in grants:
            grant.expires_at = expires_at
        AccessGrant.objects.bulk_update(grants, ["expires_at"])
        _audit("grant_expiry", by, grants, getattr(origin, "classification", 0), why=reason)
    return len(grants)
