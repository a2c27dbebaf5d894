"""API for beds and ICU: facilities, reports (JSON, EDXL-HAVE 2.0, FHIR), the picture."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Status

from beredskap.capacity import summary
from beredskap.capacity.api import router
from beredskap.capacity.api.schemas import (
    BedLineOut,
    BedReportIn,
    BedReportOut,
    ErrorOut,
    FacilityOut,
)
from beredskap.capacity.interop import fhir, have
from beredskap.capacity.interop.common import MessageInvalid
from beredskap.capacity.interop.service import import_message
from beredskap.capacity.models import BedReport, Facility, ReportSource
from beredskap.capacity.queries import beds as queries
from beredskap.capacity.services import beds as services
from beredskap.capacity.services.common import ImportRejected
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.fhiroutcome import FHIR_JSON, fhir_response, operation_outcome
from beredskap.core.idempotency import idempotent

WRITE_RESPONSES = {
    201: BedReportOut,
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def report_out(report: BedReport) -> dict:
    return {
        "id": report.pk,
        "facility": report.facility.code,
        "reported_at": report.reported_at,
        "source": report.source,
        "surge_active": report.surge_active,
        "ventilators_total": report.ventilators_total,
        "ventilators_in_use": report.ventilators_in_use,
        "ecmo_total": report.ecmo_total,
        "ecmo_in_use": report.ecmo_in_use,
        "counts": [
            {
                "category": c.category,
                "physical": c.physical,
                "staffed": c.staffed,
                "occupied": c.occupied,
                "available": c.available,
                "surge_24h": c.surge_24h,
                "surge_72h": c.surge_72h,
            }
            for c in report.counts.all()
        ],
    }


def _facility(code: str) -> Facility:
    return get_object_or_404(queries.facilities(), code=code)


@router.get("/capacity/facilities", response=list[FacilityOut])
@paginate(LimitOffsetPagination)
def list_facilities(request: HttpRequest, health_region: str | None = None):
    return [
        {
            "id": f.pk,
            "code": f.code,
            "name": f.name,
            "kind": f.kind,
            "organisation_id": f.organisation_id,
            "health_region": f.health_region_code,
        }
        for f in queries.facilities(health_region=health_region)
    ]


@router.post("/capacity/bed-reports", response=WRITE_RESPONSES)
@idempotent
def create_bed_report(request: HttpRequest, payload: BedReportIn):
    data = payload.dict()
    facility = _facility(data.pop("facility"))
    report = services.submit_bed_report(
        by=request.auth, facility=facility, source=ReportSource.API, **data
    )
    return Status(201, report_out(report))


@router.get("/capacity/bed-reports", response=list[BedReportOut])
@paginate(LimitOffsetPagination)
def list_bed_reports(
    request: HttpRequest,
    facility: str | None = None,
    health_region: str | None = None,
):
    qs = queries.visible_reports(request.auth).select_related("facility").prefetch_related("counts")
    if facility:
        qs = qs.filter(facility__code=facility)
    if health_region:
        qs = qs.filter(facility__organisation__health_region__code=health_region)
    return [report_out(r) for r in qs]


@router.get("/capacity/beds/picture", response=list[BedLineOut])
def bed_picture(request: HttpRequest, health_region: str | None = None):
    return [
        line.__dict__ for line in summary.bed_picture(request.auth, health_region=health_region)
    ]


def _import(request: HttpRequest, fmt: str):
    try:
        reports = import_message(by=request.auth, data=request.body, fmt=fmt)
    except MessageInvalid as exc:
        return Status(
            400,
            {
                "detail": [{"field": "message", "message": p} for p in exc.problems],
                "code": "invalid_message",
            },
        )
    except ImportRejected as exc:
        # the same file sent again: every report is already stored, so the answer is 409
        resent = all(r.get("code") == "duplicate" for r in exc.rows)
        return Status(
            409 if resent else 400,
            {
                "detail": [{"field": r["row"], "message": r["error"]} for r in exc.rows],
                "code": "duplicate" if resent else "import_rejected",
            },
        )
    return Status(201, {"created": [report_out(r) for r in reports]})


IMPORT_RESPONSES = {201: dict, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post(
    "/capacity/bed-reports/edxl-have",
    response=IMPORT_RESPONSES,
    openapi_extra={"requestBody": {"content": {"application/xml": {"schema": {"type": "string"}}}}},
)
@idempotent
def import_edxl_have(request: HttpRequest):
    """Import an EDXL-HAVE 2.0 message (all reports or none)."""
    return _import(request, "edxl-have")


OUTCOME = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}
FHIR_IMPORT_RESPONSES = {201: dict, 400: dict, 403: ErrorOut, 409: dict, 422: ErrorOut}


@router.post(
    "/capacity/bed-reports/fhir",
    response=FHIR_IMPORT_RESPONSES,
    openapi_extra={
        "requestBody": {"content": {FHIR_JSON: {"schema": {"type": "object"}}}},
        "responses": {
            "400": {"description": "OperationOutcome", **OUTCOME},
            "409": {"description": "OperationOutcome", **OUTCOME},
        },
    },
)
@idempotent
def import_fhir(request: HttpRequest):
    """Import a FHIR R4 MeasureReport (SANER style) or a Bundle of them; a refusal is an
    OperationOutcome naming every problem."""
    answer = _import(request, "fhir")
    if answer.status_code in (400, 409):
        problems = [d["message"] for d in answer.value["detail"]]
        kind = "duplicate" if answer.status_code == 409 else "invalid"
        return fhir_response(operation_outcome(problems, kind), answer.status_code)
    return answer


def _latest(request: HttpRequest, health_region: str | None) -> list[BedReport]:
    return list(
        queries.latest_reports(request.auth, health_region=health_region).prefetch_related("counts")
    )


@router.get("/capacity/bed-reports/export/edxl-have")
def export_edxl_have(request: HttpRequest, health_region: str | None = None) -> HttpResponse:
    """The latest visible report of every facility as one EDXL-HAVE 2.0 message."""
    reports = _latest(request, health_region)
    if not reports:
        raise ValidationError("Ingen rapporter å eksportere.")
    return HttpResponse(have.export_reports(reports), content_type="application/xml")


@router.get("/capacity/bed-reports/export/fhir")
def export_fhir(request: HttpRequest, health_region: str | None = None) -> HttpResponse:
    """The latest visible report of every facility as a FHIR Bundle of MeasureReports."""
    import json

    bundle = fhir.export_bundle(_latest(request, health_region))
    return HttpResponse(
        json.dumps(bundle, ensure_ascii=False), content_type="application/fhir+json"
    )
