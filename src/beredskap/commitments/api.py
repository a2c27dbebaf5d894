"""API for the commitments tracker and the status reports for machine clients."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from beredskap.actors.models import Organisation
from beredskap.commitments import queries, report_files, reports, services
from beredskap.commitments.filters import CommitmentFilterSet
from beredskap.commitments.models import CommitmentStatus, ReportKind
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.audit import record_event
from beredskap.core.idempotency import idempotent
from beredskap.core.riskareas import RiskArea
from beredskap.exercises.apischemas import MAX_ID, CleanSchema, ErrorOut, filtered, obj

router = Router(tags=["forpliktelser"])
E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class NoteOut(Schema):
    id: int
    written_on: date
    text: str
    status_before: str
    status_after: str


class CommitmentOut(Schema):
    id: int
    key: str
    reference: str
    source: str
    chapter: int
    section: str
    section_title: str
    text: str
    risk_area: str
    responsible_org_id: int | None
    responsible_text: str
    status: str
    due_date: date | None
    due_note: str
    version: int


class CommitmentDetailOut(CommitmentOut):
    notes: list[NoteOut]
    evidence: list[dict[str, Any]]


class CommitmentFilter(Schema):
    q: str | None = Field(None, max_length=100)
    source: str | None = Field(None, max_length=20)
    chapter: int | None = Field(None, ge=0, le=99)
    risk_area: str | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=20)
    organisation: int | None = Field(None, ge=1, le=MAX_ID)


class ProgressIn(CleanSchema):
    text: str = Field("", max_length=4000)
    status: CommitmentStatus | None = None
    written_on: date | None = None
    version: int | None = Field(None, ge=1, le=MAX_ID)


class CommitmentPatch(CleanSchema):
    version: int = Field(ge=1, le=MAX_ID)
    responsible_org_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_date: date | None = None
    due_note: str | None = Field(None, max_length=300)
    risk_area: RiskArea | None = None


class EvidenceIn(CleanSchema):
    target: str = Field(
        pattern=r"^[a-z_]+\.[a-z_]+$", max_length=100, description="app_label.model"
    )
    target_id: int = Field(ge=1, le=MAX_ID)
    note: str = Field("", max_length=300)


class StatusReportIn(CleanSchema):
    kind: ReportKind


class StatusReportOut(Schema):
    id: int
    kind: str
    title: str
    generated_at: AwareDatetime
    previous_id: int | None
    changes: list[dict[str, Any]]

    @staticmethod
    def resolve_changes(obj) -> list:
        return obj.snapshot.get("changes", [])


def _detail(user: Any, commitment: Any) -> dict:
    from beredskap.exercises.queries import links_from

    data = CommitmentOut.from_orm(commitment).dict()
    data["notes"] = [NoteOut.from_orm(n).dict() for n in commitment.notes.all()]
    data["evidence"] = [
        {
            "model": link["link"].target_type.model,
            "id": link["link"].target_id,
            "label": link["label"],
            "note": link["link"].note,
        }
        for link in links_from(user, commitment)
    ]
    return data


@router.get("/commitments", response=list[CommitmentOut])
@paginate(LimitOffsetPagination)
def list_commitments(request: HttpRequest, filters: Query[CommitmentFilter]):
    return filtered(CommitmentFilterSet, filters, queries.commitments(request.auth))


@router.get("/commitments/{commitment_id}", response={200: CommitmentDetailOut, 404: ErrorOut})
def get_commitment(request: HttpRequest, commitment_id: int):
    return _detail(request.auth, obj(queries.commitments(request.auth), commitment_id))


@router.post("/commitments/{commitment_id}/progress", response={201: CommitmentDetailOut, **E})
@idempotent
def add_progress(request: HttpRequest, commitment_id: int, payload: ProgressIn):
    commitment = obj(queries.commitments(request.auth), commitment_id)
    services.add_progress(
        by=request.auth,
        commitment=commitment,
        text=payload.text,
        status=payload.status,
        written_on=payload.written_on,
        expected_version=payload.version,
    )
    return Status(201, _detail(request.auth, commitment))


@router.patch("/commitments/{commitment_id}", response={200: CommitmentDetailOut, **E})
@idempotent
def update_commitment(request: HttpRequest, commitment_id: int, payload: CommitmentPatch):
    commitment = obj(queries.commitments(request.auth), commitment_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "responsible_org_id" in data:
        org_id = data.pop("responsible_org_id")
        data["responsible_org"] = obj(Organisation.objects.all(), org_id) if org_id else None
    services.update_commitment(
        by=request.auth, commitment=commitment, expected_version=version, **data
    )
    return Status(200, _detail(request.auth, commitment))


@router.post("/commitments/{commitment_id}/evidence", response={201: CommitmentDetailOut, **E})
@idempotent
def link_evidence(request: HttpRequest, commitment_id: int, payload: EvidenceIn):
    from beredskap.exercises.apischemas import resolve_target

    commitment = obj(queries.commitments(request.auth), commitment_id)
    target = resolve_target(request.auth, payload.target, payload.target_id)
    services.link_evidence(by=request.auth, commitment=commitment, target=target, note=payload.note)
    return Status(201, _detail(request.auth, commitment))


@router.get("/status-reports", response=list[StatusReportOut])
@paginate(LimitOffsetPagination)
def list_reports(request: HttpRequest):
    return [r for r in queries.reports(request.auth)[:500] if reports.can_download(request.auth, r)]


@router.post("/status-reports", response={201: StatusReportOut, **E})
@idempotent
def generate_report(request: HttpRequest, payload: StatusReportIn):
    report = reports.generate_report(by=request.auth, kind=payload.kind)
    return Status(201, StatusReportOut.from_orm(report).dict())


FORMAT = Query("pdf", pattern="^(pdf|docx|xlsx)$", description="pdf, docx or xlsx")


@router.get("/status-reports/{report_id}/file", response={200: None, 404: ErrorOut})
def report_file(request: HttpRequest, report_id: int, format: str = FORMAT):  # noqa: A002
    return _download(request, obj(queries.reports(request.auth), report_id), format)


def _download(request: HttpRequest, report: Any, format: str) -> HttpResponse:  # noqa: A002
    """The report as a file, if the user may see it (404 otherwise); the export is audited."""
    if not reports.can_download(request.auth, report):
        raise Http404
    content_type = report_files.RENDERERS[format][1]
    record_event(
        "export",
        actor=request.auth,
        label="commitments.statusreport",
        detail={"id": report.pk, "format": format},
    )
    response = HttpResponse(reports.file_content(report, format), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statusrapport-{report.pk}.{format}"'
    return response


class ReportJobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    report_id: int | None
    error_message: str
    requested_at: AwareDatetime
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None


def _job_out(job: Any) -> dict[str, Any]:
    return ReportJobOut.from_orm(job).model_dump(mode="json")


@router.post("/status-report-jobs", response={202: ReportJobOut, **E})
@idempotent
def start_report_job(request: HttpRequest, payload: StatusReportIn):
    """Queue the generation of a status report (the secretariat); answers 202 with the job to
    poll."""
    return Status(202, _job_out(services.start_report(by=request.auth, kind=payload.kind)))


@router.get("/status-report-jobs", response=list[ReportJobOut])
@paginate(LimitOffsetPagination)
def list_report_jobs(request: HttpRequest):
    return queries.report_jobs(request.auth)


@router.get("/status-report-jobs/{job_id}", response={200: ReportJobOut, 404: ErrorOut})
def get_report_job(request: HttpRequest, job_id: int):
    """Status and progress; `report_id` once done (only the user who asked for it sees the job)."""
    return obj(queries.report_jobs(request.auth), job_id)


@router.post("/status-report-jobs/{job_id}/cancel", response={200: ReportJobOut, **E})
@idempotent
def cancel_report_job(request: HttpRequest, job_id: int):
    """Cancel a queued or running report job; nothing is stored. 409 once it has finished."""
    job = obj(queries.report_jobs(request.auth), job_id)
    try:
        job = services.cancel_report(by=request.auth, job=job)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "code": "not_active"})
    return Status(200, _job_out(job))


@router.get("/status-report-jobs/{job_id}/file", response={200: None, 404: ErrorOut, 409: ErrorOut})
def report_job_file(request: HttpRequest, job_id: int, format: str = FORMAT):  # noqa: A002
    """The finished report as PDF, DOCX or XLSX (409 while the job runs or if it did not finish)."""
    job = obj(queries.report_jobs(request.auth), job_id)
    if job.report_id is None:
        return Status(
            409, {"detail": f"Rapporten er ikke klar (status: {job.status}).", "code": "not_ready"}
        )
    return _download(request, job.report, format)
