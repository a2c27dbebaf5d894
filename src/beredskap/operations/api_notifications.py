"""Notifications in the API: send (refused when an organisation would be reached by nobody),
list with counts, one notification's delivery per recipient and channel, acknowledge.
Registered on the operations router; reads follow the crisis's visibility."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from pydantic import AwareDatetime

from beredskap.actors.models import Body, Organisation
from beredskap.core.idempotency import idempotent
from beredskap.operations import queries
from beredskap.operations.api import ERRORS, _crisis, router
from beredskap.operations.models import NotificationRecipient
from beredskap.operations.notice_board import delivery_overview
from beredskap.operations.services import notification


class NotificationIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1)
    organisation_ids: list[int] = []
    body_slugs: list[str] = []
    requires_ack: bool = True
    ack_within_minutes: int = Field(30, ge=1, le=10080)


class NotificationOut(Schema):
    id: int
    title: str
    sent_at: AwareDatetime
    total: int
    acknowledged: int
    waiting: int
    escalated: int
    with_failures: int


@router.post("/crises/{crisis_id}/notifications", response={201: NotificationOut, **ERRORS})
@idempotent
def send_notification(request: HttpRequest, crisis_id: int, payload: NotificationIn):
    bodies = list(Body.objects.filter(slug__in=payload.body_slugs))
    n = notification.send_notification(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        title=payload.title,
        text=payload.text,
        organisations=list(Organisation.objects.filter(pk__in=payload.organisation_ids)),
        bodies=bodies,
        requires_ack=payload.requires_ack,
        ack_within_minutes=payload.ack_within_minutes,
    )
    return Status(
        201, {"id": n.pk, "title": n.title, "sent_at": n.sent_at, **notification.ack_status(n)}
    )


@router.get("/crises/{crisis_id}/notifications", response=list[NotificationOut])
def list_notifications(request: HttpRequest, crisis_id: int):
    crisis = _crisis(request, crisis_id)
    return [
        {"id": n.pk, "title": n.title, "sent_at": n.sent_at, **notification.ack_status(n)}
        for n in queries.notifications(request.auth, crisis)[:100]
    ]


@router.post("/notifications/{recipient_id}/acknowledge", response={200: dict, **ERRORS})
@idempotent
def acknowledge(request: HttpRequest, recipient_id: int):
    recipient = get_object_or_404(
        NotificationRecipient.objects.filter(notification__in=queries.notifications(request.auth)),
        pk=recipient_id,
    )
    recipient = notification.acknowledge(by=request.auth, recipient=recipient)
    return Status(200, {"id": recipient.pk, "acknowledged_at": recipient.acknowledged_at})


class DeliveryOut(Schema):
    channel: str
    address: str
    step: int
    contact_label: str
    status: str
    error: str
    attempts: int
    next_attempt_at: AwareDatetime | None
    at: AwareDatetime


class RecipientOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    state: str
    acknowledged_at: AwareDatetime | None
    escalation_step: int
    deliveries: list[DeliveryOut]


class NotificationDeliveryOut(Schema):
    id: int
    title: str
    sent_at: AwareDatetime
    unreached: list[str]
    recipients: list[RecipientOut]


def _recipient(row: dict) -> dict:
    r = row["recipient"]
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "organisation": r.organisation.name,
        "state": row["state"],
        "acknowledged_at": r.acknowledged_at,
        "escalation_step": r.escalation_step,
        "deliveries": row["deliveries"],
    }


@router.get(
    "/crises/{crisis_id}/notifications/{notification_id}/deliveries",
    response={200: NotificationDeliveryOut, **ERRORS},
)
def notification_deliveries(request: HttpRequest, crisis_id: int, notification_id: int):
    """Who was reached through which channel, who was not and the server's reason (the crisis's
    coordinators see every recipient, others their own organisations)."""
    crisis = _crisis(request, crisis_id)
    n = get_object_or_404(queries.notifications(request.auth, crisis), pk=notification_id)
    notice: dict[str, Any] = next(
        (x for x in delivery_overview(request.auth, crisis, limit=10**6) if x["notification"] == n),
        {"rows": [], "unreached": []},
    )
    return {
        "id": n.pk,
        "title": n.title,
        "sent_at": n.sent_at,
        "unreached": [r["recipient"].organisation.name for r in notice["unreached"]],
        "recipients": [_recipient(r) for r in notice["rows"]],
    }
