"""Every write to actors goes through here: one transaction, audited
through the base model, validated with a clear reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import (
    ActionStatus,
    AgendaItem,
    Body,
    BodyMembership,
    BodyState,
    BodyStateChange,
    FollowUpAction,
    Meeting,
    MeetingDecision,
    Organisation,
    Person,
)
from beredskap.actors.permissions import require, require_national_administrator
from beredskap.core.access import forget_context
from beredskap.core.audit import acting_as, record_event
from beredskap.core.classification import Classification
from beredskap.core.errors import Conflict, refuse_duplicate
from beredskap.core.holding import refuse_above_clearance

ORG_FIELDS = {
    "name",
    "short_name",
    "kind",
    "org_number",
    "parent",
    "health_region",
}
# Fields that decide need-to-know across organisations (the governance line gives the
# organisations above read access; the kind makes a statsforvalter see its municipalities).
GOVERNANCE_FIELDS = {"parent", "kind", "health_region"}


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi begrunnelse for endringen.")})
    return reason.strip()[:300]


def _audit_national(by: Any, action: str, label: str, reason: str, **detail: Any) -> None:
    """The why of a national change (the base model records the what, before and after)."""
    record_event(action, actor=by, label=label, detail={**detail, "reason": reason})


def _check_no_cycle(org: Organisation, parent: Organisation | None) -> None:
    """Refuse a governance parent that would make the line circular."""
    node, seen = parent, set()
    while node is not None:
        if node.pk == org.pk and org.pk is not None:
            raise ValidationError({"parent": _("Styringslinjen kan ikke gå i ring.")})
        if node.pk in seen:
            break
        seen.add(node.pk)
        node = node.parent


def _check_unique_org_number(org: Organisation) -> None:
    if org.org_number:
        clash = Organisation.objects.filter(org_number=org.org_number).exclude(pk=org.pk)
        if clash.exists():
            raise Conflict(
                {"org_number": _("Organisasjonsnummeret er allerede registrert.")},
                code="duplicate",
            )


def _save_org(org: Organisation) -> Organisation:
    _check_no_cycle(org, org.parent)
    _check_unique_org_number(org)
    org.full_clean(exclude=["parent"] if org.parent_id is None else None)
    try:
        org.save()
    except IntegrityError as exc:
        raise Conflict(_("Organisasjonen finnes allerede."), code="duplicate") from exc
    return org


def create_organisation(*, by: Any, reason: str = "", **fields: Any) -> Organisation:
    """Register a new organisation (national administrators only: it enters the governance
    line); the reason is audited."""
    require(by, "manage_organisations")
    unknown = set(fields) - ORG_FIELDS
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with acting_as(by), transaction.atomic():
        org = Organisation(**fields)
        _check_no_cycle(org, org.parent)
        _check_unique_org_number(org)
        why = _require_reason(reason) if org.parent_id else reason.strip()[:300]
        org = _save_org(org)
        _audit_national(
            by, "organisation_create", "actors.organisation", why, id=org.pk, parent=org.parent_id
        )
        return org


def update_organisation(
    *, by: Any, org: Organisation, expected_version: int, reason: str = "", **changes: Any
) -> Organisation:
    """Change an organisation; refused if someone saved it since `expected_version`. The
    governance line, kind and health region are changed by national administrators only, with
    a reason that is audited."""
    require(by, "edit_organisation", org)
    unknown = set(changes) - ORG_FIELDS
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})
    governance = {
        key: value
        for key, value in changes.items()
        if key in GOVERNANCE_FIELDS and _value_id(getattr(org, key)) != _value_id(value)
    }
    if governance:
        require_national_administrator(by)
        if "parent" in governance:
            _check_no_cycle(org, governance["parent"])
        why = _require_reason(reason)
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(org, key, value)
        org.version = expected_version
        org = _save_org(org)
        if governance:
            _audit_national(
                by,
                "governance_change",
                "actors.organisation",
                why,
                id=org.pk,
                changes={key: _value_id(value) for key, value in governance.items()},
            )
        return org


def _value_id(value: Any) -> Any:
    return getattr(value, "pk", value)


def add_body_member(
    *,
    by: Any,
    body: Body,
    role: str,
    organisation: Organisation | None = None,
    person: Any = None,
    reason: str = "",
) -> BodyMembership:
    """Seat an organisation and/or person in a body (national administrators only: members see
    what is shared with the body); the same member twice is refused; the reason is audited."""
    require_national_administrator(by)
    if organisation is None and person is None:
        raise ValidationError(_("Et medlem må være en organisasjon eller en person."))
    duplicate = _("Medlemmet sitter allerede i organet.")
    existing = BodyMembership.objects.filter(body=body, organisation=organisation, person=person)
    if existing.exists():
        raise Conflict(duplicate, code="duplicate")
    why = _require_reason(reason)
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        membership = BodyMembership(body=body, organisation=organisation, person=person, role=role)
        membership.full_clean()
        membership.save()
        _audit_national(
            by,
            "body_member_add",
            "actors.bodymembership",
            why,
            id=membership.pk,
            body=body.pk,
            organisation=getattr(organisation, "pk", None),
            person=getattr(person, "pk", None),
            role=role,
        )
    if by is not None:
        forget_context(by)
    return membership


def remove_body_member(*, by: Any, membership: BodyMembership, reason: str) -> None:
    """Unseat a member of a body (national administrators only), with the reason audited."""
    require_national_administrator(by)
    why = _require_reason(reason)
    with acting_as(by), transaction.atomic():
        _audit_national(
            by,
            "body_member_remove",
            "actors.bodymembership",
            why,
            id=membership.pk,
            body=membership.body_id,
            organisation=membership.organisation_id,
            person=membership.person_id,
        )
        membership.delete()


def set_body_state(
    *, by: Any, body: Body, state: str, reason: str, at: datetime | None = None
) -> Body:
    """Activate, make dormant or return a body to active, with the reason logged."""
    require(by, "manage_body", body)
    if state not in BodyState.values:
        raise ValidationError(_("Ukjent tilstand."))
    if not reason.strip():
        raise ValidationError(_("Oppgi begrunnelse for endringen."))
    at = at or timezone.now()
    with acting_as(by), transaction.atomic():
        body.state = state
        body.state_since = timezone.localdate(at)
        body.save()
        BodyStateChange.objects.create(body=body, state=state, at=at, by=by, reason=reason.strip())
    return body


def create_meeting(
    *,
    by: Any,
    body: Body,
    title: str,
    starts_at: datetime,
    location: str = "",
    classification: int = Classification.UGRADERT,
    exempt_public: bool = False,
    exempt_legal_basis: str = "",
) -> Meeting:
    """Schedule a meeting of a body; it is owned by the body's lead and shared with the body."""
    require(by, "manage_body", body)
    with acting_as(by), transaction.atomic():
        meeting = Meeting(
            body=body,
            title=title,
            starts_at=starts_at,
            location=location,
            owner_org=body.lead_org,
            classification=classification,
            exempt_public=exempt_public,
            exempt_legal_basis=exempt_legal_basis,
        )
        refuse_above_clearance(by, meeting.classification)
        meeting.full_clean()
        meeting.save()
        meeting.shared_with_bodies.add(body)
    return meeting


def update_meeting(*, by: Any, meeting: Meeting, expected_version: int, **changes: Any) -> Meeting:
    require(by, "manage_body", meeting.body)
    allowed = {
        "title",
        "starts_at",
        "location",
        "minutes",
        "classification",
        "exempt_public",
        "exempt_legal_basis",
    }
    if set(changes) - allowed:
        raise ValidationError(
            _("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(set(changes) - allowed))}
        )
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(meeting, key, value)
        meeting.version = expected_version
        refuse_above_clearance(by, meeting.classification)
        meeting.full_clean()
        meeting.save()
    return meeting


def add_agenda_item(*, by: Any, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    require(by, "manage_body", meeting.body)
    with acting_as(by), transaction.atomic():
        number = (
            meeting.agenda_items.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        item = AgendaItem(meeting=meeting, number=number, title=title, description=description)
        item.full_clean()
        item.save()
    return item


def record_decision(
    *, by: Any, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None
) -> MeetingDecision:
    require(by, "manage_body", meeting.body)
    if not text.strip():
        raise ValidationError(_("Vedtaket kan ikke være tomt."))
    with acting_as(by), transaction.atomic():
        return MeetingDecision.objects.create(
            meeting=meeting, text=text.strip(), agenda_item=agenda_item
        )


def add_follow_up_action(
    *,
    by: Any,
    meeting: Meeting,
    title: str,
    owner_org: Organisation,
    due_date: date,
    decision: MeetingDecision | None = None,
) -> FollowUpAction:
    """A follow-up action needs an owner and a due date not before the meeting."""
    require(by, "manage_body", meeting.body)
    if due_date < timezone.localdate(meeting.starts_at):
        raise ValidationError({"due_date": _("Fristen kan ikke være før møtet.")})
    with acting_as(by), transaction.atomic():
        action = FollowUpAction(
            meeting=meeting, title=title, owner_org=owner_org, due_date=due_date, decision=decision
        )
        action.full_clean()
        action.save()
    return action


def set_action_status(
    *, by: Any, action: FollowUpAction, status: str, expected_version: int
) -> FollowUpAction:
    require(by, "update_action", action)
    if status not in ActionStatus.values:
        raise ValidationError(_("Ukjent status."))
    with acting_as(by), transaction.atomic():
        action.status = status
        action.version = expected_version
        action.save()
    return action


def attendance_candidates(meeting: Meeting) -> QuerySet[Person]:
    """Who can be recorded as present: the people seated in the body and the people of the
    organisations seated in it."""
    seats = BodyMembership.objects.filter(body=meeting.body)
    return (
        Person.objects.filter(
            Q(body_memberships__in=seats)
            | Q(memberships__organisation__in=seats.values("organisation"))
        )
        .distinct()
        .order_by("name")
    )


def record_minutes(
    *, by: Any, meeting: Meeting, expected_version: int, minutes: str, attendees: list[Any]
) -> Meeting:
    """The minutes and who was present (forvaltningsloven § 11 d and the body's mandate: a
    meeting's record says who took part in its decisions)."""
    require(by, "manage_body", meeting.body)
    allowed_ids = set(attendance_candidates(meeting).values_list("pk", flat=True))
    chosen = {getattr(p, "pk", p) for p in attendees}
    if not chosen <= allowed_ids:
        raise ValidationError({"attendees": _("Bare organets medlemmer kan føres som til stede.")})
    with acting_as(by), transaction.atomic():
        meeting.minutes = minutes.strip()
        meeting.version = expected_version
        meeting.full_clean()
        meeting.save()
        meeting.attendees.set(sorted(chosen))
    return meeting
