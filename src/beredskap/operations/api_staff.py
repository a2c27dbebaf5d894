"""Operations API, crisis staff: bodies activated for a crisis, the expert
group's composition, liaisons placed in the secretariat and crisis roles handed over from person to
person. Registered on the operations router; reads follow the crisis's visibility, writes go through
services.activation (coordinator or the organisation's own people)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from beredskap.actors.models import Body, Person
from beredskap.core.idempotency import idempotent
from beredskap.operations.api import ERRORS, _crisis, _org, router
from beredskap.operations.services import activation


def _body(slug: str, field: str) -> Body:
    found = Body.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationError({field: "Ukjent organ."})
    return found


class ActivationIn(Schema):
    body_slug: str
    reason: str = Field(min_length=1, max_length=300)
    reports_to_slug: str | None = None


class ExpertIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    competence: str
    organisation_id: int | None = None
    subgroup: str = Field("", max_length=100)


def _activation_out(a) -> dict:
    return {
        "id": a.pk,
        "body": a.body.slug,
        "body_name": a.body.name,
        "activated_at": a.activated_at,
        "deactivated_at": a.deactivated_at,
        "reason": a.reason,
        "reports_to": a.reports_to.slug if a.reports_to_id else None,
        "experts": [
            {
                "id": e.pk,
                "name": e.name,
                "competence": e.competence,
                "subgroup": e.subgroup,
                "organisation_id": e.organisation_id,
            }
            for e in a.experts.all()
        ],
    }


@router.get("/crises/{crisis_id}/activations", response=list[dict])
def list_activations(request: HttpRequest, crisis_id: int):
    crisis = _crisis(request, crisis_id)
    rows = (
        crisis.activations.select_related("body", "reports_to")
        .prefetch_related("experts")
        .order_by("activated_at")
    )
    return [_activation_out(a) for a in rows]


@router.post("/crises/{crisis_id}/activations", response={201: dict, **ERRORS})
@idempotent
def activate_body(request: HttpRequest, crisis_id: int, payload: ActivationIn):
    reports_to = (
        _body(payload.reports_to_slug, "reports_to_slug") if payload.reports_to_slug else None
    )
    a = activation.activate_body(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        body=_body(payload.body_slug, "body_slug"),
        reason=payload.reason,
        reports_to=reports_to,
    )
    return Status(201, _activation_out(a))


@router.post(
    "/crises/{crisis_id}/activations/{activation_id}/experts", response={201: dict, **ERRORS}
)
@idempotent
def add_expert(request: HttpRequest, crisis_id: int, activation_id: int, payload: ExpertIn):
    found = get_object_or_404(_crisis(request, crisis_id).activations, pk=activation_id)
    organisation = (
        _org(payload.organisation_id, "organisation_id") if payload.organisation_id else None
    )
    e = activation.add_expert(
        by=request.auth,
        activation=found,
        name=payload.name,
        competence=payload.competence,
        organisation=organisation,
        subgroup=payload.subgroup,
    )
    return Status(
        201, {"id": e.pk, "name": e.name, "competence": e.competence, "subgroup": e.subgroup}
    )


class LiaisonIn(Schema):
    organisation_id: int
    name: str = Field(min_length=1, max_length=200)
    placed_in_slug: str


class RoleIn(Schema):
    organisation_id: int
    role: str
    person_id: int
    note: str = ""


class StaffOut(Schema):
    liaisons: list[dict]
    roles: list[dict]


def _role_out(r) -> dict:
    return {
        "id": r.pk,
        "organisation_id": r.organisation_id,
        "role": r.role,
        "person": r.person.name,
        "started_at": r.started_at,
        "ended_at": r.ended_at,
        "handover_note": r.handover_note,
    }


@router.get("/crises/{crisis_id}/staff", response=StaffOut)
def crisis_staff(request: HttpRequest, crisis_id: int, history: bool = False):
    """Liaisons and crisis-role holders (current ones; all with ``history=true``)."""
    crisis = _crisis(request, crisis_id)
    roles = crisis.roles.select_related("person").order_by("organisation_id", "role", "started_at")
    if not history:
        roles = roles.filter(ended_at=None)
    liaisons = crisis.liaisons.select_related("placed_in").order_by("from_at")
    return {
        "liaisons": [
            {
                "id": x.pk,
                "organisation_id": x.organisation_id,
                "name": x.name,
                "placed_in": x.placed_in.slug,
                "from_at": x.from_at,
                "until_at": x.until_at,
            }
            for x in liaisons
        ],
        "roles": [_role_out(r) for r in roles],
    }


@router.post("/crises/{crisis_id}/liaisons", response={201: dict, **ERRORS})
@idempotent
def add_liaison(request: HttpRequest, crisis_id: int, payload: LiaisonIn):
    x = activation.add_liaison(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        organisation=_org(payload.organisation_id, "organisation_id"),
        name=payload.name,
        placed_in=_body(payload.placed_in_slug, "placed_in_slug"),
    )
    return Status(
        201,
        {"id": x.pk, "name": x.name, "organisation_id": x.organisation_id, "from_at": x.from_at},
    )


@router.post("/crises/{crisis_id}/roles", response={201: dict, **ERRORS})
@idempotent
def hand_over_role(request: HttpRequest, crisis_id: int, payload: RoleIn):
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": "Ukjent person."})
    r = activation.hand_over_role(
        by=request.auth,
        crisis=_crisis(request, crisis_id),
        organisation=_org(payload.organisation_id, "organisation_id"),
        role=payload.role,
        person=person,
        note=payload.note,
    )
    return Status(201, _role_out(r))
