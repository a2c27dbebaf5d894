"""API for the background XLSX imports of exercises and actions (all-or-nothing, so a
half-imported file never has to be cleaned up by hand; long work shows progress and can be
cancelled).

The same import job and task as the web import: the upload is queued and answered with 202 and
the job; the client polls the job for progress, the count of created rows and every rejected row,
and may cancel it while it is queued or running. A file is imported all-or-nothing. A job is
seen by the user who started it only (anyone else gets 404).
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import AwareDatetime

from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.idempotency import idempotent
from beredskap.exercises import imports, queries, services
from beredskap.exercises.apischemas import ErrorOut, obj

router = Router(tags=["øvelser"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportJobOut(Schema):
    id: int
    kind: str
    file_name: str
    plan_id: int | None
    status: str
    progress: int
    created: int
    error_count: int
    errors: list[dict[str, Any]]
    error_message: str
    requested_at: AwareDatetime
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None

    @staticmethod
    def resolve_errors(obj) -> list:
        return obj.row_errors

    @staticmethod
    def resolve_error_count(obj) -> int:
        return len(obj.row_errors)


def _job_out(job: Any) -> dict[str, Any]:
    return ImportJobOut.from_orm(job).model_dump(mode="json")


def _job(request: HttpRequest, job_id: int) -> Any:
    return obj(queries.import_jobs(request.auth), job_id)


@router.post(
    "/exercise-import-jobs",
    response={202: ImportJobOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def start_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[Literal["exercises", "actions"]] = "exercises",
    plan_id: Form[int | None] = None,
):
    """Queue an XLSX import of exercises (optionally into a plan) or of actions; answers 202 with
    the job."""
    plan = obj(queries.plans(request.auth), plan_id) if plan_id is not None else None
    if plan is not None and kind != "exercises":
        raise ValidationError({"plan_id": "En plan gjelder bare import av øvelser."})
    job = services.start_import(
        by=request.auth,
        kind=kind,
        data=file.read(imports.MAX_BYTES + 1),
        file_name=file.name or "",
        plan=plan,
    )
    return Status(202, job)


@router.get("/exercise-import-jobs", response=list[ImportJobOut])
@paginate(LimitOffsetPagination)
def list_import_jobs(request: HttpRequest):
    return queries.import_jobs(request.auth)


@router.get("/exercise-import-jobs/{job_id}", response={200: ImportJobOut, 404: ErrorOut})
def get_import_job(request: HttpRequest, job_id: int):
    """Status, progress, created rows and every rejected row (row number, column, reason)."""
    return _job(request, job_id)


@router.post(
    "/exercise-import-jobs/{job_id}/cancel",
    response={200: ImportJobOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def cancel_import(request: HttpRequest, job_id: int):
    """Cancel a queued or running import; nothing from the file is saved. 409 once it has
    finished."""
    job = _job(request, job_id)
    try:
        job = services.cancel_import(by=request.auth, job=job)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "code": "not_active"})
    return Status(200, _job_out(job))


@router.get(
    "/exercise-import-jobs/{job_id}/report", response={200: None, 404: ErrorOut, 409: ErrorOut}
)
def import_report(request: HttpRequest, job_id: int):
    """The outcome as XLSX: the rejected rows and why (409 while the job still runs)."""
    job = _job(request, job_id)
    if job.is_active:
        return Status(409, {"detail": "Importen er ikke ferdig.", "code": "not_finished"})
    response = HttpResponse(imports.error_report_xlsx(job), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-resultat.xlsx"'
    return response
