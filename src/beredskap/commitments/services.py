"""Every write to the commitments tracker: one transaction,
permission checked, the change log written."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.commitments.models import Commitment, CommitmentStatus, ProgressNote
from beredskap.commitments.permissions import require
from beredskap.core.audit import acting_as


def add_progress(
    *,
    by: Any,
    commitment: Commitment,
    text: str,
    status: str | None = None,
    written_on: date | None = None,
    expected_version: int | None = None,
) -> ProgressNote:
    """Add a dated progress note; a status change is only accepted together with a note."""
    require(by, "report_progress", commitment)
    text = (text or "").strip()
    if status is not None and status not in CommitmentStatus.values:
        raise ValidationError({"status": _("Ukjent status.")})
    changing = status is not None and status != commitment.status
    if not text:
        message = (
            _("En statusendring må ha et notat som forklarer den.")
            if changing
            else _("Skriv inn et notat.")
        )
        raise ValidationError({"text": message})
    written_on = written_on or timezone.localdate()
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": _("Et notat kan ikke dateres fram i tid.")})
    with acting_as(by), transaction.atomic():
        before = commitment.status
        if changing:
            commitment.status = str(status)
            if expected_version is not None:
                commitment.version = expected_version
            commitment.save()
        note = ProgressNote(
            commitment=commitment,
            written_on=written_on,
            text=text,
            author=by,
            status_before=before if changing else "",
            status_after=str(status) if changing else "",
        )
        note.full_clean()
        note.save()
    return note


def update_commitment(
    *, by: Any, commitment: Commitment, expected_version: int, **changes: Any
) -> Commitment:
    """Set responsible organisation and due date (the secretariat); status changes go through
    add_progress."""
    require(by, "manage_commitments")
    allowed = {"responsible_org", "due_date", "due_note", "risk_area"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(commitment, key, value)
        commitment.full_clean()
        commitment.version = expected_version
        commitment.save()
    return commitment


def link_evidence(*, by: Any, commitment: Commitment, target: Any, note: str = "") -> Any:
    """Link evidence (a plan, analysis, exercise, decision …) to a commitment."""
    from beredskap.exercises.followup import link_record

    require(by, "report_progress", commitment)
    return link_record(by=by, source=commitment, target=target, relation="evidence", note=note)


def start_report(*, by: Any, kind: str) -> Any:
    """Queue the generation of a status report (the secretariat); it runs in the background."""
    from beredskap.commitments.models import ReportJob, ReportKind
    from beredskap.commitments.tasks import generate_status_report
    from beredskap.core.audit import record_event

    require(by, "manage_commitments")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Ukjent rapporttype.")})
    with acting_as(by), transaction.atomic():
        job = ReportJob.objects.create(kind=kind, requested_by=by)
        record_event(
            "report_queued",
            actor=by,
            label="commitments.reportjob",
            detail={"id": job.pk, "kind": kind},
        )
    result = generate_status_report.enqueue(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def cancel_report(*, by: Any, job: Any) -> Any:
    """Cancel a queued or running report job (only the one who started it); nothing is stored."""
    from beredskap.commitments.models import ReportJob
    from beredskap.core.audit import record_event
    from beredskap.core.errors import PermissionDenied
    from beredskap.exercises import jobs

    if job.requested_by_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Bare den som bestilte rapporten kan avbryte den."))
    if not jobs.cancel(ReportJob, job.pk):
        raise ValidationError(_("Rapporten er allerede ferdig og kan ikke avbrytes."))
    record_event("report_cancelled", actor=by, label="commitments.reportjob", detail={"id": job.pk})
    job.refresh_from_db()
    return job


PREFACE_FIELDS = {"sender", "recipient", "introduction", "assessment", "classification"}


def save_preface(
    *, by: Any, kind: str, expected_version: int | None, period: str | None = None, **fields: Any
) -> Any:
    """Write the secretariat's introduction, assessment, sender, recipient and marking for a report
    period (the current one unless given); a stale edit is refused."""
    from beredskap.commitments.models import ReportKind
    from beredskap.commitments.reports import preface_for
    from beredskap.core.access import access_context
    from beredskap.core.classification import validate_allowed
    from beredskap.core.errors import PermissionDenied

    require(by, "manage_commitments")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Ukjent rapporttype.")})
    unknown = set(fields) - PREFACE_FIELDS
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})
    level = int(fields.get("classification", 0))
    validate_allowed(level)
    if level > access_context(by).clearance:
        raise PermissionDenied(_("Du kan ikke lagre et dokument du selv ikke har tilgang til."))
    with acting_as(by), transaction.atomic():
        preface = preface_for(kind, timezone.localdate())
        if period is not None and period != preface.period:
            raise ValidationError(_("Bare teksten for inneværende periode kan endres."))
        for key, value in fields.items():
            setattr(preface, key, value.strip() if isinstance(value, str) else value)
        preface.full_clean()
        if preface.pk is not None and expected_version is not None:
            preface.version = expected_version
        preface.save()
    return preface
