"""Erasure that erases (GDPR art. 17): a person's data goes from the audit trail's content too.

The audit trail is append-only: nobody may change what happened. But an entry's *content*
(the before and after values of a change) can hold the very personal data a person has the
right to have erased when she withdraws her consent. So erasure keeps the fact of each change
— who, when, which action on which kind of record — and replaces its content with a note of
the erasure and its legal basis. Stored API answers kept for idempotent retries are deleted
when they hold the data. The erasure itself is recorded, without the erased values.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Cast

REDACTED = {"slettet": "personopplysninger slettet etter GDPR art. 17 (samtykke trukket)"}


def _containing(queryset: models.QuerySet, fields: tuple[str, ...], needles: list[str]):
    """Rows where any of the (JSON or text) fields contains any needle (case-sensitive)."""
    condition = models.Q()
    annotations = {f"_{f}_text": Cast(f, models.TextField()) for f in fields}
    for needle in needles:
        for field in fields:
            condition |= models.Q(**{f"_{field}_text__contains": needle})
    return queryset.annotate(**annotations).filter(condition)


def erase(
    *, model: str, object_id: str, needles: list[str], actor: Any = None, reason: str
) -> dict[str, int]:
    """Redact the audit content of one record and of any entry that carries one of ``needles``
    (e.g. an HPR number, a phone number); delete stored API answers carrying them."""
    from beredskap.core.audit import record_event
    from beredskap.core.models import AuditEvent, IdempotencyRecord

    needles = [n for n in {str(n).strip() for n in needles} if len(n) >= 4]
    events = AuditEvent.objects.filter(model=model, object_id=object_id)
    if needles:
        carrying = _containing(AuditEvent.objects.all(), ("before", "after"), needles)
        events = AuditEvent.objects.filter(
            models.Q(pk__in=events.values("pk")) | models.Q(pk__in=carrying.values("pk"))
        )
    # The one sanctioned change to the append-only trail: content out, the fact stays.
    redacted = models.QuerySet.update(events, before=None, after=REDACTED, object_repr="(slettet)")
    answers = 0
    if needles:
        stored = _containing(IdempotencyRecord.objects.all(), ("body",), needles)
        answers, _detail = IdempotencyRecord.objects.filter(pk__in=stored.values("pk")).delete()
    record_event(
        "personal_data_erased",
        actor=actor,
        label=model,
        detail={"events_redacted": redacted, "stored_answers_deleted": answers, "basis": reason},
    )
    return {"events": redacted, "answers": answers}
