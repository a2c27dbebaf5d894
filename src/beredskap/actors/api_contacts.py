"""API reads of contact points and of organisations that cannot be reached (mounted on the
actors router)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema

from beredskap.actors import queries
from beredskap.actors.api import router
from beredskap.actors.models import ContactPoint, ContactRole
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.errors import PermissionDenied


class ContactPointOut(Schema):
    id: int
    organisation_id: int
    kind: str
    value: str = Field(description="E.164 number or e-mail address")
    label: str
    order: int
    available_24_7: bool
    version: int


class ContactRoleOut(Schema):
    role: str
    person_id: int
    person_name: str

    @staticmethod
    def resolve_person_name(obj: ContactRole) -> str:
        return obj.person.name


class ContactsOut(Schema):
    points: list[ContactPointOut]
    roles: list[ContactRoleOut]


class UnreachableOut(Schema):
    id: int
    name: str
    kind: str
    has_contact_point: bool
    has_active_user: bool


class UnreachableFilter(Schema):
    q: str | None = Field(None, max_length=100)


@router.get(
    "/organisations/{org_id}/contact-points",
    response={200: ContactsOut, 404: ErrorOut},
    tags=["organisasjoner"],
)
def get_contact_points(request: HttpRequest, org_id: int):
    """An organisation's contact points in escalation order and its named roles."""
    org = get_object_or_404(queries.organisations(request.auth), pk=org_id)
    points: list[ContactPoint] = list(queries.contact_points_for(org))
    return {"points": points, "roles": list(queries.contact_roles_for(org))}


@router.get(
    "/contact-points/unreachable",
    response=list[UnreachableOut],
    tags=["organisasjoner"],
)
@paginate(LimitOffsetPagination)
def list_unreachable(request: HttpRequest, filters: Query[UnreachableFilter]):
    """Organisations the caller follows up with no contact point or no active user."""
    if not queries.may_see_reachability(request.auth):
        raise PermissionDenied("Oversikten er for statsforvalteren og sekretariatet.")
    rows = queries.unreachable_organisations(request.auth)
    return rows.filter(name__icontains=filters.q) if filters.q else rows
