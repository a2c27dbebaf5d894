"""API for ROS analyses, undesired events and measures for machine clients: the same
permissions and need-to-know as the pages; versions give 409 on a stale edit."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from beredskap.actors.models import Organisation
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.audit import record_reads
from beredskap.core.classification import Classification, parse_classification
from beredskap.core.idempotency import idempotent
from beredskap.core.models import Municipality
from beredskap.core.riskareas import RiskArea
from beredskap.risk import queries, services
from beredskap.risk.classes import ConsequenceType, Uncertainty
from beredskap.risk.filters import EventFilterSet, MeasureFilterSet, RosAnalysisFilterSet
from beredskap.risk.models import (
    AnalysisMethod,
    AnalysisScope,
    EventNature,
    MeasureEffect,
    MeasureStatus,
    RosAnalysis,
    UndesiredEvent,
)

router = Router(tags=["risiko"])


def filtered(filterset_class, params: Schema, queryset):
    filterset = filterset_class({k: v for k, v in params.dict().items() if v is not None})
    if not filterset.is_valid():
        raise ValidationError({e["field"]: e["message"] for e in filterset.error_list()})
    return filterset.apply(queryset)


def org_or_400(org_id: int | None, field: str = "owner_org_id") -> Organisation:
    org = Organisation.objects.filter(pk=org_id).first() if org_id is not None else None
    if org is None:
        raise ValidationError({field: "Organisasjonen finnes ikke."})
    return org


def municipality_or_400(number: str | None) -> Municipality | None:
    if not number:
        return None
    municipality = Municipality.objects.filter(number=number).first()
    if municipality is None:
        raise ValidationError({"municipality": "Ukjent kommunenummer."})
    return municipality


class Classified(Schema):
    # None: the record type's usual level, lowered to the creator's clearance.
    classification: str | None = None
    exempt_public: bool = False
    exempt_legal_basis: str = Field("", max_length=200)

    @field_validator("classification")
    @classmethod
    def known_level(cls, value: str) -> str:
        try:
            return parse_classification(value).name
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from exc


def classification_value(data: dict) -> dict:
    if "classification" in data and data["classification"] is None:
        data.pop("classification")
    elif "classification" in data:
        data["classification"] = Classification[data["classification"]]
    return data


class AnalysisOut(Schema):
    id: int
    title: str
    owner_org_id: int
    scope: str
    risk_area: str
    municipality: str | None
    method: str
    summary: str
    period_start: date
    period_end: date
    status: str
    approved_on: date | None
    revision: int
    previous_id: int | None
    revision_cycle_years: int
    planned_revision_on: date | None
    next_revision_due: date | None
    overdue: bool
    acceptance_profile: dict[str, str]
    acceptance_meeting_id: int | None
    classification: str
    exempt_public: bool
    version: int

    @staticmethod
    def resolve_municipality(obj: RosAnalysis) -> str | None:
        return obj.municipality.number if obj.municipality_id else None

    @staticmethod
    def resolve_overdue(obj: RosAnalysis) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_classification(obj: RosAnalysis) -> str:
        return Classification(obj.classification).name


class AnalysisIn(Classified):
    owner_org_id: int
    title: str = Field(min_length=2, max_length=200)
    scope: AnalysisScope
    risk_area: RiskArea | None = None
    municipality: str | None = Field(None, pattern=r"^\d{4}$")
    method: AnalysisMethod = AnalysisMethod.DSB_MUNICIPAL
    summary: str = Field("", max_length=20000)
    period_start: date
    period_end: date
    revision_cycle_years: int = Field(4, ge=1, le=10)
    planned_revision_on: date | None = None
    acceptance_profile: dict[str, str] | None = None
    acceptance_note: str = Field("", max_length=5000)


class AnalysisPatch(Schema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=2, max_length=200)
    summary: str | None = Field(None, max_length=20000)
    method: AnalysisMethod | None = None
    period_start: date | None = None
    period_end: date | None = None
    revision_cycle_years: int | None = Field(None, ge=1, le=10)
    planned_revision_on: date | None = None
    acceptance_profile: dict[str, str] | None = None
    acceptance_note: str | None = Field(None, max_length=5000)


class AnalysisFilter(Schema):
    q: str | None = Field(None, max_length=100)
    scope: str | None = None
    status: str | None = None
    risk_area: str | None = None
    owner: int | None = None
    municipality: str | None = None


class AnalysisStatusIn(Schema):
    version: int = Field(ge=1)
    status: str
    approved_on: date | None = None
    approved_by: str = Field("", max_length=200)


def _analysis(request: HttpRequest, analysis_id: int) -> RosAnalysis:
    return get_object_or_404(queries.analyses(request.auth), pk=analysis_id)


def _analysis_out(analysis: RosAnalysis) -> dict:
    return AnalysisOut.from_orm(analysis).dict()


@router.get("/risk/analyses", response=list[AnalysisOut])
@paginate(LimitOffsetPagination)
def list_analyses(request: HttpRequest, filters: Query[AnalysisFilter]):
    return filtered(RosAnalysisFilterSet, filters, queries.analyses(request.auth))


@router.get("/risk/analyses/{analysis_id}", response={200: AnalysisOut, 404: ErrorOut})
def get_analysis(request: HttpRequest, analysis_id: int):
    analysis = _analysis(request, analysis_id)
    record_reads(request.auth, [analysis])
    return analysis


@router.post("/risk/analyses", response={201: AnalysisOut, 400: ErrorOut, 403: ErrorOut})
@idempotent
def create_analysis(request: HttpRequest, payload: AnalysisIn):
    data = classification_value(payload.dict())
    owner = org_or_400(data.pop("owner_org_id"))
    data["municipality"] = municipality_or_400(data.get("municipality"))
    data["risk_area"] = data.get("risk_area") or ""
    if data.get("acceptance_profile") is None:
        data.pop("acceptance_profile")
    analysis = services.create_analysis(by=request.auth, owner_org=owner, **data)
    return Status(201, _analysis_out(analysis))


@router.patch(
    "/risk/analyses/{analysis_id}",
    response={200: AnalysisOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def update_analysis(request: HttpRequest, analysis_id: int, payload: AnalysisPatch):
    analysis = _analysis(request, analysis_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    analysis = services.update_analysis(
        by=request.auth, analysis=analysis, expected_version=version, **changes
    )
    return Status(200, _analysis_out(analysis))


@router.post(
    "/risk/analyses/{analysis_id}/status",
    response={200: AnalysisOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def set_status(request: HttpRequest, analysis_id: int, payload: AnalysisStatusIn):
    analysis = services.set_status(
        by=request.auth,
        analysis=_analysis(request, analysis_id),
        status=payload.status,
        expected_version=payload.version,
        approved_on=payload.approved_on,
        approved_by=payload.approved_by,
    )
    return Status(200, _analysis_out(analysis))


@router.post(
    "/risk/analyses/{analysis_id}/revisions",
    response={201: AnalysisOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@idempotent
def start_revision(request: HttpRequest, analysis_id: int):
    revision = services.start_revision(by=request.auth, analysis=_analysis(request, analysis_id))
    return Status(201, _analysis_out(revision))


class ConsequenceOut(Schema):
    kind: str
    level: int
    rationale: str


class EventOut(Schema):
    id: int
    analysis_id: int
    number: int
    title: str
    risk_area: str
    nature: str
    description: str
    causes: str
    existing_barriers: str
    probability: int | None
    uncertainty: str
    value_class: int | None
    threat_level: int | None
    vulnerability_level: int | None
    security_risk: int | None
    consequences: list[ConsequenceOut]
    version: int

    @staticmethod
    def resolve_consequences(obj: UndesiredEvent) -> list:
        return list(obj.consequences.all())


class EventIn(Schema):
    title: str = Field(min_length=2, max_length=200)
    risk_area: RiskArea | None = None
    nature: EventNature = EventNature.UNINTENTIONAL
    description: str = Field("", max_length=20000)
    causes: str = Field("", max_length=20000)
    existing_barriers: str = Field("", max_length=20000)
    probability: int | None = Field(None, ge=1, le=5)
    probability_rationale: str = Field("", max_length=20000)
    uncertainty: Uncertainty = Uncertainty.MEDIUM
    knowledge_rationale: str = Field("", max_length=20000)
    value_class: int | None = Field(None, ge=1, le=4)
    threat_actor: str = Field("", max_length=200)
    threat_level: int | None = Field(None, ge=1, le=4)
    vulnerability_level: int | None = Field(None, ge=1, le=3)
    consequences: dict[ConsequenceType, int] = Field(description="consequence type → class 1–5")


class EventPatch(Schema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=2, max_length=200)
    risk_area: RiskArea | None = None
    nature: EventNature | None = None
    description: str | None = Field(None, max_length=20000)
    causes: str | None = Field(None, max_length=20000)
    existing_barriers: str | None = Field(None, max_length=20000)
    probability: int | None = Field(None, ge=1, le=5)
    uncertainty: Uncertainty | None = None
    value_class: int | None = Field(None, ge=1, le=4)
    threat_level: int | None = Field(None, ge=1, le=4)
    vulnerability_level: int | None = Field(None, ge=1, le=3)
    consequences: dict[ConsequenceType, int] | None = None


class EventFilter(Schema):
    q: str | None = Field(None, max_length=100)
    risk_area: str | None = None
    nature: str | None = None
    probability: int | None = None
    analysis: int | None = None


def _event(request: HttpRequest, event_id: int) -> UndesiredEvent:
    return get_object_or_404(queries.events(request.auth), pk=event_id)


def _event_out(event: UndesiredEvent) -> dict:
    return EventOut.from_orm(
        UndesiredEvent.objects.prefetch_related("consequences").get(pk=event.pk)
    ).dict()


def _consequences(raw: dict | None) -> dict | None:
    return None if raw is None else {str(getattr(k, "value", k)): v for k, v in raw.items()}


@router.get("/risk/events", response=list[EventOut])
@paginate(LimitOffsetPagination)
def list_events(request: HttpRequest, filters: Query[EventFilter]):
    return filtered(EventFilterSet, filters, queries.events(request.auth))


@router.get("/risk/events/{event_id}", response={200: EventOut, 404: ErrorOut})
def get_event(request: HttpRequest, event_id: int):
    event = _event(request, event_id)
    record_reads(request.auth, [event.analysis])
    return event


@router.post(
    "/risk/analyses/{analysis_id}/events",
    response={201: EventOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@idempotent
def add_event(request: HttpRequest, analysis_id: int, payload: EventIn):
    data = payload.dict()
    consequences = _consequences(data.pop("consequences"))
    if data.get("risk_area") is None:
        data.pop("risk_area")
    event = services.add_event(
        by=request.auth,
        analysis=_analysis(request, analysis_id),
        consequences=consequences or {},
        **data,
    )
    return Status(201, _event_out(event))


@router.patch(
    "/risk/events/{event_id}",
    response={200: EventOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def update_event(request: HttpRequest, event_id: int, payload: EventPatch):
    event = _event(request, event_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    consequences = _consequences(changes.pop("consequences", None))
    event = services.update_event(
        by=request.auth, event=event, expected_version=version, consequences=consequences, **changes
    )
    return Status(200, _event_out(event))


@router.delete(
    "/risk/events/{event_id}", response={204: None, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
)
def delete_event(request: HttpRequest, event_id: int):
    services.delete_event(by=request.auth, event=_event(request, event_id))
    return Status(204, None)


class MeasureOut(Schema):
    id: int
    event_id: int
    title: str
    owner_id: int
    due_date: date | None
    status: str
    effect: str
    effect_description: str
    version: int


class MeasureIn(Schema):
    title: str = Field(min_length=2, max_length=300)
    owner_id: int
    due_date: date | None = None
    status: MeasureStatus = MeasureStatus.PROPOSED
    effect: MeasureEffect = MeasureEffect.BOTH
    effect_description: str = Field("", max_length=5000)


class MeasurePatch(Schema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=2, max_length=300)
    due_date: date | None = None
    status: MeasureStatus | None = None
    effect: MeasureEffect | None = None
    effect_description: str | None = Field(None, max_length=5000)


class MeasureFilter(Schema):
    q: str | None = Field(None, max_length=100)
    status: str | None = None
    owner: int | None = None
    due_before: date | None = None


@router.get("/risk/measures", response=list[MeasureOut])
@paginate(LimitOffsetPagination)
def list_measures(request: HttpRequest, filters: Query[MeasureFilter]):
    return filtered(MeasureFilterSet, filters, queries.measures(request.auth))


@router.post(
    "/risk/events/{event_id}/measures",
    response={201: MeasureOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@idempotent
def add_measure(request: HttpRequest, event_id: int, payload: MeasureIn):
    data = payload.dict()
    owner = org_or_400(data.pop("owner_id"), "owner_id")
    measure = services.add_measure(
        by=request.auth, event=_event(request, event_id), owner=owner, **data
    )
    return Status(201, MeasureOut.from_orm(measure).dict())


@router.patch(
    "/risk/measures/{measure_id}",
    response={200: MeasureOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def update_measure(request: HttpRequest, measure_id: int, payload: MeasurePatch):
    measure = get_object_or_404(queries.measures(request.auth), pk=measure_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    measure = services.update_measure(
        by=request.auth, measure=measure, expected_version=version, **changes
    )
    return Status(200, MeasureOut.from_orm(measure).dict())


class MatrixCellOut(Schema):
    probability: int
    consequence: int
    zone: str
    events: list[int]


class MatrixOut(Schema):
    kind: str
    label: str
    cells: list[MatrixCellOut]


def _matrices_out(matrices: list) -> list[dict]:
    return [
        {
            "kind": m.kind,
            "label": m.label,
            "cells": [
                {
                    "probability": cell.probability,
                    "consequence": cell.consequence,
                    "zone": cell.zone,
                    "events": [e.pk for e in cell.events],
                }
                for _c, _l, cells in m.rows
                for cell in cells
            ],
        }
        for m in matrices
    ]


@router.get("/risk/analyses/{analysis_id}/matrix", response={200: list[MatrixOut], 404: ErrorOut})
def analysis_matrix(request: HttpRequest, analysis_id: int):
    analysis = _analysis(request, analysis_id)
    record_reads(request.auth, [analysis])
    return Status(
        200,
        _matrices_out(
            queries.matrices(list(queries.events_of(analysis)), analysis.acceptance_profile)
        ),
    )


@router.get("/risk/sector-matrix", response=list[MatrixOut])
def sector_matrix(
    request: HttpRequest,
    risk_area: RiskArea | None = None,
    analysis: list[int] = Query(None, description="compare these analyses (default: all current)"),  # noqa: B008
):
    profile, _sector = queries.sector_profile(request.auth)
    chosen = [i for i in (analysis or []) if 0 < i < 2**31][:50]
    events = queries.sector_events(request.auth, risk_area or "", chosen)
    return _matrices_out(queries.matrices(events, profile))


# Life-cycle endpoints (council discussion, delete, export) register on the same router.
from beredskap.risk import api_more  # noqa: E402,F401
