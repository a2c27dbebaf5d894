"""Delivery of notifications: one record per recipient, channel and address; temporary failures
retried with backoff; escalation along the organisation's contact points in their order.

The status shown to crisis staff is what the channel answered (health preparedness act § 2-2
and Meld. St. 5 (2023–2024) 2.3: each organisation must be reachable in a crisis, and the one
who notifies must know who was not reached). A route is given up when its failure is
permanent or the retries are used up; the organisation is then escalated at once instead of
waiting for the acknowledgement deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import ContactKind, ContactPoint, Membership, Organisation, Person
from beredskap.actors.queries import contact_points_for
from beredskap.core.channels import CHANNELS, OutgoingMessage
from beredskap.operations.models import Delivery, DeliveryStatus, NotificationRecipient
from beredskap.operations.services.crises import log

#: Waits before the 2nd, 3rd and 4th attempt; after the last one the route is given up.
RETRY_BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15))
MAX_ATTEMPTS = len(RETRY_BACKOFF) + 1
#: The channel a contact point is reached through (a duty phone is a mobile taking SMS).
CONTACT_CHANNEL: dict[str, str] = {
    ContactKind.EMAIL: "email",
    ContactKind.SMS: "sms",
    ContactKind.DUTY_PHONE: "sms",
}


def member_emails(org: Organisation | int) -> list[str]:
    org_id = org.pk if isinstance(org, Organisation) else org
    emails = (
        Person.objects.filter(memberships__organisation_id=org_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(emails))


def unreachable(organisations: list[Organisation]) -> list[Organisation]:
    """Organisations a notification would reach nobody in: no member with an e-mail address and
    no contact point."""
    ids = [o.pk for o in organisations]
    with_email = set(
        Membership.objects.filter(organisation_id__in=ids)
        .exclude(person__email="")
        .values_list("organisation_id", flat=True)
    )
    with_point = set(
        Organisation.objects.filter(pk__in=ids, contact_points__isnull=False).values_list(
            "pk", flat=True
        )
    )
    return [o for o in organisations if o.pk not in with_email | with_point]


def _link() -> str:
    return settings.BEREDSKAP_BASE_URL + reverse("operations:notifications")


def _subject(recipient: NotificationRecipient, escalated: bool) -> str:
    notification = recipient.notification
    prefix = "ØVELSE – " if notification.crisis.is_exercise else ""
    esc = _("ESKALERT: ") if escalated else ""
    return f"{prefix}{esc}{notification.title}"


def _body(recipient: NotificationRecipient, channel: str) -> str:
    """Graded content stays in the application, only a pointer goes out; SMS is kept short."""
    notification = recipient.notification
    lines = ["ØVELSE ØVELSE ØVELSE"] if notification.crisis.is_exercise else []
    if notification.classification > 0:
        lines.append(_("Meldingen er gradert. Logg inn i Beredskap for å lese den."))
    elif channel != "sms":
        lines.append(notification.text)
    if notification.requires_ack:
        deadline = timezone.localtime(recipient.ack_deadline()).strftime("%d.%m.%Y %H:%M")
        lines.append(_("Kvitter innen %(t)s i Beredskap: %(u)s") % {"t": deadline, "u": _link()})
    return "\n\n".join(lines)


def queue(
    recipient: NotificationRecipient,
    routes: list[tuple[str, str, str]],
    *,
    step: int,
    now: datetime,
) -> list[Delivery]:
    """Record a queued delivery per (channel, address, label) route of one step."""
    return Delivery.objects.bulk_create(
        [
            Delivery(
                recipient=recipient,
                channel=channel,
                address=address,
                contact_label=label,
                escalation=recipient.escalated_at is not None and step > 0,
                step=step,
                at=now,
            )
            for channel, address, label in routes
        ]
    )


def attempt(delivery: Delivery, *, now: datetime) -> Delivery:
    """Send one delivery through its channel and record the answer."""
    recipient = delivery.recipient
    message = OutgoingMessage(
        subject=_subject(recipient, delivery.escalation),
        body=_body(recipient, delivery.channel),
        addresses=(delivery.address,),
    )
    result = CHANNELS[delivery.channel].send(message)[0]
    delivery.attempts += 1
    delivery.at = now
    delivery.error = "" if result.ok else result.error
    delivery.status = DeliveryStatus.SENT if result.ok else DeliveryStatus.FAILED
    retry = not result.ok and not result.permanent and delivery.attempts < MAX_ATTEMPTS
    delivery.next_attempt_at = now + RETRY_BACKOFF[delivery.attempts - 1] if retry else None
    delivery.save(update_fields=["attempts", "at", "error", "status", "next_attempt_at"])
    if not result.ok and not retry:
        _route_given_up(delivery, now=now)
    return delivery


def _route_given_up(delivery: Delivery, *, now: datetime) -> None:
    """When no route of the current step reached the organisation or can still reach it, go on
    to its next contact point now rather than after the acknowledgement deadline."""
    recipient = NotificationRecipient.objects.select_related(
        "notification__crisis", "organisation"
    ).get(pk=delivery.recipient_id)
    if recipient.acknowledged_at or delivery.step != recipient.escalation_step:
        return
    alive = recipient.deliveries.filter(step=delivery.step).exclude(channel="in_app")
    live = [DeliveryStatus.SENT, DeliveryStatus.QUEUED]
    alive = alive.filter(Q(status__in=live) | Q(next_attempt_at__isnull=False))
    if not alive.exists():
        escalate(recipient, now=now, reason=_("ingen adresse på dette trinnet nådde fram"))


def escalate(recipient: NotificationRecipient, *, now: datetime, reason: str) -> bool:
    """Move the recipient to its next contact point (once per step, safe from several workers)
    and send to it; False when there is no further contact point or another worker did it."""
    point = _claim_next_point(recipient, now=now, escalated=True)
    if point is None:
        return False
    label = f"{point.get_kind_display()} {point.label}".strip()
    _log_escalation(recipient, point.display_value, label, reason, now)
    _send_to_point(recipient, point, label, now=now)
    return True


def _claim_next_point(
    recipient: NotificationRecipient, *, now: datetime, escalated: bool
) -> ContactPoint | None:
    points = list(contact_points_for(recipient.organisation_id))
    step = recipient.escalation_step
    claimed = NotificationRecipient.objects.filter(
        pk=recipient.pk, escalation_step=step, acknowledged_at=None
    )
    changes: dict[str, Any] = {"escalation_step": step + 1}
    if escalated:
        changes["escalated_at"] = now
    if step >= len(points) or not claimed.update(**changes):
        return None
    recipient.escalation_step = step + 1
    if escalated:
        recipient.escalated_at = now
        recipient.deliveries.filter(step=step, status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.ESCALATED
        )
    recipient.deliveries.filter(step=step).update(next_attempt_at=None)
    return points[step]


def _send_to_point(
    recipient: NotificationRecipient, point: ContactPoint, label: str, *, now: datetime
) -> None:
    routes = [(CONTACT_CHANNEL[point.kind], point.value, label)]
    for queued in queue(recipient, routes, step=recipient.escalation_step, now=now):
        attempt(queued, now=now)


def _log_escalation(
    recipient: NotificationRecipient, value: str, label: str, reason: str, now: datetime
) -> None:
    log(
        crisis=recipient.notification.crisis,
        by=None,
        kind="escalation",
        occurred_at=now,
        text=_("«%(t)s» til %(o)s eskalert til kontaktpunkt %(n)s (%(l)s %(v)s): %(r)s.")
        % {
            "t": recipient.notification.title,
            "o": recipient.organisation.name,
            "n": recipient.escalation_step,
            "l": label,
            "v": value,
            "r": reason,
        },
    )


def first_send(recipient: NotificationRecipient, *, now: datetime) -> None:
    """In-app for everyone; e-mail to each member with an address — or, when no member has one,
    straight to the first contact point."""
    queue(recipient, [("in_app", "", "")], step=0, now=now)
    Delivery.objects.filter(recipient=recipient, channel="in_app").update(
        status=DeliveryStatus.SENT, attempts=1
    )
    emails = member_emails(recipient.organisation_id)
    if not emails:
        point = _claim_next_point(recipient, now=now, escalated=False)
        if point is not None:
            _send_to_point(
                recipient, point, f"{point.get_kind_display()} {point.label}".strip(), now=now
            )
        return
    for delivery in queue(recipient, [("email", e, "") for e in emails], step=0, now=now):
        attempt(delivery, now=now)


def retry_due(*, now: datetime | None = None) -> int:
    """Try again every failed delivery whose backoff has passed (claimed one by one, so several
    workers never send the same delivery twice)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status=DeliveryStatus.FAILED,
        next_attempt_at__lte=now,
        recipient__acknowledged_at=None,
        recipient__notification__crisis__status="open",
    ).select_related("recipient__notification__crisis", "recipient__organisation")
    count = 0
    for delivery in due:
        claimed = Delivery.objects.filter(pk=delivery.pk, next_attempt_at=delivery.next_attempt_at)
        if claimed.update(next_attempt_at=None):
            attempt(delivery, now=now)
            count += 1
    return count


def acknowledged(recipient: NotificationRecipient) -> None:
    """What reached the organisation is now acknowledged; pending retries stop."""
    recipient.deliveries.filter(status=DeliveryStatus.SENT).update(
        status=DeliveryStatus.ACKNOWLEDGED
    )
    recipient.deliveries.update(next_attempt_at=None)


def recipient_state(recipient: NotificationRecipient, deliveries: list[Delivery]) -> dict[str, Any]:
    """At a glance: reached or not and why, computed from the delivery records."""
    outside = [d for d in deliveries if d.channel != "in_app"]
    reached = [d for d in outside if d.status not in (DeliveryStatus.FAILED, DeliveryStatus.QUEUED)]
    failed = [d for d in outside if d.status == DeliveryStatus.FAILED]
    pending = [d for d in outside if d.status == DeliveryStatus.QUEUED or d.next_attempt_at]
    if recipient.acknowledged_at:
        state = "acknowledged"
    elif reached:
        state = "reached"
    elif pending:
        state = "pending"
    else:
        state = "unreached"
    return {"state": state, "failed": failed, "reached": reached, "pending": pending}
