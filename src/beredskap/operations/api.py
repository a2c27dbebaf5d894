"""API for operations (mounted under /api/v1/). Every read goes through the crisis's visible set;
writes go through services and accept an Idempotency-Key (report submission is idempotent)."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from beredskap.actors.models import Organisation
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.audit import record_reads
from beredskap.core.classification import parse_classification
from beredskap.core.idempotency import idempotent
from beredskap.core.models import County, Municipality
from beredskap.core.riskareas import RiskArea
from beredskap.operations import picture, queries
from beredskap.operations.models import (
    CrisisLevel,
    CrisisPhase,
    Deployment,
    MobilisationRequest,
)
from beredskap.operations.services import (
    alerts,
    crises,
    decisions,
    resources,
    sitreps,
)

router = Router(tags=["krise"])


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CrisisOut(Schema):
    id: int
    name: str
    risk_area: str
    crisis_type: str
    level: str
    phase: str
    is_exercise: bool
    status: str
    classification: int
    started_at: AwareDatetime
    version: int


class CrisisIn(Schema):
    name: str = Field(min_length=2, max_length=200)
    risk_area: RiskArea
    crisis_type: str = Field(min_length=2, max_length=120)
    owner_org_id: int
    lead_ministry_id: int
    level: CrisisLevel = CrisisLevel.CRISIS
    is_exercise: bool = False
    county_numbers: list[str] = []
    classification: str = "BEGRENSET"


class LevelIn(Schema):
    version: int = Field(ge=1)
    reason: str = Field(min_length=1, max_length=300)
    level: CrisisLevel | None = None
    phase: CrisisPhase | None = None


def _org(pk: int, field: str) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: "Ukjent organisasjon."})
    return found


def _crisis(request: HttpRequest, crisis_id: int):
    return get_object_or_404(queries.crises(request.auth), pk=crisis_id)


def conflict_or_raise(exc: ValidationError):
    """A refusal because someone else got there first is a 409; other refusals stay 400."""
    if getattr(exc, "code", None) == "conflict":
        return Status(409, {"detail": " ".join(exc.messages), "code": "conflict"})
    raise exc


def _out(crisis) -> dict:
    return CrisisOut.from_orm(crisis).dict()


@router.get("/crises", response=list[CrisisOut])
@paginate(LimitOffsetPagination)
def list_crises(request: HttpRequest, exercise: bool | None = None):
    qs = queries.crises(request.auth)
    return qs if exercise is None else qs.filter(is_exercise=exercise)


@router.get("/crises/{crisis_id}", response={200: CrisisOut, 404: ErrorOut})
def get_crisis(request: HttpRequest, crisis_id: int):
    crisis = _crisis(request, crisis_id)
    record_reads(request.auth, [crisis])
    return crisis


@router.post("/crises", response={201: CrisisOut, **ERRORS})
@idempotent
def create_crisis(request: HttpRequest, payload: CrisisIn):
    counties = list(County.objects.filter(number__in=payload.county_numbers))
    if len(counties) != len(set(payload.county_numbers)):
        raise ValidationError({"county_numbers": "Ukjent fylkesnummer."})
    crisis = crises.declare_crisis(
        by=request.auth,
        name=payload.name,
        risk_area=payload.risk_area,
        crisis_type=payload.crisis_type,
        owner_org=_org(payload.owner_org_id, "owner_org_id"),
        lead_ministry=_org(payload.lead_ministry_id, "lead_ministry_id"),
        level=payload.level,
        is_exercise=payload.is_exercise,
        counties=counties,
        classification=parse_classification(payload.classification),
    )
    return Status(201, _out(crisis))


@router.post("/crises/{crisis_id}/level", response={200: CrisisOut, **ERRORS})
@idempotent
def change_level(request: HttpRequest, crisis_id: int, payload: LevelIn):
    crisis = crises.change_level(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        expected_version=payload.version,
        reason=payload.reason,
        level=payload.level,
        phase=payload.phase,
    )
    return Status(200, _out(crisis))


class CycleIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    due_time: time
    starts_on: date
    org_kinds: list[str] = []
    organisation_ids: list[int] = []
    interval_hours: int = Field(24, ge=1, le=168)


@router.post("/crises/{crisis_id}/cycles", response={201: dict, **ERRORS})
@idempotent
def create_cycle(request: HttpRequest, crisis_id: int, payload: CycleIn):
    cycle = sitreps.create_cycle(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        name=payload.name,
        due_time=payload.due_time,
        starts_on=payload.starts_on,
        org_kinds=payload.org_kinds,
        organisations=list(Organisation.objects.filter(pk__in=payload.organisation_ids)),
        interval_hours=payload.interval_hours,
    )
    return Status(201, {"id": cycle.pk, "expected": len(sitreps.expected_organisations(cycle))})


class SituationReportIn(Schema):
    organisation_id: int
    period_due: AwareDatetime | None = None
    situation: str = ""
    situation_colour: str
    consequences: str = ""
    consequences_colour: str
    needs: str = ""
    needs_colour: str
    measures: str = ""
    measures_colour: str
    outlook: str = ""
    outlook_colour: str
    personnel_absence_pct: float | None = None


class SituationReportOut(Schema):
    id: int
    organisation_id: int
    kind: str
    period_due: AwareDatetime
    submitted_at: AwareDatetime
    overall_colour: str
    classification: int
    capacity: list[dict]


@router.post(
    "/crises/{crisis_id}/cycles/{cycle_id}/reports", response={201: SituationReportOut, **ERRORS}
)
@idempotent
def submit_report(request: HttpRequest, crisis_id: int, cycle_id: int, payload: SituationReportIn):
    cycle = get_object_or_404(_crisis(request, crisis_id).cycles, pk=cycle_id)
    data = payload.dict()
    organisation = _org(data.pop("organisation_id"), "organisation_id")
    try:
        report = sitreps.submit_report(
            by=request.auth, cycle=cycle, organisation=organisation, **data
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "duplicate":
            return Status(409, {"detail": " ".join(exc.messages), "code": "duplicate"})
        raise
    return Status(201, SituationReportOut.from_orm(report).dict())


@router.get("/crises/{crisis_id}/reports", response=list[SituationReportOut])
@paginate(LimitOffsetPagination)
def list_reports(request: HttpRequest, crisis_id: int):
    return queries.reports(request.auth, _crisis(request, crisis_id))


class CountyIn(Schema):
    statsforvalter_id: int
    period_due: AwareDatetime


@router.post(
    "/crises/{crisis_id}/cycles/{cycle_id}/county-reports",
    response={201: SituationReportOut, **ERRORS},
)
@idempotent
def county_report(request: HttpRequest, crisis_id: int, cycle_id: int, payload: CountyIn):
    cycle = get_object_or_404(_crisis(request, crisis_id).cycles, pk=cycle_id)
    report = sitreps.build_county_report(
        by=request.auth,
        cycle=cycle,
        statsforvalter=_org(payload.statsforvalter_id, "statsforvalter_id"),
        period_due=payload.period_due,
    )
    return Status(201, SituationReportOut.from_orm(report).dict())


@router.get("/crises/{crisis_id}/picture", response={200: dict, 404: ErrorOut})
def get_picture(request: HttpRequest, crisis_id: int):
    """Polling endpoint for live updates of the situational picture."""
    crisis = _crisis(request, crisis_id)
    p = picture.picture(request.auth, crisis)
    return {
        "exercise": crisis.is_exercise,
        "status": p["status"],
        "bottlenecks": p["bottlenecks"],
        "icu": p["icu"],
        "forecasts": p["forecasts"],
        "missing": len(p["missing"]),
        "decisions_in_force": [d.title for d in p["decisions"]],
        "open_tasks": len(p["tasks"]),
        "overdue_tasks": len(p["overdue_tasks"]),
    }


class CrisisDecisionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    authority_id: int | None = None
    level: str
    subsidiarity: str = ""
    legal_basis: str = ""
    legal_section: str = ""
    valid_from: AwareDatetime
    valid_until: AwareDatetime | None = None
    review_on: date | None = None
    measures: list[str] = []


@router.post("/crises/{crisis_id}/decisions", response={201: dict, **ERRORS})
@idempotent
def create_decision(request: HttpRequest, crisis_id: int, payload: CrisisDecisionIn):
    data = payload.dict()
    authority_id = data.pop("authority_id")
    data["authority"] = (
        Organisation.objects.filter(pk=authority_id).first() if authority_id else None
    )
    data["measures"] = [{"text": m} for m in data.pop("measures")]
    d = decisions.record_decision(by=request.auth, crisis=_crisis(request, crisis_id), **data)
    return Status(
        201,
        {
            "id": d.pk,
            "title": d.title,
            "legal_basis": d.legal_basis,
            "legal_section": d.legal_section,
        },
    )


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner_org_id: int
    due_at: AwareDatetime
    depends_on: list[int] = []


@router.post("/crises/{crisis_id}/tasks", response={201: dict, **ERRORS})
@idempotent
def create_task(request: HttpRequest, crisis_id: int, payload: TaskIn):
    crisis = _crisis(request, crisis_id)
    deps = list(queries.tasks(request.auth, crisis).filter(pk__in=payload.depends_on))
    t = decisions.create_task(
        by=request.auth,
        crisis=crisis,
        title=payload.title,
        owner_org=_org(payload.owner_org_id, "owner_org_id"),
        due_at=payload.due_at,
        depends_on=deps,
    )
    return Status(201, {"id": t.pk, "title": t.title, "status": t.status, "version": t.version})


class RequestIn(Schema):
    requested_by_id: int
    kind: str
    item: str = Field(min_length=1, max_length=120)
    quantity: int = Field(ge=1)
    location_number: str = Field(pattern=r"^\d{4}$")
    priority: int = Field(3, ge=1, le=5)
    deadline: AwareDatetime
    competence: str = Field("", max_length=120)


@router.post("/crises/{crisis_id}/requests", response={201: dict, **ERRORS})
@idempotent
def create_request(request: HttpRequest, crisis_id: int, payload: RequestIn):
    location = Municipality.objects.filter(number=payload.location_number).first()
    if location is None:
        raise ValidationError({"location_number": "Ukjent kommunenummer."})
    r = resources.create_request(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        requested_by=_org(payload.requested_by_id, "requested_by_id"),
        kind=payload.kind,
        item=payload.item,
        quantity=payload.quantity,
        location=location,
        priority=payload.priority,
        deadline=payload.deadline,
        competence=payload.competence,
    )
    return Status(201, {"id": r.pk, "status": r.status})


@router.post("/crises/{crisis_id}/allocations", response={201: dict, **ERRORS})
@idempotent
def propose_allocation(request: HttpRequest, crisis_id: int):
    p = resources.propose_allocation(by=request.auth, crisis=_crisis(request, crisis_id))
    return Status(
        201,
        {
            "id": p.pk,
            "version": p.version,
            "objective": p.objective,
            "greedy_objective": p.greedy_objective,
            "fulfilment": p.fulfilment,
            "greedy_fulfilment": p.greedy_fulfilment,
            "lines": [
                {
                    "request_id": x.request_id,
                    "offer_id": x.offer_id,
                    "quantity": x.quantity,
                    "reserve": x.reserve_label or None,
                    "distance_km": x.distance_km,
                }
                for x in p.lines.all()
            ],
        },
    )


class ApproveIn(Schema):
    version: int = Field(ge=1)


@router.post(
    "/crises/{crisis_id}/allocations/{proposal_id}/approve", response={200: dict, **ERRORS}
)
@idempotent
def approve_allocation(request: HttpRequest, crisis_id: int, proposal_id: int, payload: ApproveIn):
    proposal = get_object_or_404(_crisis(request, crisis_id).proposals, pk=proposal_id)
    try:
        p = resources.approve_proposal(
            by=request.auth, proposal=proposal, expected_version=payload.version
        )
    except ValidationError as exc:
        return conflict_or_raise(exc)
    asked = MobilisationRequest.objects.filter(line__proposal=p, status="asked").count()
    deployed = Deployment.objects.filter(line__proposal=p).count()
    return Status(
        200, {"id": p.pk, "status": p.status, "deployments": deployed, "reservists_asked": asked}
    )


class AlertInfoIn(Schema):
    language: str = Field(max_length=10)
    headline: str = Field(min_length=1, max_length=160)
    description: str = Field(min_length=1)
    instruction: str = ""


class AlertIn(Schema):
    event: str = Field(min_length=1, max_length=200)
    urgency: str
    severity: str
    certainty: str
    infos: list[AlertInfoIn]
    municipality_numbers: list[str]
    expires: AwareDatetime | None = None


@router.post("/crises/{crisis_id}/alerts", response={201: dict, **ERRORS})
@idempotent
def publish_alert(request: HttpRequest, crisis_id: int, payload: AlertIn):
    municipalities = list(Municipality.objects.filter(number__in=payload.municipality_numbers))
    if len(municipalities) != len(set(payload.municipality_numbers)):
        raise ValidationError({"municipality_numbers": "Ukjent kommunenummer."})
    a = alerts.publish_alert(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        event=payload.event,
        urgency=payload.urgency,
        severity=payload.severity,
        certainty=payload.certainty,
        infos=[i.dict() for i in payload.infos],
        municipalities=municipalities,
        expires=payload.expires,
    )
    return Status(
        201, {"id": a.pk, "identifier": a.identifier, "status": a.status, "msg_type": a.msg_type}
    )


# The staff and follow-up endpoints live in their own modules and register on this router.
from beredskap.operations import (  # noqa: E402, F401
    api_actions,
    api_forecast,
    api_notifications,
    api_staff,
)
