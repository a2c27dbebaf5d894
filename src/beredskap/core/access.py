"""Need-to-know access control: the one read path (sikkerhetsloven § 8-1:
access needs clearance and need to know; one path so no view can forget it).

A user sees a protected record when BOTH hold:

1. clearance: the user's effective clearance is at least the record's classification; and
2. need to know (tjenstlig behov), one of:
   a. the record is open: UGRADERT and not exempt from public access (offentleglova § 3,
      the main rule that case documents are public) — every signed-in user;
   b. the user is a member of the owning organisation, or of an organisation above it in
      the governance line (styringslinje), or of the statsforvalter office that covers the
      owning municipality (Meld. St. 5 (2023–2024) 2.3: the statsforvalter links the
      municipalities and the centre);
   c. the record is shared with a body the user sits in, personally or through an
      organisation that is a member of the body;
   d. the user, or one of the user's organisations, holds an explicit, unexpired grant.

Clearance alone never grants access (STANDARDS.md 6.3). Nobody bypasses this, superusers
included. Every HTML page, API endpoint, export, search and count reads through
`visible_to(user)`.

Clearance counts only with a second factor (NSM grunnprinsipper 2.6: strong authentication
for access to classified information): a request authenticated by password alone, or by an
API token created in such a session, is marked with `mark_unverified` and its effective
clearance is UGRADERT — on every read path at once, whatever page or endpoint it hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from beredskap.core.classification import Classification


@dataclass(frozen=True)
class AccessContext:
    """What the access rule needs to know about a user, computed once per request."""

    user_id: int | None
    clearance: int
    member_org_ids: frozenset[int]
    need_org_ids: frozenset[int]
    body_ids: frozenset[int]

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = AccessContext(None, -1, frozenset(), frozenset(), frozenset())


def access_context(user: Any) -> AccessContext:
    """The user's clearance, organisations and bodies (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_access_context", None)
    if cached is not None:
        return cached
    context = _build_context(user)
    user._access_context = context
    return context


_UNVERIFIED = "_second_factor_missing"


def mark_unverified(user: Any) -> None:
    """This request authenticated `user` without a completed second factor: its clearance
    counts as UGRADERT until a verified request."""
    setattr(user, _UNVERIFIED, True)
    forget_context(user)


def is_unverified(user: Any) -> bool:
    return bool(getattr(user, _UNVERIFIED, False))


def forget_context(user: Any) -> None:
    """Drop the cached context after the user's memberships change."""
    if hasattr(user, "_access_context"):
        del user._access_context


def _build_context(user: Any) -> AccessContext:
    from beredskap.actors.models import BodyMembership, Membership

    member_orgs = frozenset(
        Membership.objects.filter(person__user=user).values_list("organisation_id", flat=True)
    )
    body_ids = frozenset(
        BodyMembership.objects.filter(
            Q(person__user=user) | Q(organisation_id__in=member_orgs)
        ).values_list("body_id", flat=True)
    )
    clearance = user.effective_clearance()
    if is_unverified(user):
        clearance = min(clearance, Classification.UGRADERT)
    return AccessContext(
        user_id=user.pk,
        clearance=clearance,
        member_org_ids=member_orgs,
        need_org_ids=frozenset(member_orgs | governed_org_ids(member_orgs)),
        body_ids=body_ids,
    )


def governed_org_ids(org_ids: frozenset[int]) -> set[int]:
    """Organisations below `org_ids` in the governance line, and municipalities covered
    by any statsforvalter office among them."""
    from beredskap.actors.models import Organisation, OrganisationKind

    own = list(Organisation.objects.filter(pk__in=org_ids).values_list("id", "kind"))
    found: set[int] = set()
    frontier = set(org_ids)
    while frontier:  # one query per level of the governance line (leaves: one empty query)
        children = set(
            Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found - set(org_ids)
        found |= frontier
    statsforvaltere = [oid for oid, kind in own if kind == OrganisationKind.STATSFORVALTER]
    if statsforvaltere:
        found |= set(
            Organisation.objects.filter(
                kind=OrganisationKind.MUNICIPALITY,
                municipality__county__served_by__in=statsforvaltere,
            ).values_list("id", flat=True)
        )
    return found


def open_q() -> Q:
    return Q(classification=Classification.UGRADERT, exempt_public=False)


def visible_q(model: type[models.Model], context: AccessContext, prefix: str = "") -> Q:
    """The access rule as a query condition on `model` (optionally through `prefix`)."""
    p = f"{prefix}__" if prefix else ""
    need = (
        Q(**{f"{p}classification": Classification.UGRADERT, f"{p}exempt_public": False})
        | Q(**{f"{p}owner_org_id__in": context.need_org_ids})
        | Q(**{f"{p}shared_with_bodies__in": context.body_ids})
        | Q(**{f"{p}pk__in": granted_ids(model, context)})
    )
    return Q(**{f"{p}classification__lte": context.clearance}) & need


def granted_ids(model: type[models.Model], context: AccessContext) -> models.QuerySet:
    from beredskap.core.models import AccessGrant

    now = timezone.now()
    grants = AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    grants = grants.filter(
        Q(user_id=context.user_id) | Q(organisation_id__in=context.member_org_ids)
    )
    return grants.annotate(
        pk_value=Cast("object_id", output_field=models.BigIntegerField())
    ).values("pk_value")


class ProtectedQuerySet(models.QuerySet):
    """The only way protected records leave the database.

    A queryset made by `visible_to(user)` remembers its reader: when it loads records (a list, a
    detail, an export, an API page), the classified ones among them are written to the audit trail
    as read by that user, in one insert per load (every read of a classified record records
    who and when, for the auditors). Counts, existence checks and subqueries load no record and log
    nothing.
    """

    _reader: Any = None

    def visible_to(self, user: Any) -> ProtectedQuerySet:
        context = access_context(user)
        if context.is_anonymous:
            return self.none()
        inner = self.model._base_manager.filter(visible_q(self.model, context)).values("pk")
        visible = self.filter(pk__in=inner)
        visible._reader = user
        return visible

    def _clone(self) -> ProtectedQuerySet:
        clone = super()._clone()  # type: ignore[misc]
        clone._reader = self._reader
        return clone

    def _fetch_all(self) -> None:
        loaded = self._result_cache is not None
        super()._fetch_all()
        if not loaded and self._reader is not None:
            self._log_reads(self._result_cache or [])

    def iterator(self, chunk_size: int | None = None):
        chunk: list[Any] = []
        for row in super().iterator(chunk_size=chunk_size):
            chunk.append(row)
            if len(chunk) >= 500:
                self._log_reads(chunk)
                chunk = []
            yield row
        self._log_reads(chunk)

    def _log_reads(self, rows: list[Any]) -> None:
        from beredskap.core.audit import record_reads

        if self._reader is not None and rows and isinstance(rows[0], models.Model):
            record_reads(self._reader, rows)


def can_see(user: Any, record: Any) -> bool:
    """Whether `user` may see one record (same rule, evaluated on a loaded object)."""
    return type(record)._default_manager.filter(pk=record.pk).visible_to(user).exists()
