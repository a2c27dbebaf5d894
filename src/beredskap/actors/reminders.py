"""Reminders from an organisation to one it has oversight of (sending, delivery, acknowledging).

Who may remind whom follows the need-to-know line of ``core.access``: a member of an
organisation may remind the organisations below it in the governance line and, for a
statsforvalter, the municipalities of its counties (Meld. St. 5 (2023–2024) 2.3). E-mail goes
out only after the transaction commits (no mail about a change that was rolled back).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Membership, Organisation, Reminder, Role
from beredskap.core.access import access_context, governed_org_ids
from beredskap.core.audit import acting_as
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


def _recipients(org: Organisation) -> list[str]:
    people = (
        Membership.objects.filter(organisation=org, role__in=[Role.ADMINISTRATOR, Role.REPORTER])
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    addresses = {*people, *([org.contact_24_7_email] if org.contact_24_7_email else [])}
    return sorted(addresses)


def _deliver(reminder_id: int, addresses: list[str]) -> None:
    if not addresses:
        return
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
    send_mail(subject, body, None, addresses, fail_silently=False)


def send_reminder(
    *,
    by: Any,
    to_org: Organisation,
    topic: str,
    message: str = "",
    link: str = "",
    from_org: Organisation | None = None,
) -> Reminder:
    """Send a reminder (in-app and by e-mail after commit) to an organisation under oversight."""
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
    addresses = _recipients(to_org)
    with acting_as(by), transaction.atomic():
        reminder = Reminder.objects.create(
            from_org=from_org or senders[0],
            to_org=to_org,
            topic=topic,
            message=message.strip()[:4000],
            link=link,
            sent_by=by,
            recipients=len(addresses),
        )
        transaction.on_commit(lambda: _deliver(reminder.pk, addresses))
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
    return Reminder.objects.filter(
        from_org_id__in=access_context(user).member_org_ids
    ).select_related("from_org", "to_org")
