"""API for blood, personnel, the reserve registry and emergency water."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Status

from beredskap.actors.models import Organisation
from beredskap.capacity import summary
from beredskap.capacity.api import router
from beredskap.capacity.api.schemas import (
    BloodInventoryIn,
    ErrorOut,
    PersonnelReportIn,
    ReserveLineOut,
    VolunteerIn,
    VolunteerOut,
    WaterIn,
    WaterOut,
)
from beredskap.capacity.models import ReserveVolunteer, WaterSupply
from beredskap.capacity.queries import blood as blood_queries
from beredskap.capacity.queries import personnel as personnel_queries
from beredskap.capacity.queries import water as water_queries
from beredskap.capacity.services import blood, personnel, water
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.audit import record_reads
from beredskap.core.errors import PermissionDenied
from beredskap.core.idempotency import idempotent
from beredskap.core.models import HealthRegion, Municipality

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _org(org_id: int) -> Organisation:
    return get_object_or_404(Organisation.objects.all(), pk=org_id)


@router.post("/capacity/blood/inventories", response={201: dict, **ERRORS})
@idempotent
def create_blood_inventory(request: HttpRequest, payload: BloodInventoryIn):
    data = payload.dict()
    report = blood.submit_blood_inventory(
        by=request.auth, owner_org=_org(data.pop("owner_org_id")), **data
    )
    return Status(201, {"id": report.pk})


@router.get("/capacity/blood/supply", response=list[dict])
def blood_supply(request: HttpRequest, health_region: str | None = None):
    return blood_queries.supply_by_component(request.auth, health_region=health_region)


@router.post("/capacity/personnel/reports", response={201: dict, **ERRORS})
@idempotent
def create_personnel_report(request: HttpRequest, payload: PersonnelReportIn):
    data = payload.dict()
    report = personnel.submit_personnel_report(
        by=request.auth, owner_org=_org(data.pop("owner_org_id")), **data
    )
    return Status(201, {"id": report.pk})


@router.get("/capacity/reserve/availability", response=list[ReserveLineOut])
def reserve_availability(
    request: HttpRequest,
    health_region: str | None = None,
    profession: str | None = None,
):
    return [
        line.__dict__
        for line in summary.reserve_availability(
            request.auth, health_region=health_region, profession=profession
        )
    ]


def volunteer_out(v: ReserveVolunteer) -> dict:
    return {
        "id": v.pk,
        "profession": v.profession,
        "hpr_number": v.hpr_number,
        "specialities": v.specialities,
        "health_region": v.health_region.code,
        "willing_to_travel": v.willing_to_travel,
        "availability": v.availability,
        "available_from": v.available_from,
        "available_until": v.available_until,
        "contact_preference": v.contact_preference,
        "phone": v.phone,
        "confirmed_at": v.confirmed_at,
    }


@router.get("/capacity/reserve/search", response={200: list[VolunteerOut], 403: ErrorOut})
@paginate(LimitOffsetPagination)
def reserve_search(
    request: HttpRequest,
    profession: str | None = None,
    competence: str | None = None,
    health_region: str | None = None,
):
    from beredskap.capacity.permissions import is_coordinator

    if not is_coordinator(request.auth):
        raise PermissionDenied("Bare koordinatorer kan søke i reserveregisteret.")
    found = list(
        personnel_queries.reserve_search(
            request.auth, profession=profession, competence=competence, health_region=health_region
        )[:500]
    )
    record_reads(request.auth, found)
    return [volunteer_out(v) for v in found]


@router.post("/capacity/reserve/me", response={201: VolunteerOut, **ERRORS})
@idempotent
def register_me(request: HttpRequest, payload: VolunteerIn):
    data = payload.dict()
    data["health_region"] = get_object_or_404(
        HealthRegion.objects.all(), code=data["health_region"]
    )
    volunteer = personnel.register_volunteer(by=request.auth, **data)
    return Status(201, volunteer_out(volunteer))


@router.get("/capacity/reserve/me/export")
def export_me(request: HttpRequest) -> HttpResponse:
    """The person's own data (right of access)."""
    return HttpResponse(personnel.export_own_data(by=request.auth), content_type="application/json")


@router.delete("/capacity/reserve/me", response={204: None})
def withdraw_me(request: HttpRequest):
    """Withdraw consent: the registration is deleted."""
    personnel.withdraw_consent(by=request.auth)
    return Status(204, None)


def water_out(r: WaterSupply) -> dict:
    return {
        "municipality": r.municipality.number,
        "name": r.municipality.short_name,
        "population_share_pct": r.population_share_pct,
        "days": r.days,
        "capacity_litres_per_day": r.capacity_litres_per_day,
        "need_litres_per_day": r.need_litres_per_day,
        "coverage_ratio": round(r.coverage_ratio, 3),
        "reviewed_on": r.reviewed_on,
        "version": r.version,
    }


@router.get("/capacity/water", response=list[WaterOut])
@paginate(LimitOffsetPagination)
def list_water(request: HttpRequest, county: str | None = None, health_region: str | None = None):
    return [
        water_out(r)
        for r in water_queries.water_records(
            request.auth, county=county, health_region=health_region
        )
    ]


@router.put("/capacity/water/{number}", response={200: WaterOut, **ERRORS})
@idempotent
def put_water(request: HttpRequest, number: str, payload: WaterIn):
    municipality = get_object_or_404(Municipality.objects.all(), number=number)
    data = payload.dict()
    record = water.save_water_supply(
        by=request.auth, municipality=municipality, expected_version=data.pop("version"), **data
    )
    return Status(200, water_out(record))
