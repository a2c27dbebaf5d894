"""API for exercise plans, exercises, incidents, evaluations, learning points and actions for
machine clients (other systems of the agencies and the statsforvaltere). Separate input and output
schemas; every read through visible_to(user)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from beredskap.actors.models import Body, Organisation
from beredskap.core.apipaging import LimitOffsetPagination, paginate
from beredskap.core.audit import record_reads
from beredskap.core.holding import default_level
from beredskap.core.idempotency import idempotent
from beredskap.core.riskareas import RiskArea
from beredskap.exercises import calendar, followup, imports, queries, services
from beredskap.exercises.apischemas import (
    LINK_RELATIONS,
    AcceptIn,
    ActionFilter,
    ActionIn,
    ActionOut,
    ActionPatch,
    CleanSchema,
    ControlIn,
    ErrorOut,
    EvaluationOut,
    ExerciseFilter,
    ExerciseIn,
    ExerciseOut,
    ExercisePatch,
    ExercisePlanIn,
    ExercisePlanOut,
    ExercisePlanPatch,
    ExerciseStatusIn,
    FeedKeyCreatedOut,
    FeedKeyIn,
    FeedKeyOut,
    FeedRotatedOut,
    ImportOut,
    IncidentIn,
    LearningPointFilter,
    LearningPointIn,
    LearningPointOut,
    LinkIn,
    LinkOut,
    ObjectiveIn,
    ObservationIn,
    ParticipantIn,
    ShareIn,
    filtered,
    level,
    links_out,
    obj,
    resolve_target,
)
from beredskap.exercises.feedkeys import CalendarFeedKey
from beredskap.exercises.filters import ActionFilterSet, ExerciseFilterSet, LearningPointFilterSet
from beredskap.exercises.models import Exercise, ExercisePlan, Objective

router = Router(tags=["øvelser"])
E = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _org(org_id: int | None, name: str = "owner_org_id") -> Organisation:
    org = obj(Organisation.objects.all(), org_id) if org_id else None
    if org is None:
        raise ValidationError({name: "Ukjent organisasjon."})
    return org


@router.get("/exercise-plans", response=list[ExercisePlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest):
    return queries.plans(request.auth)


@router.get("/exercise-plans/{plan_id}", response={200: ExercisePlanOut, 404: ErrorOut})
def get_plan(request: HttpRequest, plan_id: int):
    plan = obj(queries.plans(request.auth), plan_id)
    record_reads(request.auth, [plan])
    return plan


@router.post("/exercise-plans", response={201: ExercisePlanOut, **E})
@idempotent
def create_plan(request: HttpRequest, payload: ExercisePlanIn):
    data = payload.dict()
    data["classification"] = level(data["classification"])
    if data["classification"] is None:
        data["classification"] = default_level(request.auth, ExercisePlan)
    plan = services.create_plan(by=request.auth, owner_org=_org(data.pop("owner_org_id")), **data)
    return Status(201, ExercisePlanOut.from_orm(plan).dict())


@router.patch("/exercise-plans/{plan_id}", response={200: ExercisePlanOut, **E})
@idempotent
def update_plan(request: HttpRequest, plan_id: int, payload: ExercisePlanPatch):
    """Change the multi-year plan (the secretariat); 409 if it was saved since `version`."""
    plan = obj(queries.plans(request.auth), plan_id)
    data = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "version"
    }
    plan = services.update_plan(
        by=request.auth, plan=plan, expected_version=data.pop("version"), **data
    )
    return Status(200, ExercisePlanOut.from_orm(plan).dict())


@router.get("/exercise-plans/{plan_id}/feed-keys", response={200: list[FeedKeyOut], 404: ErrorOut})
def list_feed_keys(request: HttpRequest, plan_id: int):
    """The caller's calendar links to the plan (without their secrets)."""
    plan = obj(queries.plans(request.auth), plan_id)
    return list(CalendarFeedKey.objects.filter(user=request.auth, plan=plan))


@router.post("/exercise-plans/{plan_id}/feed-keys", response={201: FeedKeyCreatedOut, **E})
@idempotent
def create_feed_key(request: HttpRequest, plan_id: int, payload: FeedKeyIn):
    """A personal iCalendar link to the plan: UGRADERT entries only unless `include_classified`
    (then marked); it expires after BEREDSKAP_FEED_KEY_DAYS. The link is returned once."""
    plan = obj(queries.plans(request.auth), plan_id)
    key, secret = services.create_feed_key(
        by=request.auth, plan=plan, include_classified=payload.include_classified
    )
    url = request.build_absolute_uri(calendar.feed_path(plan, secret))
    return Status(201, {**FeedKeyOut.from_orm(key).dict(), "feed_url": url})


@router.delete("/feed-keys/{key_id}", response={204: None, 404: ErrorOut})
def revoke_feed_key(request: HttpRequest, key_id: int):
    """Revoke one of the caller's calendar links; someone else's is 404."""
    key = obj(CalendarFeedKey.objects.filter(user=request.auth), key_id)
    services.revoke_feed_key(by=request.auth, key=key)
    return Status(204, None)


@router.post("/exercise-plans/{plan_id}/feed-key", response={200: FeedRotatedOut, **E})
@idempotent
def rotate_feed_key(request: HttpRequest, plan_id: int):
    """Revoke every calendar link to the plan, whoever holds it (its own organisation only)."""
    plan = services.rotate_feed_key(by=request.auth, plan=obj(queries.plans(request.auth), plan_id))
    return Status(200, {"plan_id": plan.pk})


@router.get("/exercises", response=list[ExerciseOut])
@paginate(LimitOffsetPagination)
def list_exercises(request: HttpRequest, filters: Query[ExerciseFilter]):
    return filtered(ExerciseFilterSet, filters, queries.exercises(request.auth))


@router.get("/exercises/{exercise_id}", response={200: ExerciseOut, 404: ErrorOut})
def get_exercise(request: HttpRequest, exercise_id: int):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    record_reads(request.auth, [exercise])
    return exercise


def _exercise_fields(request: HttpRequest, data: dict) -> dict:
    if "classification" in data:
        data["classification"] = level(data["classification"])
        if data["classification"] is None:
            data.pop("classification")
    if "plan_id" in data:
        plan_id = data.pop("plan_id")
        data["plan"] = obj(queries.plans(request.auth), plan_id) if plan_id else None
    if "participating_org_ids" in data:
        ids = data.pop("participating_org_ids") or []
        orgs = list(Organisation.objects.filter(pk__in=[i for i in ids if 0 < i < 2**31]))
        if len(orgs) != len(set(ids)):
            raise ValidationError({"participating_org_ids": "Ukjent organisasjon."})
        data["participating_orgs"] = orgs
    return data


@router.post("/exercises", response={201: ExerciseOut, **E})
@idempotent
def create_exercise(request: HttpRequest, payload: ExerciseIn):
    data = _exercise_fields(request, payload.dict())
    exercise = services.create_exercise(
        by=request.auth, owner_org=_org(data.pop("owner_org_id")), **data
    )
    return Status(201, ExerciseOut.from_orm(exercise).dict())


@router.patch("/exercises/{exercise_id}", response={200: ExerciseOut, **E})
@idempotent
def update_exercise(request: HttpRequest, exercise_id: int, payload: ExercisePatch):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    data = _exercise_fields(request, payload.dict(exclude_unset=True))
    version = data.pop("version")
    exercise = services.update_exercise(
        by=request.auth, exercise=exercise, expected_version=version, **data
    )
    return Status(200, ExerciseOut.from_orm(exercise).dict())


@router.post("/exercises/{exercise_id}/status", response={200: ExerciseOut, **E})
@idempotent
def advance_status(request: HttpRequest, exercise_id: int, payload: ExerciseStatusIn):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    exercise = services.advance_status(
        by=request.auth, exercise=exercise, to_status=payload.to_status
    )
    return Status(200, ExerciseOut.from_orm(exercise).dict())


@router.post("/exercises/{exercise_id}/objectives", response={201: dict, **E})
@idempotent
def add_objective(request: HttpRequest, exercise_id: int, payload: ObjectiveIn):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    objective = services.add_objective(by=request.auth, exercise=exercise, **payload.dict())
    return Status(201, {"id": objective.pk, "number": objective.number, "text": objective.text})


@router.post("/exercises/{exercise_id}/participants", response={201: dict, **E})
@idempotent
def add_participant(request: HttpRequest, exercise_id: int, payload: ParticipantIn):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    org = _org(payload.organisation_id, "organisation_id") if payload.organisation_id else None
    participant = services.add_participant(
        by=request.auth, exercise=exercise, kind=payload.kind, organisation=org, name=payload.name
    )
    return Status(201, {"id": participant.pk, "name": str(participant), "kind": participant.kind})


@router.post("/exercises/{exercise_id}/control", response={201: dict, **E})
@idempotent
def add_control_role(request: HttpRequest, exercise_id: int, payload: ControlIn):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    assignment = services.add_control_role(
        by=request.auth, exercise=exercise, role=payload.role, person_name=payload.person_name
    )
    return Status(
        201, {"id": assignment.pk, "role": assignment.role, "person_name": assignment.person_name}
    )


@router.get("/exercises/{exercise_id}/evaluation", response={200: EvaluationOut, 404: ErrorOut})
def get_evaluation(request: HttpRequest, exercise_id: int):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    evaluation = getattr(exercise, "evaluation", None)
    if evaluation is None:
        raise Http404
    record_reads(request.auth, [exercise])
    return EvaluationOut.build(request.auth, evaluation)


@router.post("/exercises/{exercise_id}/evaluation", response={201: EvaluationOut, **E})
@idempotent
def start_evaluation(request: HttpRequest, exercise_id: int, payload: CleanSchema):
    exercise = obj(queries.exercises(request.auth), exercise_id)
    evaluation = services.start_evaluation(by=request.auth, exercise=exercise)
    return Status(201, EvaluationOut.build(request.auth, evaluation).dict())


@router.post("/incidents", response={201: EvaluationOut, **E})
@idempotent
def create_incident(request: HttpRequest, payload: IncidentIn):
    evaluation = services.create_incident_evaluation(
        by=request.auth,
        title=payload.title,
        owner_org=_org(payload.owner_org_id),
        occurred_on=payload.occurred_on,
        source_crisis_id=payload.source_crisis_id,
        risk_area=payload.risk_area,
        classification=_level_or_default(request, payload.classification),
    )
    return Status(201, EvaluationOut.build(request.auth, evaluation).dict())


def _evaluation(request: HttpRequest, exercise_id: int):
    evaluation = getattr(obj(queries.exercises(request.auth), exercise_id), "evaluation", None)
    if evaluation is None:
        raise Http404
    return evaluation


@router.post("/exercises/{exercise_id}/evaluation/observations", response={201: dict, **E})
@idempotent
def add_observation(request: HttpRequest, exercise_id: int, payload: ObservationIn):
    evaluation = _evaluation(request, exercise_id)
    objective = None
    if payload.objective_id:
        objective = obj(
            Objective.objects.filter(exercise=evaluation.exercise), payload.objective_id
        )
    observation = followup.add_observation(
        by=request.auth,
        evaluation=evaluation,
        kind=payload.kind,
        text=payload.text,
        rating=payload.rating or "",
        objective=objective,
    )
    return Status(201, {"id": observation.pk, "kind": observation.kind, "text": observation.text})


@router.post(
    "/exercises/{exercise_id}/evaluation/learning-points", response={201: LearningPointOut, **E}
)
@idempotent
def add_learning_point(request: HttpRequest, exercise_id: int, payload: LearningPointIn):
    evaluation = _evaluation(request, exercise_id)
    point = followup.add_learning_point(
        by=request.auth,
        evaluation=evaluation,
        title=payload.title,
        description=payload.description,
        risk_area=payload.risk_area,
    )
    return Status(201, LearningPointOut.from_orm(point).dict())


@router.post("/exercises/{exercise_id}/evaluation/close", response={200: EvaluationOut, **E})
@idempotent
def close_evaluation(request: HttpRequest, exercise_id: int, payload: CleanSchema):
    evaluation = _evaluation(request, exercise_id)
    try:
        followup.close_evaluation(by=request.auth, evaluation=evaluation)
    except ValidationError as exc:
        if getattr(exc, "code", "") == "open_actions":
            return Status(409, {"detail": exc.messages[0], "code": "open_actions"})
        raise
    return Status(200, EvaluationOut.build(request.auth, evaluation).dict())


@router.get("/learning-points", response=list[LearningPointOut])
@paginate(LimitOffsetPagination)
def list_learning_points(request: HttpRequest, filters: Query[LearningPointFilter]):
    return filtered(LearningPointFilterSet, filters, queries.learning_points(request.auth))


@router.post("/learning-points/{point_id}/actions", response={201: ActionOut, **E})
@idempotent
def add_action(request: HttpRequest, point_id: int, payload: ActionIn):
    point = obj(queries.learning_points(request.auth), point_id)
    org = (
        _org(payload.responsible_org_id, "responsible_org_id")
        if payload.responsible_org_id
        else None
    )
    action = followup.add_action(
        by=request.auth,
        learning_point=point,
        title=payload.title,
        responsible_org=org,
        due_date=payload.due_date,
        contact=payload.contact,
    )
    return Status(201, ActionOut.from_orm(action).dict())


@router.post("/learning-points/{point_id}/share", response={200: LearningPointOut, **E})
@idempotent
def share_learning_point(request: HttpRequest, point_id: int, payload: ShareIn):
    point = obj(queries.learning_points(request.auth), point_id)
    bodies = list(Body.objects.filter(slug__in=payload.body_slugs))
    orgs = list(
        Organisation.objects.filter(pk__in=[i for i in payload.organisation_ids if 0 < i < 2**31])
    )
    if len(bodies) != len(set(payload.body_slugs)) or len(orgs) != len(
        set(payload.organisation_ids)
    ):
        raise ValidationError("Ukjent organ eller organisasjon.")
    followup.share_learning_point(
        by=request.auth,
        learning_point=point,
        bodies=bodies,
        organisations=orgs,
        reason=payload.reason,
    )
    return Status(200, LearningPointOut.from_orm(point).dict())


@router.get("/exercise-actions", response=list[ActionOut])
@paginate(LimitOffsetPagination)
def list_actions(request: HttpRequest, filters: Query[ActionFilter]):
    return filtered(ActionFilterSet, filters, queries.actions(request.auth))


@router.patch("/exercise-actions/{action_id}", response={200: ActionOut, **E})
@idempotent
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch):
    action = obj(queries.actions(request.auth), action_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    action = followup.update_action(
        by=request.auth, action=action, expected_version=version, **data
    )
    return Status(200, ActionOut.from_orm(action).dict())


@router.post("/exercise-actions/{action_id}/accept-not-done", response={200: ActionOut, **E})
@idempotent
def accept_not_done(request: HttpRequest, action_id: int, payload: AcceptIn):
    action = obj(queries.actions(request.auth), action_id)
    action = followup.accept_not_done(
        by=request.auth, action=action, reason=payload.reason, expected_version=payload.version
    )
    return Status(200, ActionOut.from_orm(action).dict())


@router.get("/exercise-follow-up", response=dict)
def follow_up(request: HttpRequest):
    summary = queries.follow_up_summary(request.auth)
    summary["trend"] = [[d.isoformat(), n] for d, n in queries.overdue_trend(request.auth)]
    labels = dict(RiskArea.choices)
    summary["by_area"] = [[code, str(labels.get(code, code)), n] for code, n in summary["by_area"]]
    return summary


@router.post(
    "/exercise-imports/exercises",
    response={200: ImportOut, 400: ErrorOut, 403: ErrorOut, 422: ImportOut},
)
def import_exercises(request: HttpRequest, file: File[UploadedFile], plan_id: int | None = None):
    plan = obj(queries.plans(request.auth), plan_id) if plan_id else None
    result = imports.import_exercises(
        by=request.auth, data=file.read(imports.MAX_BYTES + 1), plan=plan
    )
    return Status(200 if result.ok else 422, {"created": result.created, "errors": result.errors})


@router.post(
    "/exercise-imports/actions",
    response={200: ImportOut, 400: ErrorOut, 403: ErrorOut, 422: ImportOut},
)
def import_actions(request: HttpRequest, file: File[UploadedFile]):
    result = imports.import_actions(
        by=request.auth,
        data=file.read(imports.MAX_BYTES + 1),
        exercises=queries.exercises(request.auth),
    )
    return Status(200 if result.ok else 422, {"created": result.created, "errors": result.errors})


def _link(request: HttpRequest, source, payload: LinkIn):
    if payload.relation not in LINK_RELATIONS:
        raise ValidationError({"relation": "Ukjent relasjon."})
    target = resolve_target(request.auth, payload.target, payload.target_id)
    followup.link_record(
        by=request.auth, source=source, target=target, relation=payload.relation, note=payload.note
    )
    return links_out(request.auth, source)


@router.get("/exercises/{exercise_id}/links", response={200: list[LinkOut], 404: ErrorOut})
def exercise_links(request: HttpRequest, exercise_id: int):
    return links_out(request.auth, obj(queries.exercises(request.auth), exercise_id))


@router.post("/exercises/{exercise_id}/links", response={201: list[LinkOut], **E})
@idempotent
def link_exercise(request: HttpRequest, exercise_id: int, payload: LinkIn):
    """Link the exercise to the plan it tests, its scenario, a ROS event or the crisis it came
    from."""
    return Status(201, _link(request, obj(queries.exercises(request.auth), exercise_id), payload))


@router.post("/learning-points/{point_id}/links", response={201: list[LinkOut], **E})
@idempotent
def link_learning_point(request: HttpRequest, point_id: int, payload: LinkIn):
    """Link a learning point to the plans and ROS events it changes."""
    return Status(
        201, _link(request, obj(queries.learning_points(request.auth), point_id), payload)
    )


def _mount_imports() -> None:
    from beredskap.exercises import api_imports

    router.add_router("", api_imports.router)


_mount_imports()


def _level_or_default(request: HttpRequest, value: str | None) -> int:
    chosen = level(value)
    return int(default_level(request.auth, Exercise)) if chosen is None else chosen
