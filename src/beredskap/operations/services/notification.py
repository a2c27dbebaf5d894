"""Notification (varsling) with required acknowledgement; delivery, retries and escalation along
the contact points are in :mod:`beredskap.operations.services.delivery`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core.audit import acting_as
from beredskap.core.errors import Conflict, PermissionDenied, refuse_duplicate
from beredskap.operations.models import (
    Crisis,
    DistributionList,
    Notification,
    NotificationRecipient,
)
from beredskap.operations.permissions import member_of, require_coordinator, require_open
from beredskap.operations.services import delivery
from beredskap.operations.services.crises import grant_participants, log


def recipients_of(
    *, organisations: Any = (), bodies: Any = (), lists: Any = ()
) -> list[Organisation]:
    """Organisations reached by a choice of organisations, bodies (their member organisations) and
    lists."""
    ids = {o.pk for o in organisations}
    for body in bodies:
        ids |= set(
            body.memberships.exclude(organisation=None).values_list("organisation_id", flat=True)
        )
        ids.add(body.lead_org_id)
    for dl in lists:
        ids |= set(dl.organisations.values_list("pk", flat=True))
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def send_notification(
    *,
    by: Any,
    crisis: Crisis,
    title: str,
    text: str,
    organisations: Any = (),
    bodies: Any = (),
    lists: Any = (),
    requires_ack: bool = True,
    ack_within_minutes: int = 30,
    classification: int = 0,
) -> Notification:
    """Notify organisations, bodies or distribution lists; e-mail goes out after commit."""
    require_coordinator(by, crisis)
    require_open(crisis)
    targets = recipients_of(organisations=organisations, bodies=bodies, lists=lists)
    if not targets:
        raise ValidationError(_("Velg minst én mottaker."))
    if not title.strip() or not text.strip():
        raise ValidationError(_("Tittel og melding må fylles ut."))
    if requires_ack and not 1 <= ack_within_minutes <= 7 * 24 * 60:
        raise ValidationError(
            {"ack_within_minutes": _("Kvitteringsfristen må være mellom 1 minutt og 7 døgn.")}
        )
    if classification > crisis.classification:
        raise ValidationError(_("Varselet kan ikke graderes høyere enn krisen."))
    refuse_unreachable(targets)
    now = timezone.now()
    with acting_as(by), transaction.atomic():
        notification = Notification.objects.create(
            crisis=crisis,
            title=title.strip(),
            text=text.strip(),
            requires_ack=requires_ack,
            ack_within_minutes=ack_within_minutes,
            sent_at=now,
            sent_by=by,
            classification=classification,
        )
        recipients = NotificationRecipient.objects.bulk_create(
            [NotificationRecipient(notification=notification, organisation=o) for o in targets]
        )
        grant_participants(
            by=by, crisis=crisis, organisations=targets, reason=_("Varslet i krisen")
        )
        log(
            crisis=crisis,
            by=by,
            kind="notification",
            text=_("Varsel «%(t)s» sendt til %(n)s mottakere.")
            % {"t": notification.title, "n": len(targets)},
        )
        ids = [r.pk for r in recipients]
        transaction.on_commit(lambda: _send_initial(ids, now))
    return notification


def refuse_unreachable(targets: list[Organisation]) -> None:
    """A notification must not look sent to organisations it cannot reach at all."""
    missing = delivery.unreachable(targets)
    if missing:
        raise ValidationError(
            _(
                "Varselet ville ikke nå noen i: %(orgs)s (ingen bruker med e-postadresse og intet "
                "kontaktpunkt). Registrer et kontaktpunkt eller fjern dem fra mottakerne."
            )
            % {"orgs": ", ".join(o.name for o in missing)},
            code="unreachable",
            params={"organisations": [o.pk for o in missing]},
        )


def _send_initial(recipient_ids: list[int], now: datetime) -> None:
    for recipient in NotificationRecipient.objects.filter(pk__in=recipient_ids).select_related(
        "notification__crisis", "organisation"
    ):
        delivery.first_send(recipient, now=now)


def acknowledge(*, by: Any, recipient: NotificationRecipient) -> NotificationRecipient:
    """Acknowledge on behalf of one's own organisation; a second acknowledgement is a no-op."""
    if not member_of(by, recipient.organisation_id):
        raise PermissionDenied(_("Du kan bare kvittere for din egen organisasjon."))
    with transaction.atomic():
        updated = NotificationRecipient.objects.filter(
            pk=recipient.pk, acknowledged_at=None
        ).update(acknowledged_at=timezone.now(), acknowledged_by=by)
        recipient.refresh_from_db()
        if updated:
            delivery.acknowledged(recipient)
            log(
                crisis=recipient.notification.crisis,
                by=by,
                kind="acknowledgement",
                text=_("%(o)s kvitterte for «%(t)s».")
                % {"o": recipient.organisation.name, "t": recipient.notification.title},
            )
    return recipient


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Retry failed deliveries whose backoff has passed, then escalate every unacknowledged
    notification past its deadline to the organisation's next contact point (each step once).
    Safe to run repeatedly and from several workers."""
    now = now or timezone.now()
    delivery.retry_due(now=now)
    due = (
        NotificationRecipient.objects.filter(
            notification__requires_ack=True,
            acknowledged_at=None,
            notification__crisis__status="open",
        )
        .annotate(points=Count("organisation__contact_points"))
        .filter(escalation_step__lt=F("points"))
        .select_related("notification__crisis", "organisation")
    )
    count = 0
    for recipient in due:
        if recipient.ack_deadline() > now:
            continue
        reason = _("ikke kvittert innen fristen")
        if delivery.escalate(recipient, now=now, reason=reason):
            count += 1
    return count


def ack_status(notification: Notification) -> dict[str, int]:
    rows = notification.recipients.all()
    total = rows.count()
    acked = rows.exclude(acknowledged_at=None).count()
    escalated = rows.filter(Q(acknowledged_at=None) & ~Q(escalated_at=None)).count()
    failed = rows.filter(acknowledged_at=None, deliveries__status="failed").distinct().count()
    return {
        "total": total,
        "acknowledged": acked,
        "waiting": total - acked,
        "escalated": escalated,
        "with_failures": failed,
    }


def create_list(*, by: Any, name: str, organisations: Any) -> DistributionList:
    """A distribution list of organisations (coordinators only)."""
    from beredskap.operations.permissions import may_declare

    if not may_declare(by):
        raise PermissionDenied(_("Du har ikke tilgang til å lage distribusjonslister."))
    duplicate = {"name": _("Det finnes allerede en liste med dette navnet.")}
    if DistributionList.objects.filter(name=name.strip()).exists():
        raise Conflict(duplicate, code="duplicate")
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        dl = DistributionList.objects.create(name=name.strip())
        dl.organisations.set(organisations)
    return dl
