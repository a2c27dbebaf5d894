"""API for the shared kernel: geography (public reference data) and who am I."""

from django.http import HttpRequest
from ninja import Router, Schema

from beredskap.core.access import access_context
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.classification import Classification
from beredskap.core.models import County, HealthRegion, Municipality

router = Router(tags=["geografi"])


class MunicipalityOut(Schema):
    number: str
    name: str
    county: str
    population: int
    lat: float
    lon: float

    @staticmethod
    def resolve_county(obj: Municipality) -> str:
        return obj.county.number


class CountyOut(Schema):
    number: str
    name: str
    health_region: str

    @staticmethod
    def resolve_health_region(obj: County) -> str:
        return obj.health_region.code


class HealthRegionOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    clearance: str
    organisations: list[int]
    bodies: list[int]


@router.get("/me", response=MeOut, tags=["konto"])
def me(request: HttpRequest) -> dict:
    context = access_context(request.auth)
    return {
        "username": request.auth.username,
        "clearance": Classification(request.auth.clearance).name,
        "organisations": sorted(context.member_org_ids),
        "bodies": sorted(context.body_ids),
    }


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(LimitOffsetPagination)
def list_municipalities(request: HttpRequest, county: str | None = None, q: str | None = None):
    rows = Municipality.objects.select_related("county")
    if county:
        rows = rows.filter(county__number=county[:2])
    if q:
        rows = rows.filter(name__icontains=q[:100])
    return rows


@router.get("/municipalities/{number}", response={200: MunicipalityOut, 404: ErrorOut})
def get_municipality(request: HttpRequest, number: str):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Municipality.objects.select_related("county"), number=number[:4])


@router.get("/counties", response=list[CountyOut])
def list_counties(request: HttpRequest):
    return County.objects.select_related("health_region")


@router.get("/health-regions", response=list[HealthRegionOut])
def list_health_regions(request: HttpRequest):
    return HealthRegion.objects.all()
