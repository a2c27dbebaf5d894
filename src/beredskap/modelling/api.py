"""API for simulation runs (mounted under /api/v1/): create (idempotent), list with filters,
status and progress, cancel, delete, results as quantiles, bottlenecks. Every read goes
through ``visible_to(user)``."""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from beredskap.actors.models import Organisation
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.audit import record_reads
from beredskap.core.idempotency import idempotent
from beredskap.core.riskareas import RiskArea
from beredskap.modelling import exports, queries, services
from beredskap.modelling.filters import SimulationRunFilterSet
from beredskap.modelling.models import SimulationRun
from beredskap.modelling.parameters import RunParameters

router = Router(tags=["modellering"])


class RunIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner_org_id: int
    scenario_id: int | None = None
    risk_area: RiskArea = RiskArea.INFECTION
    classification: int = Field(0, ge=0, le=2)
    exempt_public: bool = False
    exempt_legal_basis: str = Field("", max_length=200)
    is_exercise: bool = False
    parameters: RunParameters = Field(default_factory=RunParameters)  # type: ignore[arg-type]


class RunOut(Schema):
    id: int
    title: str
    owner_org_id: int
    scenario_id: int | None
    risk_area: str
    classification: int
    is_exercise: bool
    status: str
    progress: int
    created_at: AwareDatetime
    started_at: AwareDatetime | None
    finished_at: AwareDatetime | None
    error_message: str
    parameters: dict
    version: int


class RunFilter(Schema):
    q: str | None = Field(None, max_length=100)
    status: str | None = None
    risk_area: str | None = None
    owner_org: int | None = None
    after: date | None = None
    before: date | None = None


class BottleneckOut(Schema):
    level: str
    group: str
    capacity: float
    probability: float
    first_day_median: float | None
    peak_excess_median: float
    peak_excess_p95: float
    patient_days_over_mean: float


class GroupSeriesOut(Schema):
    name: str
    p05: list[float]
    p25: list[float]
    p50: list[float]
    p75: list[float]
    p95: list[float]
    capacity: float | None = None


class ResultsOut(Schema):
    run_id: int
    series: str
    level: str
    dates: list[date]
    summary: dict
    groups: list[GroupSeriesOut]


def _run_out(run: SimulationRun) -> dict:
    return RunOut.from_orm(run).dict()


def _visible(request: HttpRequest, run_id: int) -> SimulationRun:
    run = get_object_or_404(queries.runs(request.auth), pk=run_id)
    record_reads(request.auth, [run])
    return run


@router.post("/modelling/runs", response={201: RunOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut})
@idempotent
def create_run(request: HttpRequest, payload: RunIn):
    org = Organisation.objects.filter(pk=payload.owner_org_id).first()
    if org is None:
        raise ValidationError({"owner_org_id": "Ukjent organisasjon."})
    run = services.create_run(
        by=request.auth,
        owner_org=org,
        title=payload.title,
        parameters=payload.parameters,
        scenario_id=payload.scenario_id,
        risk_area=payload.risk_area,
        classification=payload.classification,
        exempt_public=payload.exempt_public,
        exempt_legal_basis=payload.exempt_legal_basis,
        is_exercise=payload.is_exercise,
    )
    return Status(201, _run_out(run))


@router.get("/modelling/runs", response=list[RunOut])
@paginate(LimitOffsetPagination)
def list_runs(request: HttpRequest, filters: Query[RunFilter]):
    filterset = SimulationRunFilterSet({k: v for k, v in filters.dict().items() if v is not None})
    if not filterset.is_valid():
        raise ValidationError({e["field"]: e["message"] for e in filterset.error_list()})
    return filterset.apply(queries.runs(request.auth))


@router.get("/modelling/runs/{run_id}", response={200: RunOut, 404: ErrorOut})
def get_run(request: HttpRequest, run_id: int):
    return _visible(request, run_id)


@router.post(
    "/modelling/runs/{run_id}/cancel",
    response={200: RunOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
@idempotent
def cancel_run(request: HttpRequest, run_id: int):
    run = _visible(request, run_id)
    try:
        run = services.cancel_run(by=request.auth, run=run)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "code": "not_active"})
    return Status(200, _run_out(run))


@router.delete(
    "/modelling/runs/{run_id}", response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def delete_run(request: HttpRequest, run_id: int):
    run = _visible(request, run_id)
    try:
        services.delete_run(by=request.auth, run=run)
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "code": "active"})
    return Status(204, None)


@router.get(
    "/modelling/runs/{run_id}/results",
    response={200: ResultsOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def run_results(
    request: HttpRequest,
    run_id: int,
    series: str = "icu",
    level: str = "rhf",
    municipality: str | None = None,
):
    """Quantiles (p05–p95) per group and day; ``series=infections&level=kommune`` per
    municipality (``municipality=0301`` for one)."""
    run = _visible(request, run_id)
    res = queries.run_results(run)
    if res is None:
        return Status(
            409, {"detail": "Kjøringen har ingen resultater (ikke ferdig).", "code": "not_ready"}
        )
    exports.check_choice(series, level)
    if series == "infections":
        codes = [municipality] if municipality else res.codes
        unknown = [c for c in codes if c not in res.codes]
        if unknown:
            raise ValidationError({"municipality": f"Ukjent kommunenummer {unknown[0]}."})
        groups: list[dict] = [{"name": c, **res.node_series(c)} for c in codes]
    else:
        cap = res.capacity(level)
        groups = [
            {
                "name": n,
                **res.group_series(level, n, series),
                "capacity": None if cap is None or series != "icu" else float(cap[g]),
            }
            for g, n in enumerate(res.group_names(level))
        ]
    summary = {
        k: res.meta.get(k)
        for k in (
            "members",
            "attack_rate",
            "attack_rate_sd",
            "peak_day",
            "peak_day_sd",
            "peak_icu_national_p50",
            "capacity_note",
        )
    }
    return Status(
        200,
        {
            "run_id": run.pk,
            "series": series,
            "level": level,
            "dates": exports.run_dates(run, res.meta["days"]),
            "summary": summary,
            "groups": groups,
        },
    )


@router.get(
    "/modelling/runs/{run_id}/bottlenecks", response={200: list[BottleneckOut], 404: ErrorOut}
)
def run_bottlenecks(request: HttpRequest, run_id: int, level: str | None = None):
    run = _visible(request, run_id)
    return Status(200, list(queries.bottlenecks(run, level)))
