"""API for scenarios, planning assumptions, preparedness plans and the compliance overview for
machine clients: same permissions and need-to-know as the pages."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.classification import Classification
from beredskap.core.idempotency import idempotent
from beredskap.core.models import County
from beredskap.core.riskareas import RiskArea
from beredskap.planning import queries, services
from beredskap.planning.filters import AssumptionFilterSet, PlanFilterSet, ScenarioFilterSet
from beredskap.planning.models import (
    AssumptionLevel,
    Plan,
    PlanningAssumption,
    Scenario,
    ScenarioStatus,
)
from beredskap.planning.rules import PlanType
from beredskap.risk.api import (
    Classified,
    ErrorOut,
    classification_value,
    filtered,
    municipality_or_400,
    org_or_400,
)
from beredskap.risk.panels import statsforvalter_municipalities

router = Router(tags=["planverk"])


def _level(obj) -> str:
    return Classification(obj.classification).name


class ScenarioOut(Schema):
    id: int
    title: str
    risk_area: str
    status: str
    owner_org_id: int
    narrative: str
    assumptions: str
    duration_days: int | None
    geography: str
    affected_functions: str
    counties: list[str]
    source_event_ids: list[int]
    patients_total: int | None
    hospital_admissions: int | None
    icu_beds_peak: int | None
    personnel_absence_share: float | None
    stock_consumption_factor: float | None
    water_affected_persons: int | None
    water_outage_days: int | None
    epidemic_parameters: dict | None
    classification: str
    version: int

    @staticmethod
    def resolve_counties(obj: Scenario) -> list[str]:
        return [c.number for c in obj.counties.all()]

    @staticmethod
    def resolve_source_event_ids(obj: Scenario) -> list[int]:
        return [e.pk for e in obj.source_events.all()]

    @staticmethod
    def resolve_epidemic_parameters(obj: Scenario) -> dict | None:
        return obj.epidemic_parameters()

    @staticmethod
    def resolve_classification(obj: Scenario) -> str:
        return _level(obj)


class ScenarioFields(Schema):
    narrative: str | None = Field(None, max_length=20000)
    assumptions: str | None = Field(None, max_length=20000)
    duration_days: int | None = Field(None, ge=1, le=3650)
    geography: str | None = Field(None, max_length=300)
    affected_functions: str | None = Field(None, max_length=5000)
    counties: list[str] | None = None
    source_event_ids: list[int] | None = None
    patients_total: int | None = Field(None, ge=0, le=6_000_000)
    hospital_admissions: int | None = Field(None, ge=0, le=6_000_000)
    icu_beds_peak: int | None = Field(None, ge=0, le=100_000)
    personnel_absence_share: float | None = Field(None, ge=0, le=1)
    stock_consumption_factor: float | None = Field(None, ge=0, le=100)
    water_affected_persons: int | None = Field(None, ge=0, le=6_000_000)
    water_outage_days: int | None = Field(None, ge=0, le=3650)
    has_epidemic: bool | None = None
    r0: float | None = Field(None, ge=0.1, le=20)
    latent_days: float | None = Field(None, ge=0.1, le=60)
    infectious_days: float | None = Field(None, ge=0.1, le=60)
    sim_days: int | None = Field(None, ge=1, le=1095)
    seed_exposed: int | None = Field(None, ge=0, le=1_000_000)
    seed_infectious: int | None = Field(None, ge=0, le=1_000_000)
    seed_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    ihr: float | None = Field(None, ge=0, le=1)
    icu_share: float | None = Field(None, ge=0, le=1)


class ScenarioIn(ScenarioFields, Classified):
    owner_org_id: int
    title: str = Field(min_length=2, max_length=200)
    risk_area: RiskArea
    status: ScenarioStatus = ScenarioStatus.DRAFT


class ScenarioPatch(ScenarioFields):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=2, max_length=200)
    risk_area: RiskArea | None = None
    status: ScenarioStatus | None = None


class ScenarioFilter(Schema):
    q: str | None = Field(None, max_length=100)
    risk_area: str | None = None
    status: str | None = None


def _scenario_data(data: dict) -> dict:
    if "seed_municipality" in data:
        data["seed_municipality"] = municipality_or_400(data["seed_municipality"])
    if data.get("counties") is not None:
        numbers = data["counties"]
        counties = list(County.objects.filter(number__in=numbers))
        if len(counties) != len(set(numbers)):
            raise ValidationError({"counties": "Ukjent fylkesnummer."})
        data["counties"] = counties
    if "source_event_ids" in data:
        data["source_events"] = data.pop("source_event_ids")
    return {k: v for k, v in data.items() if not (v is None and k in ("counties", "source_events"))}


def _scenario_out(scenario: Scenario) -> dict:
    return ScenarioOut.from_orm(Scenario.objects.get(pk=scenario.pk)).dict()


@router.get("/planning/scenarios", response=list[ScenarioOut])
@paginate(LimitOffsetPagination)
def list_scenarios(request: HttpRequest, filters: Query[ScenarioFilter]):
    return filtered(
        ScenarioFilterSet,
        filters,
        queries.scenarios(request.auth).prefetch_related("counties", "source_events"),
    )


@router.get("/planning/scenarios/{scenario_id}", response={200: ScenarioOut, 404: ErrorOut})
def get_scenario(request: HttpRequest, scenario_id: int):
    from beredskap.core.audit import record_reads

    scenario = get_object_or_404(queries.scenarios(request.auth), pk=scenario_id)
    record_reads(request.auth, [scenario])
    return scenario


@router.post("/planning/scenarios", response={201: ScenarioOut, 400: ErrorOut, 403: ErrorOut})
@idempotent
def create_scenario(request: HttpRequest, payload: ScenarioIn):
    data = classification_value(payload.dict(exclude_none=True))
    owner = org_or_400(data.pop("owner_org_id"))
    scenario = services.create_scenario(by=request.auth, owner_org=owner, **_scenario_data(data))
    return Status(201, _scenario_out(scenario))


@router.patch(
    "/planning/scenarios/{scenario_id}",
    response={200: ScenarioOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def update_scenario(request: HttpRequest, scenario_id: int, payload: ScenarioPatch):
    scenario = get_object_or_404(queries.scenarios(request.auth), pk=scenario_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    scenario = services.update_scenario(
        by=request.auth, scenario=scenario, expected_version=version, **_scenario_data(changes)
    )
    return Status(200, _scenario_out(scenario))


class AssumptionOut(Schema):
    id: int
    title: str
    statement: str
    level: str
    scope: str
    owner_org_id: int
    source_scenario_id: int | None
    valid_from: date
    valid_until: date | None
    required_plan_types: list[str]
    published_at: AwareDatetime | None
    published_to: list[int]
    classification: str
    version: int

    @staticmethod
    def resolve_published_to(obj: PlanningAssumption) -> list[int]:
        return [o.pk for o in obj.published_to.all()]

    @staticmethod
    def resolve_classification(obj: PlanningAssumption) -> str:
        return _level(obj)


class AssumptionIn(Classified):
    owner_org_id: int
    title: str = Field(min_length=2, max_length=200)
    statement: str = Field(min_length=2, max_length=20000)
    level: AssumptionLevel
    scope: str = Field("", max_length=300)
    source_scenario_id: int | None = None
    valid_from: date
    valid_until: date | None = None
    required_plan_types: list[PlanType] = []


class AssumptionPatch(Schema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=2, max_length=200)
    statement: str | None = Field(None, min_length=2, max_length=20000)
    scope: str | None = Field(None, max_length=300)
    valid_from: date | None = None
    valid_until: date | None = None
    required_plan_types: list[PlanType] | None = None


class AssumptionFilter(Schema):
    q: str | None = Field(None, max_length=100)
    level: str | None = None
    owner: int | None = None


def _scenario_ref(user: Any, scenario_id: int | None) -> Scenario | None:
    """A scenario the user may not see is as unknown as one that does not exist."""
    if scenario_id is None:
        return None
    scenario = queries.scenarios(user).filter(pk=scenario_id).first()
    if scenario is None:
        raise ValidationError({"source_scenario_id": "Ukjent scenario."})
    return scenario


def _assumption_out(assumption: PlanningAssumption) -> dict:
    return AssumptionOut.from_orm(PlanningAssumption.objects.get(pk=assumption.pk)).dict()


@router.get("/planning/assumptions", response=list[AssumptionOut])
@paginate(LimitOffsetPagination)
def list_assumptions(request: HttpRequest, filters: Query[AssumptionFilter]):
    return filtered(
        AssumptionFilterSet,
        filters,
        queries.assumptions(request.auth).prefetch_related("published_to"),
    )


@router.get("/planning/assumptions/{assumption_id}", response={200: AssumptionOut, 404: ErrorOut})
def get_assumption(request: HttpRequest, assumption_id: int):
    return get_object_or_404(queries.assumptions(request.auth), pk=assumption_id)


@router.post("/planning/assumptions", response={201: AssumptionOut, 400: ErrorOut, 403: ErrorOut})
@idempotent
def create_assumption(request: HttpRequest, payload: AssumptionIn):
    data = classification_value(payload.dict())
    owner = org_or_400(data.pop("owner_org_id"))
    data["source_scenario"] = _scenario_ref(request.auth, data.pop("source_scenario_id"))
    data["required_plan_types"] = [str(getattr(t, "value", t)) for t in data["required_plan_types"]]
    assumption = services.create_assumption(by=request.auth, owner_org=owner, **data)
    return Status(201, _assumption_out(assumption))


@router.patch(
    "/planning/assumptions/{assumption_id}",
    response={200: AssumptionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def update_assumption(request: HttpRequest, assumption_id: int, payload: AssumptionPatch):
    assumption = get_object_or_404(queries.assumptions(request.auth), pk=assumption_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if changes.get("required_plan_types") is not None:
        changes["required_plan_types"] = [
            str(getattr(t, "value", t)) for t in changes["required_plan_types"]
        ]
    assumption = services.update_assumption(
        by=request.auth, assumption=assumption, expected_version=version, **changes
    )
    return Status(200, _assumption_out(assumption))


@router.post(
    "/planning/assumptions/{assumption_id}/publish",
    response={200: AssumptionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@idempotent
def publish_assumption(request: HttpRequest, assumption_id: int):
    assumption = get_object_or_404(queries.assumptions(request.auth), pk=assumption_id)
    return Status(
        200, _assumption_out(services.publish_assumption(by=request.auth, assumption=assumption))
    )


class PlanOut(Schema):
    id: int
    title: str
    plan_type: str
    owner_org_id: int
    version_label: str
    approved_on: date | None
    last_reviewed_on: date | None
    review_cycle_years: int
    last_exercised_on: date | None = Field(
        None, description="Computed: the end of the latest completed exercise testing the plan"
    )
    last_exercise_id: int | None = None
    stated_exercised_on: date | None = Field(
        None, description="A date once typed by hand: stated, not documented; counts for nothing"
    )
    exercise_cycle_years: int | None
    effective_exercise_cycle: int | None
    next_review_due: date | None
    next_exercise_due: date | None
    status: str
    scenario_ids: list[int]
    assumption_ids: list[int]
    attachment_ref: str
    classification: str
    version: int

    @staticmethod
    def resolve_scenario_ids(obj: Plan) -> list[int]:
        return [s.pk for s in obj.scenarios.all()]

    @staticmethod
    def resolve_assumption_ids(obj: Plan) -> list[int]:
        return [a.pk for a in obj.assumptions.all()]

    @staticmethod
    def resolve_classification(obj: Plan) -> str:
        return _level(obj)


class PlanIn(Classified):
    owner_org_id: int
    title: str = Field(min_length=2, max_length=200)
    plan_type: PlanType
    version_label: str = Field("", max_length=30)
    approved_on: date | None = None
    last_reviewed_on: date | None = None
    review_cycle_years: int = Field(4, ge=1, le=10)
    exercise_cycle_years: int | None = Field(None, ge=1, le=10)
    scenario_ids: list[int] = []
    assumption_ids: list[int] = []
    attachment_ref: str = Field("", max_length=300)


class PlanPatch(Schema):
    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=2, max_length=200)
    version_label: str | None = Field(None, max_length=30)
    approved_on: date | None = None
    last_reviewed_on: date | None = None
    review_cycle_years: int | None = Field(None, ge=1, le=10)
    exercise_cycle_years: int | None = Field(None, ge=1, le=10)
    scenario_ids: list[int] | None = None
    assumption_ids: list[int] | None = None
    attachment_ref: str | None = Field(None, max_length=300)


class PlanFilter(Schema):
    q: str | None = Field(None, max_length=100)
    plan_type: str | None = None
    owner: int | None = None
    county: str | None = None


def _plan_links(data: dict) -> dict:
    if "scenario_ids" in data:
        data["scenarios"] = data.pop("scenario_ids")
    if "assumption_ids" in data:
        data["assumptions"] = data.pop("assumption_ids")
    return data


def _plan_out(plan: Plan) -> dict:
    return PlanOut.from_orm(Plan.objects.select_related("owner_org").get(pk=plan.pk)).dict()


@router.get("/planning/plans", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, filters: Query[PlanFilter], status: str | None = None):
    rows = filtered(PlanFilterSet, filters, queries.plans(request.auth)).prefetch_related(
        "scenarios", "assumptions"
    )
    return [p for p in rows if p.status == status] if status else rows


@router.get("/planning/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut})
def get_plan(request: HttpRequest, plan_id: int):
    from beredskap.core.audit import record_reads

    plan = get_object_or_404(queries.plans(request.auth), pk=plan_id)
    record_reads(request.auth, [plan])
    return plan


@router.post("/planning/plans", response={201: PlanOut, 400: ErrorOut, 403: ErrorOut})
@idempotent
def create_plan(request: HttpRequest, payload: PlanIn):
    data = classification_value(payload.dict())
    owner = org_or_400(data.pop("owner_org_id"))
    plan = services.create_plan(by=request.auth, owner_org=owner, **_plan_links(data))
    return Status(201, _plan_out(plan))


@router.patch(
    "/planning/plans/{plan_id}",
    response={200: PlanOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch):
    plan = get_object_or_404(queries.plans(request.auth), pk=plan_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    plan = services.update_plan(
        by=request.auth, plan=plan, expected_version=version, **_plan_links(changes)
    )
    return Status(200, _plan_out(plan))


class ComplianceOut(Schema):
    municipality: str
    name: str
    ros_status: str
    ros_age_years: float | None
    plan_status: str
    missing_plan_types: list[str]
    exercise_status: str
    last_exercised: date | None


@router.get("/planning/compliance", response=list[ComplianceOut])
def compliance(request: HttpRequest):
    """For a statsforvalter: her municipalities' ROS, plan and exercise status (empty otherwise)."""
    rows = queries.municipality_rows(request.auth, statsforvalter_municipalities(request.auth))
    return [
        {
            "municipality": r.municipality.number,
            "name": r.municipality.name,
            "ros_status": r.ros_status,
            "ros_age_years": r.ros_age_years,
            "plan_status": r.plan_status,
            "missing_plan_types": r.missing_types,
            "exercise_status": r.exercise_status,
            "last_exercised": r.last_exercised,
        }
        for r in rows
    ]


# Attachments, deletion and the box 2.1 checklist register on the same router.
from beredskap.planning import api_more  # noqa: E402,F401
