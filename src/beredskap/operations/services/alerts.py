"""Public alerts as CAP 1.2: compose, update and cancel with references; exercise crises send
status «Exercise» (CAP 1.2 §3.2.1)."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.models import Municipality
from beredskap.operations import cap
from beredskap.operations.models import AlertInfo, Crisis, PublicAlert
from beredskap.operations.permissions import require_coordinator, require_open
from beredskap.operations.services.crises import log

SENDER = getattr(settings, "BEREDSKAP_CAP_SENDER", "beredskap@helseberedskap.no")


def _identifier(now: datetime) -> str:
    """OID-style identifier under Norway's WMO prefix (2.49.0.1.578)."""
    return f"2.49.0.1.578.0.{now:%Y%m%d%H%M%S}.{secrets.randbelow(10**6):06d}"


def _payload(
    *,
    crisis: Crisis,
    identifier: str,
    now: datetime,
    msg_type: str,
    event: str,
    urgency: str,
    severity: str,
    certainty: str,
    infos: list[dict[str, str]],
    municipalities: list[Municipality],
    expires: datetime | None,
    references: PublicAlert | None,
    note: str,
    category: str,
    web: str = "",
) -> dict[str, Any]:
    return {
        "identifier": identifier,
        "sender": SENDER,
        "sent": cap.cap_time(now),
        "status": "Exercise" if crisis.is_exercise else "Actual",
        "msgType": msg_type,
        "scope": "Public",
        "note": ("ØVELSE. " if crisis.is_exercise else "") + note
        if (note or crisis.is_exercise)
        else "",
        "references": f"{references.sender},{references.identifier},{cap.cap_time(references.sent)}"
        if references
        else "",
        "incidents": f"crisis-{crisis.pk}",
        "category": category,
        "event": event,
        "urgency": urgency,
        "severity": severity,
        "certainty": certainty,
        "expires": cap.cap_time(expires) if expires else "",
        "senderName": "Helseberedskap",
        "infos": infos,
        "areaDesc": ", ".join(m.name for m in municipalities) or "Norge",
        "web": web,
        "municipality_numbers": [m.number for m in municipalities],
    }


def _issue(
    *,
    by: Any,
    crisis: Crisis,
    msg_type: str,
    event: str,
    urgency: str,
    severity: str,
    certainty: str,
    infos: list[dict[str, str]],
    municipalities: list[Municipality],
    expires: datetime | None = None,
    references: PublicAlert | None = None,
    note: str = "",
    category: str = "Health",
    web: str = "",
) -> PublicAlert:
    require_coordinator(by, crisis)
    require_open(crisis)
    if not infos:
        raise ValidationError(_("Varselet må ha minst én språkversjon."))
    if len({i["language"] for i in infos}) != len(infos):
        raise ValidationError(_("Hver språkversjon kan bare forekomme én gang."))
    for info in infos:
        if not info.get("headline", "").strip() or not info.get("description", "").strip():
            raise ValidationError(_("Hver språkversjon må ha overskrift og beskrivelse."))
    _check_xml_text([event, note, web, *(str(v) for i in infos for v in i.values())])
    if web and not web.startswith(("https://", "http://")):
        raise ValidationError({"web": _("Lenken må være en nettadresse (https://…).")})
    now = timezone.now()
    if expires and expires <= now:
        raise ValidationError({"expires": _("Utløpstidspunktet må være fram i tid.")})
    identifier = _identifier(now)
    payload = _payload(
        crisis=crisis,
        identifier=identifier,
        now=now,
        msg_type=msg_type,
        event=event,
        urgency=urgency,
        severity=severity,
        certainty=certainty,
        infos=infos,
        municipalities=municipalities,
        expires=expires,
        references=references,
        note=note,
        category=category,
        web=web,
    )
    xml = cap.build(payload)
    errors = cap.validation_errors(xml)
    if errors:
        raise ValidationError(
            _("Varselet følger ikke CAP 1.2-skjemaet: %(e)s") % {"e": "; ".join(errors[:3])},
            code="cap_invalid",
        )
    with acting_as(by), transaction.atomic():
        alert = PublicAlert.objects.create(
            crisis=crisis,
            identifier=identifier,
            sender=SENDER,
            sent=now.replace(microsecond=0),
            status=payload["status"],
            msg_type=msg_type,
            references=references,
            category=category,
            event=event,
            urgency=urgency,
            severity=severity,
            certainty=certainty,
            expires=expires,
            note=note,
            web=web,
            xml=xml,
            created_by=by,
        )
        alert.municipalities.set(municipalities)
        AlertInfo.objects.bulk_create(
            [
                AlertInfo(
                    alert=alert,
                    language=i["language"],
                    headline=i["headline"],
                    description=i["description"],
                    instruction=i.get("instruction", ""),
                )
                for i in infos
            ]
        )
        log(
            crisis=crisis,
            by=by,
            kind="alert",
            text=_("CAP-varsel %(t)s publisert: %(i)s") % {"t": msg_type, "i": identifier},
        )
    return alert


def publish_alert(*, by: Any, crisis: Crisis, **fields: Any) -> PublicAlert:
    """Publish a new public alert (msgType Alert)."""
    return _issue(by=by, crisis=crisis, msg_type="Alert", **fields)


def update_alert(*, by: Any, previous: PublicAlert, **fields: Any) -> PublicAlert:
    """Publish an update referring to the previous message."""
    _check_chain(previous)
    return _issue(by=by, crisis=previous.crisis, msg_type="Update", references=previous, **fields)


def cancel_alert(*, by: Any, previous: PublicAlert, note: str) -> PublicAlert:
    """Cancel an alert with a reference to it and a note saying why."""
    _check_chain(previous)
    if not note.strip():
        raise ValidationError({"note": _("Oppgi hvorfor varselet trekkes tilbake.")})
    infos = [
        {
            "language": i.language,
            "headline": i.headline,
            "description": note.strip(),
            "instruction": "",
        }
        for i in previous.infos.all()
    ]
    return _issue(
        by=by,
        crisis=previous.crisis,
        msg_type="Cancel",
        references=previous,
        note=note.strip(),
        event=previous.event,
        urgency="Past",
        severity=previous.severity,
        certainty=previous.certainty,
        infos=infos,
        municipalities=list(previous.municipalities.all()),
        category=previous.category,
        web=previous.web,
    )


# Characters XML 1.0 cannot carry (CAP 1.2 is XML): C0 controls other than tab, CR and LF,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _check_xml_text(values: list[Any]) -> None:
    """Refuse text a CAP message cannot hold, before it is stored and published."""
    if any(isinstance(v, str) and _NOT_XML.search(v) for v in values):
        raise ValidationError(_("Teksten inneholder kontrolltegn som ikke kan sendes i et varsel."))


def _check_chain(previous: PublicAlert) -> None:
    if previous.msg_type == "Cancel" or previous.followups.filter(msg_type="Cancel").exists():
        raise ValidationError(_("Varselet er allerede trukket tilbake."))
