"""Surveillance API: observations in idempotent batches, signals, series results.

A batch is stored all-or-nothing (every bad row reported with its index) and answered 201 with
what was stored; the same ``Idempotency-Key`` replays the answer, and re-sending the same
values stores nothing new (a value already known is not a correction).
"""

from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.fhiroutcome import FHIR_JSON, fhir_response, operation_outcome
from beredskap.core.idempotency import idempotent
from beredskap.surveillance import queries, services
from beredskap.surveillance.filters import SignalFilterSet

router = Router(tags=["overvåking"])


class SurveillanceObservationIn(Schema):
    area_level: Literal["municipality", "county", "health_region", "nation"] = "municipality"
    area_code: str = Field(max_length=8)
    period: str = Field(max_length=10, description="ISO-uke ÅÅÅÅ-Www eller dato")
    value: int = Field(ge=0)
    denominator: int | None = Field(default=None, ge=0)
    age_group: str = Field(default="", max_length=20)


class ObservationBatchIn(Schema):
    indicator: str = Field(max_length=60)
    observations: list[SurveillanceObservationIn] = Field(max_length=20000)


class ObservationBatchOut(Schema):
    stored: int
    unchanged: int
    detection_run: int | None


class ObservationRowErrorsOut(Schema):
    detail: str
    code: str
    errors: list[dict]


class SignalOut(Schema):
    id: int
    indicator: str
    area_level: str
    area_code: str
    area_name: str
    first_period: str
    last_period: str
    peak_observed: int
    level: str
    status: str
    crisis_id: int | None
    version: int

    @staticmethod
    def resolve_indicator(obj) -> str:
        return obj.series.indicator.key

    @staticmethod
    def resolve_area_level(obj) -> str:
        return obj.series.area_level

    @staticmethod
    def resolve_area_code(obj) -> str:
        return obj.series.area_code

    @staticmethod
    def resolve_area_name(obj) -> str:
        return obj.series.area_name

    @staticmethod
    def resolve_first_period(obj) -> str:
        return obj.first_period.isoformat()

    @staticmethod
    def resolve_last_period(obj) -> str:
        return obj.last_period.isoformat()


class DetectionResultOut(Schema):
    period: str
    observed: int | None
    expected: float | None
    upperbound: float | None
    alarm: bool | None
    score: float | None
    level: str
    status: str

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period.isoformat()


class SurveillanceSignalFilter(Schema):
    q: str | None = None
    level: Literal["municipality", "county", "health_region", "nation"] | None = None
    area: str | None = Field(default=None, max_length=4)
    status: Literal["new", "assessing", "dismissed", "confirmed"] | None = None
    indicator: str | None = Field(default=None, max_length=60)


@router.post(
    "/surveillance/observations",
    response={201: ObservationBatchOut, 400: ObservationRowErrorsOut, 403: ErrorOut, 404: ErrorOut},
)
@idempotent
def post_observations(request: HttpRequest, payload: ObservationBatchIn):
    """Store a batch of observations (all-or-nothing) and queue detection for the indicator."""
    indicator = queries.indicators(request.auth).filter(key=payload.indicator).first()
    if indicator is None:
        raise Http404
    batch = services.record_observations(
        by=request.auth,
        indicator=indicator,
        rows=[o.model_dump() for o in payload.observations],
        source="api",
    )
    if batch.errors:
        errors = [{"row": n, "message": m} for n, m in batch.errors]
        body = {"detail": "Ingenting er lagret.", "code": "row_errors", "errors": errors}
        return Status(400, body)
    out = {"stored": batch.stored, "unchanged": batch.unchanged, "detection_run": batch.run_id}
    return Status(201, out)


@router.get("/surveillance/signals", response=list[SignalOut])
@paginate(LimitOffsetPagination)
def list_signals(request: HttpRequest, filters: Query[SurveillanceSignalFilter]):
    data = {k: v for k, v in filters.model_dump().items() if v is not None}
    return SignalFilterSet(data).apply(queries.signals(request.auth))


@router.get("/surveillance/signals/{signal_id}", response={200: SignalOut, 404: ErrorOut})
def get_signal(request: HttpRequest, signal_id: int):
    signal = queries.signals(request.auth).filter(pk=signal_id).first()
    if signal is None:
        raise Http404
    return signal


@router.get(
    "/surveillance/series/{series_id}/results",
    response={200: list[DetectionResultOut], 404: ErrorOut},
)
def series_results(request: HttpRequest, series_id: int):
    series = queries.series(request.auth).filter(pk=series_id).first()
    if series is None:
        raise Http404
    return list(queries.results(request.auth, series).order_by("period"))


FHIR_OUTCOME = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}


@router.post(
    "/surveillance/fhir",
    response={201: ObservationBatchOut, 400: dict, 403: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "requestBody": {"content": {FHIR_JSON: {"schema": {"type": "object"}}}},
        "responses": {"400": {"description": "OperationOutcome", **FHIR_OUTCOME}},
    },
)
@idempotent
def post_fhir(request: HttpRequest):
    """Counts as FHIR R4 MeasureReports (one, or a Bundle), stored all or nothing; a refusal
    is an OperationOutcome naming every problem."""
    try:
        batches = services.record_fhir_reports(by=request.auth, data=request.body)
    except services.ReportsRejected as exc:
        return fhir_response(operation_outcome(exc.problems), 400)
    runs = [b.run_id for b in batches if b.run_id]
    out = {
        "stored": sum(b.stored for b in batches),
        "unchanged": sum(b.unchanged for b in batches),
        "detection_run": runs[0] if runs else None,
    }
    return Status(201, out)
