"""API for the analysis life cycle beyond editing: council discussion of the acceptance
criteria, deletion and export (same permissions and need-to-know as the pages)."""

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Schema, Status

from beredskap.core.audit import record_event, record_reads
from beredskap.core.idempotency import idempotent
from beredskap.core.tabular import XLSX_TYPE
from beredskap.risk import exports, services
from beredskap.risk.api import AnalysisOut, ErrorOut, _analysis, _analysis_out, router


class CouncilIn(Schema):
    version: int = Field(ge=1)
    meeting_id: int | None = Field(
        None, description="a council meeting that has taken place; null clears"
    )


@router.post(
    "/risk/analyses/{analysis_id}/acceptance-discussion",
    response={200: AnalysisOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def record_council_discussion(request: HttpRequest, analysis_id: int, payload: CouncilIn):
    analysis = services.record_acceptance_discussion(
        by=request.auth,
        analysis=_analysis(request, analysis_id),
        meeting=payload.meeting_id,
        expected_version=payload.version,
    )
    return Status(200, _analysis_out(analysis))


@router.delete(
    "/risk/analyses/{analysis_id}",
    response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def delete_analysis(request: HttpRequest, analysis_id: int):
    """Refused (400, with the reasons) when a newer revision or a scenario builds on the
    analysis."""
    services.delete_analysis(by=request.auth, analysis=_analysis(request, analysis_id))
    return Status(204, None)


@router.get("/risk/analyses/{analysis_id}/export", response={200: None, 404: ErrorOut})
def export_analysis(
    request: HttpRequest, analysis_id: int, format: str = Query("xlsx", pattern="^(xlsx|pdf)$")
):  # noqa: A002
    """The analysis as XLSX or as a printable PDF report with its risk matrices; audited."""
    analysis = _analysis(request, analysis_id)
    record_reads(request.auth, [analysis])
    record_event(
        "export",
        actor=request.auth,
        label="risk.rosanalysis",
        detail={"id": analysis.pk, "format": format, "classification": analysis.classification},
    )
    if format == "xlsx":
        response = HttpResponse(exports.analysis_xlsx(analysis), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(exports.analysis_pdf(analysis), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ros-{analysis.pk}-rev{analysis.revision}.{format}"'
    )
    return response
