"""API for organisations, bodies, memberships and meetings for machine clients.
Separate input and output schemas; every protected read goes through visible_to(user)."""

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, field_validator

from beredskap.actors import queries, services
from beredskap.actors.filters import BodyFilterSet, MeetingFilterSet, OrganisationFilterSet
from beredskap.actors.models import ActionStatus, BodyRole, Organisation, OrganisationKind
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.apischemas import ErrorOut
from beredskap.core.audit import record_reads
from beredskap.core.classification import parse_classification
from beredskap.core.idempotency import idempotent

router = Router()


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    org_number: str | None
    parent_id: int | None
    municipality_number: str | None = None
    health_region: str | None = None
    version: int

    @staticmethod
    def resolve_municipality_number(obj: Organisation) -> str | None:
        return obj.municipality.number if obj.municipality_id else None

    @staticmethod
    def resolve_health_region(obj: Organisation) -> str | None:
        return obj.health_region.code if obj.health_region_id else None


class OrganisationIn(Schema):
    name: str = Field(min_length=2, max_length=200)
    short_name: str = Field("", max_length=50)
    kind: OrganisationKind
    org_number: str | None = Field(None, pattern=r"^\d{9}$")
    parent_id: int | None = None
    reason: str = Field("", max_length=300, description="why (audited); required with a parent")


class OrganisationPatch(Schema):
    version: int = Field(ge=1)
    short_name: str | None = Field(None, max_length=50)
    org_number: str | None = Field(None, pattern=r"^\d{9}$")
    parent_id: int | None = None
    reason: str = Field(
        "", max_length=300, description="why (audited); required to change the governance line"
    )


class OrganisationFilter(Schema):
    q: str | None = Field(None, max_length=100)
    kind: str | None = None
    county: str | None = None
    health_region: str | None = None


def _filtered(filterset_class, params: Schema, queryset):
    from django.core.exceptions import ValidationError

    filterset = filterset_class({k: v for k, v in params.dict().items() if v is not None})
    if not filterset.is_valid():
        raise ValidationError({e["field"]: e["message"] for e in filterset.error_list()})
    return filterset.apply(queryset)


def _org_out(org: Organisation) -> dict:
    return OrganisationOut.from_orm(org).dict()


def _parent(parent_id: int | None) -> Organisation | None:
    if parent_id is None:
        return None
    from django.core.exceptions import ValidationError

    parent = Organisation.objects.filter(pk=parent_id).first()
    if parent is None:
        raise ValidationError({"parent_id": "Ukjent overordnet organisasjon."})
    return parent


def _required_org(org_id: int) -> Organisation:
    from django.core.exceptions import ValidationError

    org = _parent(org_id)
    if org is None:
        raise ValidationError({"owner_org_id": "Ansvarlig organisasjon mangler."})
    return org


@router.get("/organisations", response=list[OrganisationOut], tags=["organisasjoner"])
@paginate(LimitOffsetPagination)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilter]):
    return _filtered(OrganisationFilterSet, filters, queries.organisations(request.auth))


@router.get(
    "/organisations/{org_id}",
    response={200: OrganisationOut, 404: ErrorOut},
    tags=["organisasjoner"],
)
def get_organisation(request: HttpRequest, org_id: int):
    return get_object_or_404(queries.organisations(request.auth), pk=org_id)


@router.post(
    "/organisations",
    response={201: OrganisationOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    tags=["organisasjoner"],
)
@idempotent
def create_organisation(request: HttpRequest, payload: OrganisationIn):
    data = payload.dict()
    data["parent"] = _parent(data.pop("parent_id"))
    org = services.create_organisation(by=request.auth, **data)
    return Status(201, _org_out(org))


@router.patch(
    "/organisations/{org_id}",
    response={200: OrganisationOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    tags=["organisasjoner"],
)
@idempotent
def update_organisation(request: HttpRequest, org_id: int, payload: OrganisationPatch):
    org = get_object_or_404(queries.organisations(request.auth), pk=org_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "parent_id" in changes:
        changes["parent"] = _parent(changes.pop("parent_id"))
    org = services.update_organisation(
        by=request.auth, org=org, expected_version=version, **changes
    )
    return Status(200, _org_out(org))


class BodyOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str
    mandate: str
    lead_org_id: int
    deputy_lead_org_id: int | None
    parent_id: int | None
    risk_area: str
    state: str
    state_since: str | None = None
    version: int

    @staticmethod
    def resolve_state_since(obj) -> str | None:
        return obj.state_since.isoformat() if obj.state_since else None


class BodyFilter(Schema):
    q: str | None = Field(None, max_length=100)
    kind: str | None = None
    state: str | None = None
    risk_area: str | None = None


class BodyMemberOut(Schema):
    id: int
    body_id: int
    organisation_id: int | None
    person_id: int | None
    role: str


class BodyMemberIn(Schema):
    organisation_id: int
    role: BodyRole = BodyRole.MEMBER
    reason: str = Field(max_length=300, description="why the member is seated (audited)")


@router.get("/bodies", response=list[BodyOut], tags=["organer"])
@paginate(LimitOffsetPagination)
def list_bodies(request: HttpRequest, filters: Query[BodyFilter]):
    return _filtered(BodyFilterSet, filters, queries.bodies(request.auth))


@router.get("/bodies/{slug}", response={200: BodyOut, 404: ErrorOut}, tags=["organer"])
def get_body(request: HttpRequest, slug: str):
    return get_object_or_404(queries.bodies(request.auth), slug=slug)


@router.get(
    "/bodies/{slug}/members", response={200: list[BodyMemberOut], 404: ErrorOut}, tags=["organer"]
)
def list_body_members(request: HttpRequest, slug: str):
    body = get_object_or_404(queries.bodies(request.auth), slug=slug)
    return list(queries.body_members(body))


@router.post(
    "/bodies/{slug}/members",
    response={201: BodyMemberOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["organer"],
)
@idempotent
def add_body_member(request: HttpRequest, slug: str, payload: BodyMemberIn):
    body = get_object_or_404(queries.bodies(request.auth), slug=slug)
    org = _parent(payload.organisation_id)
    membership = services.add_body_member(
        by=request.auth, body=body, organisation=org, role=payload.role, reason=payload.reason
    )
    return Status(201, BodyMemberOut.from_orm(membership).dict())


class MeetingOut(Schema):
    id: int
    body_id: int
    title: str
    starts_at: AwareDatetime
    location: str
    minutes: str
    owner_org_id: int
    classification: str
    exempt_public: bool
    exempt_legal_basis: str
    version: int

    @staticmethod
    def resolve_classification(obj) -> str:
        from beredskap.core.classification import Classification

        return Classification(obj.classification).name


class MeetingIn(Schema):
    body: str = Field(max_length=60, description="slug of the body")
    title: str = Field(min_length=2, max_length=200)
    starts_at: AwareDatetime
    location: str = Field("", max_length=200)
    classification: str = "UGRADERT"
    exempt_public: bool = False
    exempt_legal_basis: str = Field("", max_length=200)

    @field_validator("classification")
    @classmethod
    def known_level(cls, value: str) -> str:
        from django.core.exceptions import ValidationError

        try:
            return parse_classification(value).name
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from exc


class MeetingFilter(Schema):
    q: str | None = Field(None, max_length=100)
    body: str | None = Field(None, max_length=60)
    after: str | None = None
    before: str | None = None


@router.get("/meetings", response=list[MeetingOut], tags=["møter"])
@paginate(LimitOffsetPagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]):
    return _filtered(MeetingFilterSet, filters, queries.meetings(request.auth))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, 404: ErrorOut}, tags=["møter"])
def get_meeting(request: HttpRequest, meeting_id: int):
    meeting = get_object_or_404(queries.meetings(request.auth), pk=meeting_id)
    record_reads(request.auth, [meeting])
    return meeting


@router.post(
    "/meetings",
    response={201: MeetingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["møter"],
)
@idempotent
def create_meeting(request: HttpRequest, payload: MeetingIn):
    from beredskap.core.classification import Classification

    body = get_object_or_404(queries.bodies(request.auth), slug=payload.body)
    data = payload.dict()
    data.pop("body")
    data["classification"] = Classification[data["classification"]]
    meeting = services.create_meeting(by=request.auth, body=body, **data)
    return Status(201, MeetingOut.from_orm(meeting).dict())


class AgendaItemOut(Schema):
    id: int
    number: int
    title: str
    description: str


class AgendaItemIn(Schema):
    title: str = Field(min_length=2, max_length=200)
    description: str = Field("", max_length=5000)


class DecisionOut(Schema):
    id: int
    text: str
    agenda_item_id: int | None


class MeetingDecisionIn(Schema):
    text: str = Field(min_length=2, max_length=5000)
    agenda_item_id: int | None = None


class MeetingActionOut(Schema):
    id: int
    title: str
    owner_org_id: int
    due_date: date
    status: str
    decision_id: int | None
    version: int


class MeetingActionIn(Schema):
    title: str = Field(min_length=2, max_length=300)
    owner_org_id: int
    due_date: date
    decision_id: int | None = None


class ActionStatusIn(Schema):
    status: ActionStatus
    version: int = Field(ge=1)


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut] = Field(alias="decisions_list")
    actions: list[MeetingActionOut] = Field(alias="actions_list")


def _visible_meeting(request: HttpRequest, meeting_id: int):
    return get_object_or_404(queries.meetings(request.auth), pk=meeting_id)


@router.get(
    "/meetings/{meeting_id}/full", response={200: MeetingDetailOut, 404: ErrorOut}, tags=["møter"]
)
def get_meeting_full(request: HttpRequest, meeting_id: int):
    meeting = _visible_meeting(request, meeting_id)
    record_reads(request.auth, [meeting])
    meeting.agenda = list(meeting.agenda_items.all())
    meeting.decisions_list = list(meeting.decisions.all())
    meeting.actions_list = list(meeting.actions.all())
    return meeting


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={201: AgendaItemOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["møter"],
)
@idempotent
def add_agenda_item(request: HttpRequest, meeting_id: int, payload: AgendaItemIn):
    meeting = _visible_meeting(request, meeting_id)
    item = services.add_agenda_item(by=request.auth, meeting=meeting, **payload.dict())
    return Status(201, AgendaItemOut.from_orm(item).dict())


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["møter"],
)
@idempotent
def add_decision(request: HttpRequest, meeting_id: int, payload: MeetingDecisionIn):
    meeting = _visible_meeting(request, meeting_id)
    item = None
    if payload.agenda_item_id is not None:
        item = get_object_or_404(meeting.agenda_items, pk=payload.agenda_item_id)
    decision = services.record_decision(
        by=request.auth, meeting=meeting, text=payload.text, agenda_item=item
    )
    return Status(201, DecisionOut.from_orm(decision).dict())


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: MeetingActionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    tags=["møter"],
)
@idempotent
def add_action(request: HttpRequest, meeting_id: int, payload: MeetingActionIn):
    meeting = _visible_meeting(request, meeting_id)
    decision = (
        get_object_or_404(meeting.decisions, pk=payload.decision_id)
        if payload.decision_id
        else None
    )
    action = services.add_follow_up_action(
        by=request.auth,
        meeting=meeting,
        title=payload.title,
        owner_org=_required_org(payload.owner_org_id),
        due_date=payload.due_date,
        decision=decision,
    )
    return Status(201, MeetingActionOut.from_orm(action).dict())


@router.post(
    "/actions/{action_id}/status",
    response={200: MeetingActionOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    tags=["møter"],
)
@idempotent
def set_action_status(request: HttpRequest, action_id: int, payload: ActionStatusIn):
    action = get_object_or_404(queries.follow_up_actions(request.auth), pk=action_id)
    action = services.set_action_status(
        by=request.auth, action=action, status=payload.status, expected_version=payload.version
    )
    return Status(200, MeetingActionOut.from_orm(action).dict())


class MembershipOut(Schema):
    id: int
    person_id: int
    person_name: str
    organisation_id: int
    role: str
    title: str

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


@router.get(
    "/organisations/{org_id}/members",
    response={200: list[MembershipOut], 404: ErrorOut},
    tags=["organisasjoner"],
)
def list_org_members(request: HttpRequest, org_id: int):
    """People of an organisation: only for its members and those above it in the governance line."""
    org = get_object_or_404(queries.organisations(request.auth), pk=org_id)
    return list(queries.people_of(request.auth, org))


from beredskap.actors import api_contacts  # noqa: E402, F401  (routes on this router)
