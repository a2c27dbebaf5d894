"""Schemas and small helpers of the exercises API (no `from __future__ import annotations`:
ninja)."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Schema
from pydantic import AwareDatetime, field_validator, model_validator

from beredskap.core.apischemas import ErrorOut as ErrorOut
from beredskap.core.classification import parse_classification
from beredskap.core.riskareas import RiskArea
from beredskap.exercises.models import (
    ActionStatus,
    ControlRole,
    ExerciseStatus,
    ExerciseType,
    ObservationKind,
    ParticipantKind,
    Rating,
)

MAX_ID = 2**31 - 1


def obj(queryset: Any, pk: Any) -> Any:
    """One record from a (visible) queryset, or 404; ids outside the database range are 404 too."""
    if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
        raise Http404
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def level(value: str | None) -> int | None:
    return None if value is None else int(parse_classification(value))


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def filtered(filterset_class: Any, params: Schema, queryset: Any) -> Any:
    data = {k: v for k, v in params.dict().items() if v is not None}
    if any(_has_nul(v) for v in data.values()):
        raise ValidationError("Ugyldige tegn i filteret.")
    filterset = filterset_class(data)
    if not filterset.is_valid():
        raise ValidationError({e["field"]: e["message"] for e in filterset.error_list()})
    return filterset.apply(queryset)


class CleanSchema(Schema):
    """Input schema that refuses NUL characters in any text (PostgreSQL cannot store them)."""

    @model_validator(mode="after")
    def no_nul(self):
        if any(_has_nul(value) for value in self.__dict__.values()):
            raise ValueError("Teksten inneholder ugyldige tegn (NUL).")
        return self


class Level(CleanSchema):
    # None: the record type's usual level, lowered to the creator's clearance.
    classification: str | None = None

    @field_validator("classification")
    @classmethod
    def known_level(cls, value: str) -> str:
        try:
            return parse_classification(value).name
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from exc


class ExercisePlanIn(Level):
    owner_org_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(min_length=2, max_length=200)
    period_start: int = Field(ge=2000, le=2100)
    period_end: int = Field(ge=2000, le=2100)
    goals: str = Field("", max_length=5000)
    coordination: str = Field("", max_length=5000)


class ExercisePlanPatch(CleanSchema):
    version: int = Field(ge=1, le=MAX_ID)
    title: str | None = Field(None, min_length=2, max_length=200)
    period_start: int | None = Field(None, ge=2000, le=2100)
    period_end: int | None = Field(None, ge=2000, le=2100)
    goals: str | None = Field(None, max_length=5000)
    coordination: str | None = Field(None, max_length=5000)


class FeedKeyIn(CleanSchema):
    include_classified: bool = False


class FeedKeyOut(Schema):
    id: int
    plan_id: int
    include_classified: bool
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    is_active: bool


class FeedKeyCreatedOut(FeedKeyOut):
    feed_url: str


class FeedRotatedOut(Schema):
    plan_id: int


class ExercisePlanOut(Schema):
    id: int
    title: str
    owner_org_id: int
    period_start: int
    period_end: int
    goals: str
    coordination: str
    classification: int
    version: int


class ExerciseIn(Level):
    owner_org_id: int = Field(ge=1, le=MAX_ID)
    plan_id: int | None = Field(None, ge=1, le=MAX_ID)
    title: str = Field(min_length=2, max_length=200)
    exercise_type: ExerciseType
    purpose: str = Field("", max_length=5000)
    scenario: str = Field("", max_length=5000)
    risk_area: RiskArea = RiskArea.GENERAL
    starts_on: date
    ends_on: date | None = None
    location: str = Field("", max_length=200)
    participating_org_ids: list[int] = Field(default_factory=list, max_length=200)


class ExercisePatch(CleanSchema):
    version: int = Field(ge=1, le=MAX_ID)
    title: str | None = Field(None, min_length=2, max_length=200)
    exercise_type: ExerciseType | None = None
    purpose: str | None = Field(None, max_length=5000)
    scenario: str | None = Field(None, max_length=5000)
    risk_area: RiskArea | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    location: str | None = Field(None, max_length=200)


class ExerciseOut(Schema):
    id: int
    title: str
    is_incident: bool
    plan_id: int | None
    owner_org_id: int
    exercise_type: str
    purpose: str
    scenario: str
    risk_area: str
    starts_on: date
    ends_on: date
    location: str
    status: str
    classification: int
    source_crisis_id: int | None
    version: int


class ExerciseFilter(Schema):
    q: str | None = Field(None, max_length=100)
    status: str | None = Field(None, max_length=20)
    exercise_type: str | None = Field(None, max_length=20)
    risk_area: str | None = Field(None, max_length=20)
    plan: int | None = Field(None, ge=1, le=MAX_ID)
    after: date | None = None
    before: date | None = None


class ExerciseStatusIn(CleanSchema):
    to_status: ExerciseStatus


class ObjectiveIn(CleanSchema):
    text: str = Field(min_length=1, max_length=500)
    indicator: str = Field("", max_length=500)


class ParticipantIn(CleanSchema):
    kind: ParticipantKind
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    name: str = Field("", max_length=200)


class ControlIn(CleanSchema):
    role: ControlRole
    person_name: str = Field(min_length=1, max_length=200)


class IncidentIn(Level):
    title: str = Field(min_length=2, max_length=200)
    owner_org_id: int = Field(ge=1, le=MAX_ID)
    occurred_on: date
    source_crisis_id: int | None = Field(None, ge=1, le=MAX_ID)
    risk_area: RiskArea = RiskArea.GENERAL


class ObservationIn(CleanSchema):
    kind: ObservationKind
    text: str = Field(min_length=1, max_length=5000)
    objective_id: int | None = Field(None, ge=1, le=MAX_ID)
    rating: Rating | None = None

    @field_validator("rating")
    @classmethod
    def blank_rating(cls, value: Any) -> Any:
        return value or ""


class LearningPointIn(CleanSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=5000)
    risk_area: RiskArea | None = None


class LearningPointOut(Schema):
    id: int
    title: str
    description: str
    risk_area: str
    exercise_id: int
    owner_org_id: int
    classification: int
    version: int

    @staticmethod
    def resolve_exercise_id(obj: Any) -> int:
        return obj["exercise_id"] if isinstance(obj, dict) else obj.evaluation.exercise_id


class LearningPointFilter(Schema):
    q: str | None = Field(None, max_length=100)
    risk_area: str | None = Field(None, max_length=20)


class ActionIn(CleanSchema):
    title: str = Field(min_length=1, max_length=300)
    responsible_org_id: int | None = Field(None, ge=1, le=MAX_ID)
    contact: str = Field("", max_length=200)
    due_date: date


class ActionPatch(CleanSchema):
    version: int = Field(ge=1, le=MAX_ID)
    status: ActionStatus | None = None
    evidence: str | None = Field(None, max_length=5000)
    contact: str | None = Field(None, max_length=200)
    due_date: date | None = None


class AcceptIn(CleanSchema):
    reason: str = Field(min_length=1, max_length=2000)
    version: int | None = Field(None, ge=1, le=MAX_ID)


class ActionOut(Schema):
    id: int
    learning_point_id: int
    title: str
    responsible_org_id: int
    contact: str
    due_date: date
    status: str
    evidence: str
    resolved_on: date | None
    not_done_reason: str
    accepted_by_id: int | None
    version: int


class ActionFilter(Schema):
    q: str | None = Field(None, max_length=100)
    status: str | None = Field(None, max_length=20)
    responsible_org: int | None = Field(None, ge=1, le=MAX_ID)
    risk_area: str | None = Field(None, max_length=20)
    due_before: date | None = None


class ShareIn(CleanSchema):
    body_slugs: list[str] = Field(default_factory=list, max_length=50)
    organisation_ids: list[int] = Field(default_factory=list, max_length=200)
    reason: str = Field("", max_length=300)


class ObservationOut(Schema):
    id: int
    objective_id: int | None
    kind: str
    rating: str
    text: str


class EvaluationOut(Schema):
    id: int
    exercise_id: int
    closed_at: AwareDatetime | None
    observations: list[ObservationOut]
    learning_points: list[LearningPointOut]
    actions: list[ActionOut]
    blocking_action_ids: list[int]

    @classmethod
    def build(cls, user: Any, evaluation: Any) -> "EvaluationOut":
        from beredskap.exercises import followup, queries

        points = list(queries.learning_points(user).filter(evaluation=evaluation))
        data: dict[str, Any] = dict(
            id=evaluation.pk,
            exercise_id=evaluation.exercise_id,
            closed_at=evaluation.closed_at,
            observations=[ObservationOut.from_orm(o).dict() for o in evaluation.observations.all()],
            learning_points=[LearningPointOut.from_orm(p).dict() for p in points],
            actions=[
                ActionOut.from_orm(a).dict()
                for a in queries.actions(user).filter(learning_point__in=points)
            ],
            blocking_action_ids=[a.pk for a in followup.blocking_actions(evaluation)],
        )
        return cls(**data)


class ImportOut(Schema):
    created: int
    errors: list[dict[str, Any]]


LINK_RELATIONS = {
    "tests_plan",
    "scenario",
    "ros_event",
    "crisis",
    "changes_plan",
    "changes_ros_event",
    "decision",
    "evidence",
}


class LinkIn(CleanSchema):
    target: str = Field(
        pattern=r"^[a-z_]+\.[a-z_]+$",
        max_length=100,
        description="app_label.model, e.g. planning.plan",
    )
    target_id: int = Field(ge=1, le=MAX_ID)
    relation: str = Field(
        pattern=r"^[a-z_]+$",
        max_length=40,
        description=(
            "tests_plan, scenario, ros_event, crisis, changes_plan, changes_ros_event, decision"
        ),
    )
    note: str = Field("", max_length=300)


class LinkOut(Schema):
    id: int
    target: str
    target_id: int
    label: str
    relation: str
    note: str


def resolve_target(user: Any, label: str, pk: int) -> Any:
    """A record of another app that the user may see, for a generic link (kinds in
    `linking.KINDS`)."""
    from beredskap.exercises import linking

    if linking.kind(label) is None:
        raise ValidationError(
            {
                "target": "Bare planer, analyser, scenarioer, ROS-hendelser, øvelser, kriser, "
                "møter og vedtak kan kobles."
            }
        )
    target = linking.find(user, label, pk)
    if target is None:
        raise Http404
    return target


def links_out(user: Any, source: Any) -> list[dict[str, Any]]:
    from beredskap.exercises.queries import links_from

    return [
        {
            "id": found["link"].pk,
            "target": f"{found['link'].target_type.app_label}.{found['link'].target_type.model}",
            "target_id": found["link"].target_id,
            "label": found["label"],
            "relation": found["link"].relation,
            "note": found["link"].note,
        }
        for found in links_from(user, source)
    ]
