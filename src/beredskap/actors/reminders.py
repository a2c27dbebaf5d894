"""Reminders from an organisation to one it has oversight of (sending, delivery, acknowledging).

Who may remind whom follows the need-to-know line of ``core.access``: a member of an
organisation may remind the organisations below it in the governance line and, for a
statsforvalter, the municipalities of its counties (Meld. St. 5 (2023–2024) 2.3). E-mail goes
out only after the transaction commits (no mail about a change that was rolled back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import (
    ContactKind,
    ContactPoint,
    DeliverySource,
    DeliveryStatus,
    Membership,
    Organisation,
    Reminder,
    ReminderDelivery,
)
from beredskap.actors.queries_contacts import contact_points_for
from beredskap.core.access import access_context, governed_org_ids
from beredskap.core.audit import acting_as
from beredskap.core.channels import CHANNELS, OutgoingMessage
from beredskap.core.errors import PermissionDenied

#: The same topic is not sent to the same organisation twice within this period.
REPEAT_GUARD = timedelta(hours=20)


def sender_orgs_for(user: Any, to_org: Organisation) -> list[Organisation]:
    """The user's organisations that have oversight of ``to_org`` (empty: may not remind it)."""
    context = access_context(user)
    return [
        org
        for org in Organisation.objects.filter(id__in=context.member_org_ids).order_by("name")
        if to_org.pk != org.pk and to_org.pk in governed_org_ids(frozenset({org.pk}))
    ]


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValidationError({"link": _("Lenken må peke til en side i Beredskap.")})
    return link[:300]


@dataclass(frozen=True)
class Recipient:
    channel: str  # a key of core.channels.CHANNELS
    address: str
    source: str  # DeliverySource


def recipients(org: Organisation) -> list[Recipient]:
    """Everyone a reminder to `org` reaches: its users with an e-mail address and its contact
    points (functional e-mail; SMS numbers when an SMS channel is installed)."""
    people = (
        Membership.objects.filter(organisation=org, person__user__is_active=True)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    found = {("email", a.strip().lower(), DeliverySource.USER) for a in people}
    points = contact_points_for(org)
    emails = [p.value for p in points if p.kind == ContactKind.EMAIL]
    found |= {("email", a.strip().lower(), DeliverySource.CONTACT_POINT) for a in emails}
    if "sms" in CHANNELS:
        found |= {
            ("sms", p.value, DeliverySource.CONTACT_POINT)
            for p in points
            if p.kind == ContactKind.SMS
        }
    unique: dict[tuple[str, str], Recipient] = {}
    for channel, address, source in sorted(found):
        unique.setdefault((channel, address), Recipient(channel, address, source))
    return list(unique.values())


def reachable_org_ids(org_ids: Any) -> set[int]:
    """Which of `org_ids` a reminder would reach (one query per kind, for overview tables)."""
    ids = set(org_ids)
    users = Membership.objects.filter(
        organisation_id__in=ids, person__user__is_active=True
    ).exclude(person__email="")
    kinds = [ContactKind.EMAIL, *([ContactKind.SMS] if "sms" in CHANNELS else [])]
    points = ContactPoint.objects.filter(organisation_id__in=ids, kind__in=kinds)
    return set(users.values_list("organisation_id", flat=True)) | set(
        points.values_list("organisation_id", flat=True)
    )


def _deliver(reminder_id: int, targets: list[Recipient]) -> None:
    """Send by each channel and record what the server answered for every address."""
    reminder = Reminder.objects.select_related("from_org", "to_org").get(pk=reminder_id)
    body = "\n\n".join(
        part
        for part in [
            reminder.message,
            f"{settings.BEREDSKAP_BASE_URL}{reminder.link}" if reminder.link else "",
            _("Sendt av %(org)s via Beredskap.") % {"org": reminder.from_org.name},
        ]
        if part
    )
    subject = _("Påminnelse: %(topic)s") % {"topic": reminder.topic}
    sources = {(t.channel, t.address): t.source for t in targets}
    for channel in sorted({t.channel for t in targets}):
        addresses = tuple(t.address for t in targets if t.channel == channel)
        results = CHANNELS[channel].send(OutgoingMessage(subject, body, addresses))
        ReminderDelivery.objects.bulk_create(
            ReminderDelivery(
                reminder=reminder,
                channel=channel,
                address=r.address,
                source=sources.get((channel, r.address), DeliverySource.CONTACT_POINT),
                status=DeliveryStatus.SENT if r.ok else DeliveryStatus.FAILED,
                error="" if r.ok else (r.error or _("Ukjent feil"))[:300],
            )
            for r in results
        )


def refuse_unreachable(org: Organisation) -> list[Recipient]:
    """The recipients of `org`, or a refusal naming why the reminder would reach nobody."""
    targets = recipients(org)
    if not targets:
        raise ValidationError(
            _(
                "Påminnelsen er ikke sendt: %(org)s har ingen brukere med e-postadresse og ingen "
                "kontaktpunkter, så den ville ikke nådd noen. Registrer et kontaktpunkt først."
            )
            % {"org": org.name},
            code="unreachable",
        )
    return targets


def send_reminder(
    *,
    by: Any,
    to_org: Organisation,
    topic: str,
    message: str = "",
    link: str = "",
    from_org: Organisation | None = None,
) -> Reminder:
    """Send a reminder (in-app, and by e-mail to every recipient after commit, each delivery
    recorded) to an organisation under oversight; refused when it would reach nobody."""
    senders = sender_orgs_for(by, to_org)
    if not senders or (from_org is not None and from_org not in senders):
        raise PermissionDenied(_("Du kan bare sende påminnelser til organisasjoner du følger opp."))
    topic = (topic or "").strip()
    if not topic:
        raise ValidationError({"topic": _("Skriv hva påminnelsen gjelder.")})
    if len(topic) > 200:
        raise ValidationError({"topic": _("Emnet kan ha høyst 200 tegn.")})
    link = _clean_link(link)
    since = timezone.now() - REPEAT_GUARD
    if Reminder.objects.filter(to_org=to_org, topic=topic, sent_at__gte=since).exists():
        raise ValidationError({"topic": _("Denne påminnelsen er allerede sendt det siste døgnet.")})
    targets = refuse_unreachable(to_org)
    with acting_as(by), transaction.atomic():
        reminder = Reminder.objects.create(
            from_org=from_org or senders[0],
            to_org=to_org,
            topic=topic,
            message=message.strip()[:4000],
            link=link,
            sent_by=by,
            recipients=len(targets),
        )
        transaction.on_commit(lambda: _deliver(reminder.pk, targets))
    return reminder


def acknowledge(*, by: Any, reminder: Reminder) -> Reminder:
    """Mark a received reminder as seen (members of the receiving organisation)."""
    if reminder.to_org_id not in access_context(by).member_org_ids:
        raise PermissionDenied(_("Du kan bare kvittere for påminnelser til din organisasjon."))
    if reminder.acknowledged_at is None:
        reminder.acknowledged_at = timezone.now()
        reminder.acknowledged_by = by
        reminder.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return reminder


def received(user: Any) -> QuerySet[Reminder]:
    return Reminder.objects.filter(
        to_org_id__in=access_context(user).member_org_ids
    ).select_related("from_org", "to_org")


def sent(user: Any) -> QuerySet[Reminder]:
    return (
        Reminder.objects.filter(from_org_id__in=access_context(user).member_org_ids)
        .select_related("from_org", "to_org")
        .prefetch_related("deliveries")
    )


def outcome(reminder: Reminder) -> tuple[str, str]:
    """(message level, text) saying what the mail server answered for each address."""
    deliveries = list(ReminderDelivery.objects.filter(reminder=reminder))
    if not deliveries:
        return "info", _("Påminnelsen er lagret; e-post går til %(n)s mottakere.") % {
            "n": reminder.recipients
        }
    failed = [d for d in deliveries if d.status == DeliveryStatus.FAILED]
    sent = len(deliveries) - len(failed)
    if not failed:
        return "success", _("Påminnelsen er sendt til %(n)s mottakere.") % {"n": sent}
    reasons = "; ".join(f"{d.address}: {d.error}" for d in failed[:5])
    if len(failed) > 5:
        reasons += " " + _("(og %(n)s til; se påminnelsen)") % {"n": len(failed) - 5}
    level = "warning" if sent else "error"
    return level, _(
        "Påminnelsen ble sendt til %(sent)s av %(all)s mottakere. Ikke sendt: %(r)s"
    ) % {
        "sent": sent,
        "all": len(deliveries),
        "r": reasons,
    }


def tell_sender(request: Any, reminder: Reminder) -> None:
    """Put the outcome on the sender's page (django.contrib.messages)."""
    from django.contrib import messages

    level, text = outcome(reminder)
    getattr(messages, level)(request, text)
