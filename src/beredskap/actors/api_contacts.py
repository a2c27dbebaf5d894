"""API of contact points (read, add, remove) and of organisations that cannot be reached
(mounted on the actors router)."""

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Schema, Status

from beredskap.actors import queries
from beredskap.actors.api import router
from beredskap.actors.models import ContactPoint, ContactRole
from beredskap.actors.services import contacts
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.errors import PermissionDenied
from beredskap.core.idempotency import idempotent


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


class ContactPointIn(Schema):
    kind: Literal["duty_phone", "email", "sms"]
    value: str = Field(max_length=254, description="typed as you like; stored normalised")
    label: str = Field("", max_length=100)
    order: int | None = Field(None, ge=1, le=99)
    available_24_7: bool = True


@router.post(
    "/organisations/{org_id}/contact-points",
    response={201: ContactPointOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    tags=["organisasjoner"],
)
@idempotent
def add_contact_point(request: HttpRequest, org_id: int, payload: ContactPointIn):
    """Register a way of reaching the organisation (its administrators and national staff)."""
    org = get_object_or_404(queries.organisations(request.auth), pk=org_id)
    point = contacts.add_contact_point(by=request.auth, organisation=org, **payload.dict())
    return Status(201, ContactPointOut.from_orm(point))


@router.delete(
    "/organisations/{org_id}/contact-points/{point_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    tags=["organisasjoner"],
)
def remove_contact_point(request: HttpRequest, org_id: int, point_id: int):
    org = get_object_or_404(queries.organisations(request.auth), pk=org_id)
    point = get_object_or_404(queries.contact_points_for(org), pk=point_id)
    contacts.remove_contact_point(by=request.auth, point=point)
    return Status(204, None)
