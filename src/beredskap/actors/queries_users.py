"""Reads for user administration: only the members of one organisation, for those who
administer it (an administrator never sees users outside her organisation)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from beredskap.actors.models import Clearance, Membership, Organisation

INACTIVE_DAYS = 90
WARN_DAYS = 30


def members(org: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=org)
        .select_related("person__user")
        .order_by("person__name")
    )


def not_signed_in_since(org: Organisation, days: int = INACTIVE_DAYS) -> set[int]:
    """Membership ids of active users who have not signed in for `days` (or never have)."""
    cutoff = timezone.now() - timedelta(days=days)
    rows = members(org).filter(person__user__is_active=True)
    stale = rows.filter(person__user__last_login__lt=cutoff) | rows.filter(
        person__user__last_login__isnull=True, person__user__date_joined__lt=cutoff
    )
    return set(stale.values_list("pk", flat=True))


def clearances_of(org: Organisation) -> list[Clearance]:
    """The record in force (newest) for each member cleared through this organisation."""
    newest: dict[int, Clearance] = {}
    rows = Clearance.objects.filter(organisation=org).select_related("user__person")
    for row in rows.order_by("user_id", "-valid_from", "-id"):
        newest.setdefault(row.user_id, row)
    return sorted(newest.values(), key=lambda c: c.valid_until)


def lapsing(records: list[Clearance], days: int = WARN_DAYS) -> list[Clearance]:
    return [c for c in records if not c.lapsed and c.days_left <= days]


def cleared_members(org: Organisation) -> Any:
    return members(org).filter(person__user__isnull=False)
