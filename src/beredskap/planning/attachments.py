"""Plan attachments: real files (PDF, DOCX, ODT) stored in the database, at most 20 MB.

The type is decided from the content, not from what the browser claims: a PDF starts with
``%PDF-``; DOCX and ODT are ZIP packages recognised by their manifest. The file name's
extension must agree. Downloads are for those who may see the plan; reads of classified
plans are audited (who saw a graded document, for the auditors).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.planning.models import Plan, PlanAttachment, PlanAttachmentContent
from beredskap.risk import permissions

MAX_BYTES = 20 * 1024 * 1024
MAX_PER_PLAN = 20
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}


def sniff(data: bytes) -> str | None:
    """The content type of a PDF, DOCX or ODT document, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "mimetype" in names and package.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    return None


def clean_filename(name: str) -> str:
    """The last path part, printable characters only, at most 200 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    )
    base = re.sub(r"\s+", " ", base).strip(" .")
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base


def read_upload(upload: Any) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            {
                "file": _("Filen er for stor (%(mb).1f MB). Største tillatte størrelse er 20 MB.")
                % {"mb": size / 1024 / 1024}
            }
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {"file": _("Filen er for stor. Største tillatte størrelse er 20 MB.")}
        )
    return data


def add_attachment(*, by: Any, plan: Plan, filename: str, data: bytes) -> PlanAttachment:
    """Attach a PDF, DOCX or ODT document to a plan."""
    permissions.require_edit(by, plan)
    name = clean_filename(filename)
    if not data:
        raise ValidationError({"file": _("Filen er tom.")})
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {"file": _("Filen er for stor. Største tillatte størrelse er 20 MB.")}
        )
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(
            {
                "file": _(
                    "Bare PDF-, DOCX- og ODT-dokumenter kan legges ved. Innholdet i filen er "
                    "ikke et slikt dokument."
                )
            }
        )
    expected = EXTENSIONS[content_type]
    if not name.lower().endswith(expected):
        raise ValidationError(
            {
                "file": _("Filnavnet må slutte på %(ext)s når innholdet er %(kind)s.")
                % {"ext": expected, "kind": expected[1:].upper()}
            }
        )
    if plan.attachments.count() >= MAX_PER_PLAN:
        raise ValidationError(
            {
                "file": _("En plan kan ha høyst %(n)s vedlegg. Slett et gammelt først.")
                % {"n": MAX_PER_PLAN}
            }
        )
    with acting_as(by), transaction.atomic():
        attachment = PlanAttachment.objects.create(
            plan=plan,
            filename=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=by if getattr(by, "pk", None) else None,
        )
        PlanAttachmentContent.objects.create(attachment=attachment, data=data)
    return attachment


def delete_attachment(*, by: Any, attachment: PlanAttachment) -> None:
    permissions.require_edit(by, attachment.plan)
    with acting_as(by), transaction.atomic():
        PlanAttachmentContent.objects.filter(attachment=attachment).delete()
        attachment.delete()


def visible_attachment(user: Any, plan_id: int, attachment_id: int) -> PlanAttachment | None:
    """The attachment if the user may see its plan (children through the parent's visible set)."""
    if not (0 < plan_id < 2**63 and 0 < attachment_id < 2**63):
        return None
    return (
        PlanAttachment.objects.select_related("plan")
        .filter(plan__in=Plan.objects.visible_to(user), plan_id=plan_id, pk=attachment_id)
        .first()
    )


def content_of(attachment: PlanAttachment) -> bytes:
    """The stored bytes; an entry whose content is gone answers 404, not a crash."""
    from django.http import Http404

    content = PlanAttachmentContent.objects.filter(attachment=attachment).first()
    if content is None:
        raise Http404
    return bytes(content.data)


def download_response(user: Any, attachment: PlanAttachment) -> Any:
    """The file as an attachment download; the read is audited for a classified plan."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from beredskap.core.audit import record_event, record_reads

    plan = attachment.plan
    record_reads(user, [plan])
    if plan.classification or plan.exempt_public:
        record_event(
            "download",
            actor=user,
            label="planning.planattachment",
            detail={
                "plan": plan.pk,
                "attachment": attachment.pk,
                "filename": attachment.filename,
                "classification": plan.classification,
            },
        )
    response = HttpResponse(content_of(attachment), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
