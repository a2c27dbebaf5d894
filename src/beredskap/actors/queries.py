"""Read helpers for actors. Protected records (meetings and what hangs on them) are read
only through `visible_to(user)`; organisations and bodies form the public directory."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from beredskap.actors.models import Body, FollowUpAction, Meeting, Membership, Organisation
from beredskap.core.access import access_context


def organisations(user: Any) -> QuerySet[Organisation]:
    """The organisation directory is open to every signed-in user."""
    if not access_context(user).user_id:
        return Organisation.objects.none()
    return Organisation.objects.select_related("parent", "health_region", "municipality__county")


def bodies(user: Any) -> QuerySet[Body]:
    if not access_context(user).user_id:
        return Body.objects.none()
    return (
        Body.objects.select_related("lead_org", "deputy_lead_org")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("kind", "name")
    )


def meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("body", "owner_org")


def follow_up_actions(user: Any) -> QuerySet[FollowUpAction]:
    return FollowUpAction.objects.filter(meeting__in=Meeting.objects.visible_to(user))


def people_of(user: Any, org: Organisation) -> QuerySet[Membership]:
    """Names of an organisation's people: shown to its own members and those governing it."""
    context = access_context(user)
    if org.pk not in context.need_org_ids:
        return Membership.objects.none()
    return org.memberships.select_related("person").order_by("person__name")


def body_members(body: Body) -> QuerySet:
    return body.memberships.select_related("organisation", "person").order_by(
        "role", "organisation__name"
    )


def user_sits_in(user: Any, body: Body) -> bool:
    return body.pk in access_context(user).body_ids


def meeting_counts(user: Any) -> dict[int, int]:
    rows = meetings(user).values("body_id").annotate(n=Count("id"))
    return {row["body_id"]: row["n"] for row in rows}


def organisations_led(org: Organisation) -> QuerySet[Body]:
    return Body.objects.filter(Q(lead_org=org) | Q(deputy_lead_org=org))


from beredskap.actors.queries_contacts import (  # noqa: E402, F401  (the app's read path)
    contact_points_for,
    contact_roles_for,
    may_see_reachability,
    overseen_organisations,
    unreachable_organisations,
    with_reachability,
)


def find_org(value: str, label: str) -> Any:
    """An organisation named in an import row by organisation number, name or short name; a
    row naming none is refused with the column's label (all-or-nothing imports)."""
    if not value:
        raise ValidationError(_("%(f)s mangler.") % {"f": label})
    org = (
        Organisation.objects.filter(org_number=value).first()
        or Organisation.objects.filter(name=value).first()
        or Organisation.objects.filter(short_name=value).first()
    )
    if org is None:
        raise ValidationError(
            _("%(f)s: organisasjonen «%(v)s» finnes ikke.") % {"f": label, "v": value}
        )
    return org
