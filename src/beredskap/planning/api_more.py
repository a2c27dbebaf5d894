"""API for plan attachments, deleting plans and scenarios, and the box 2.1 checklist (same
permissions and need-to-know as the pages)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Schema, Status
from ninja.files import UploadedFile
from pydantic import AwareDatetime

from beredskap.actors.models import OrganisationKind
from beredskap.core.idempotency import idempotent
from beredskap.planning import attachments, deletion, queries, services
from beredskap.planning.api import router
from beredskap.planning.models import RequirementAssessment, RequirementStatus
from beredskap.planning.requirements import BOX_2_1
from beredskap.risk.api import ErrorOut, org_or_400


class AttachmentOut(Schema):
    id: int
    plan_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: AwareDatetime


def _plan(request: HttpRequest, plan_id: int):
    return get_object_or_404(queries.plans(request.auth), pk=plan_id)


@router.get(
    "/planning/plans/{plan_id}/attachments", response={200: list[AttachmentOut], 404: ErrorOut}
)
def list_attachments(request: HttpRequest, plan_id: int):
    return Status(200, list(_plan(request, plan_id).attachments.all()))


@router.post(
    "/planning/plans/{plan_id}/attachments",
    response={201: AttachmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def upload_attachment(request: HttpRequest, plan_id: int, file: UploadedFile = File(...)):  # noqa: B008
    """Multipart upload of a PDF, DOCX or ODT document of at most 20 MB (type checked from the
    content)."""
    plan = _plan(request, plan_id)
    attachment = attachments.add_attachment(
        by=request.auth, plan=plan, filename=file.name or "", data=attachments.read_upload(file)
    )
    return Status(201, attachment)


@router.get(
    "/planning/plans/{plan_id}/attachments/{attachment_id}", response={200: None, 404: ErrorOut}
)
def download_attachment(request: HttpRequest, plan_id: int, attachment_id: int):
    attachment = attachments.visible_attachment(request.auth, plan_id, attachment_id)
    if attachment is None:
        raise Http404
    return attachments.download_response(request.auth, attachment)


@router.delete(
    "/planning/plans/{plan_id}/attachments/{attachment_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
)
def delete_attachment(request: HttpRequest, plan_id: int, attachment_id: int):
    attachment = attachments.visible_attachment(request.auth, plan_id, attachment_id)
    if attachment is None:
        raise Http404
    attachments.delete_attachment(by=request.auth, attachment=attachment)
    return Status(204, None)


@router.delete(
    "/planning/plans/{plan_id}", response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def delete_plan(request: HttpRequest, plan_id: int):
    deletion.delete_plan(by=request.auth, plan=_plan(request, plan_id))
    return Status(204, None)


@router.delete(
    "/planning/scenarios/{scenario_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def delete_scenario(request: HttpRequest, scenario_id: int):
    """Refused (400, with the reasons) for a seeded national scenario or one plans or assumptions
    build on."""
    scenario = get_object_or_404(queries.scenarios(request.auth), pk=scenario_id)
    deletion.delete_scenario(by=request.auth, scenario=scenario)
    return Status(204, None)


class RequirementOut(Schema):
    owner_org_id: int
    requirement: int
    text: str
    status: str
    evidence: str
    evidence_url: str
    assessed_on: date | None
    override_reason: str

    @staticmethod
    def resolve_text(obj: RequirementAssessment) -> str:
        return str(BOX_2_1.get(obj.requirement, ""))


class RequirementIn(Schema):
    owner_org_id: int
    requirement: int = Field(ge=1, le=10)
    status: RequirementStatus
    evidence: str = Field("", max_length=20000)
    evidence_url: str = Field("", max_length=200)
    assessed_on: date | None = None
    override_reason: str = Field("", max_length=5000)


@router.get("/planning/requirements", response=list[RequirementOut])
def list_requirements(request: HttpRequest, owner_org_id: int | None = None):
    """The box 2.1 checklist (samfunnssikkerhetsinstruksen) as assessed by ministries and
    agencies."""
    rows = RequirementAssessment.objects.visible_to(request.auth).order_by(
        "owner_org_id", "requirement"
    )
    if owner_org_id is not None:
        rows = rows.filter(owner_org_id=owner_org_id)
    return rows[:2000]


@router.post("/planning/requirements", response={200: RequirementOut, 400: ErrorOut, 403: ErrorOut})
@idempotent
def assess_requirement(request: HttpRequest, payload: RequirementIn):
    org = org_or_400(payload.owner_org_id)
    if org.kind not in (OrganisationKind.MINISTRY, OrganisationKind.AGENCY):
        raise ValidationError(
            {"owner_org_id": "Sjekklisten i boks 2.1 gjelder departementer og direktorater/etater."}
        )
    row = services.assess_requirement(
        by=request.auth,
        owner_org=org,
        requirement=payload.requirement,
        status=payload.status,
        evidence=payload.evidence,
        evidence_url=payload.evidence_url,
        assessed_on=payload.assessed_on,
        override_reason=payload.override_reason,
    )
    return Status(200, RequirementOut.from_orm(row).dict())
