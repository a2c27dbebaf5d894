"""Reads of contact points and of which organisations cannot be reached.

Contact points are part of the organisation directory (open to every signed-in user: any
organisation may need to reach another in a crisis). The overview of organisations with no
contact point or no active user is for those who follow organisations up: the statsforvalter
for her county's municipalities (Meld. St. 5 (2023–2024) 2.3) and the secretariat for all.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet

from beredskap.actors.models import (
    ContactPoint,
    ContactRole,
    Membership,
    Organisation,
    OrganisationKind,
)
from beredskap.actors.permissions import is_national_staff


def contact_points_for(organisation: Organisation | int) -> QuerySet[ContactPoint]:
    """An organisation's contact points in escalation order (lowest `order` first)."""
    org_id = cast(int, getattr(organisation, "pk", organisation))
    return ContactPoint.objects.filter(organisation_id=org_id).order_by("order", "id")


def contact_roles_for(organisation: Organisation | int) -> QuerySet[ContactRole]:
    org_id = cast(int, getattr(organisation, "pk", organisation))
    return ContactRole.objects.filter(organisation_id=org_id).select_related("person")


def overseen_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the user follows up: all for the secretariat, a statsforvalter's
    municipalities for her, none for others."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if is_national_staff(user):
        return Organisation.objects.all()
    counties = Organisation.objects.filter(
        kind=OrganisationKind.STATSFORVALTER, memberships__person__user=user
    ).values("served_counties")
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, municipality__county__in=counties
    )


def may_see_reachability(user: Any) -> bool:
    return (
        is_national_staff(user)
        or Organisation.objects.filter(
            kind=OrganisationKind.STATSFORVALTER, memberships__person__user=user
        ).exists()
    )


def with_reachability(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate `has_contact_point` and `has_active_user`, computed from the records."""
    active = Membership.objects.filter(organisation=OuterRef("pk"), person__user__is_active=True)
    return queryset.annotate(
        has_contact_point=Exists(ContactPoint.objects.filter(organisation=OuterRef("pk"))),
        has_active_user=Exists(active),
    )


def unreachable_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations the user follows up that have no contact point or no active user —
    notifications and reminders to them would reach nobody."""
    return (
        with_reachability(overseen_organisations(user))
        .filter(Q(has_contact_point=False) | Q(has_active_user=False))
        .select_related("municipality__county")
        .order_by("name")
    )
