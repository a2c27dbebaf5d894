"""Every write to exercise plans, exercises and evaluations goes through here: one
transaction, permission checked, the change log written.

Follow-up of learning points and actions lives in `followup.py` and is re-exported here.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.classification import Classification
from beredskap.core.errors import Conflict, PermissionDenied, refuse_duplicate
from beredskap.core.holding import default_level, refuse_above_clearance
from beredskap.exercises.feedkeys import CalendarFeedKey, hash_key
from beredskap.exercises.followup import (  # noqa: F401  (re-exported write path)
    accept_not_done,
    add_action,
    add_learning_point,
    add_observation,
    close_evaluation,
    link_record,
    share_learning_point,
    update_action,
)
from beredskap.exercises.models import (
    STATUS_ORDER,
    ControlAssignment,
    Evaluation,
    Exercise,
    ExercisePlan,
    ExerciseStatus,
    Objective,
    Participant,
    RecordLink,
)
from beredskap.exercises.permissions import require

PLAN_FIELDS = {
    "title",
    "period_start",
    "period_end",
    "goals",
    "coordination",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
}
EXERCISE_FIELDS = {
    "title",
    "plan",
    "exercise_type",
    "purpose",
    "scenario",
    "risk_area",
    "starts_on",
    "ends_on",
    "location",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
}


def _reject_unknown(fields: Iterable[str], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _check_plan(plan: ExercisePlan) -> None:
    if plan.period_end < plan.period_start:
        raise ValidationError({"period_end": _("Planperioden kan ikke slutte før den starter.")})
    if plan.period_end - plan.period_start > 10:
        raise ValidationError({"period_end": _("En flerårig øvingsplan kan vare i høyst ti år.")})


def create_plan(
    *,
    by: Any,
    owner_org: Any,
    title: str,
    period_start: int,
    period_end: int,
    goals: str = "",
    coordination: str = "",
    classification: int = Classification.UGRADERT,
    exempt_public: bool = False,
    exempt_legal_basis: str = "",
) -> ExercisePlan:
    """Set a multi-year exercise plan (the secretariat, for the Ministry)."""
    require(by, "manage_plan")
    plan = ExercisePlan(
        owner_org=owner_org,
        title=title,
        period_start=period_start,
        period_end=period_end,
        goals=goals,
        coordination=coordination,
        classification=classification,
        exempt_public=exempt_public,
        exempt_legal_basis=exempt_legal_basis,
        feed_token=secrets.token_urlsafe(24),
    )
    _check_plan(plan)
    refuse_above_clearance(by, plan.classification)
    with acting_as(by), transaction.atomic():
        plan.full_clean()
        plan.save()
    return plan


def update_plan(
    *, by: Any, plan: ExercisePlan, expected_version: int, **changes: Any
) -> ExercisePlan:
    """Change a plan; refused if someone saved it since `expected_version`."""
    require(by, "manage_plan")
    _reject_unknown(changes, PLAN_FIELDS)
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(plan, key, value)
        _check_plan(plan)
        refuse_above_clearance(by, plan.classification)
        plan.full_clean()
        plan.version = expected_version
        plan.save()
    return plan


def rotate_feed_key(*, by: Any, plan: ExercisePlan) -> ExercisePlan:
    """Revoke every calendar link of the plan at once, whoever holds it (the owning organisation
    only, e.g. when a link has been shared too widely)."""
    from beredskap.core.audit import record_event

    require(by, "rotate_feed", plan)
    with acting_as(by), transaction.atomic():
        ExercisePlan.objects.filter(pk=plan.pk).update(feed_token=secrets.token_urlsafe(24))
        revoked = CalendarFeedKey.objects.filter(plan=plan, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        plan.refresh_from_db()
        record_event(
            "feed_key_rotated",
            actor=by,
            label="exercises.exerciseplan",
            detail={"id": plan.pk, "revoked": revoked},
        )
    return plan


def create_feed_key(
    *, by: Any, plan: ExercisePlan, include_classified: bool = False
) -> tuple[CalendarFeedKey, str]:
    """A personal calendar link to a plan the user sees; returns the key and its secret (shown
    once, only its hash is kept). It expires after BEREDSKAP_FEED_KEY_DAYS."""
    from django.conf import settings

    from beredskap.core.audit import record_event

    if not ExercisePlan.objects.visible_to(by).filter(pk=plan.pk).exists():
        raise PermissionDenied(_("Du har ikke tilgang til øvingsplanen."))
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with acting_as(by), transaction.atomic():
        key = CalendarFeedKey.objects.create(
            user=by,
            plan=plan,
            key_hash=hash_key(secret),
            include_classified=include_classified,
            created_at=now,
            expires_at=now + timedelta(days=settings.BEREDSKAP_FEED_KEY_DAYS),
        )
        record_event(
            "feed_key_created",
            actor=by,
            label="exercises.calendarfeedkey",
            detail={"id": key.pk, "plan": plan.pk, "include_classified": include_classified},
        )
    return key, secret


def revoke_feed_key(*, by: Any, key: CalendarFeedKey) -> CalendarFeedKey:
    """Stop one calendar link (its own user only)."""
    from beredskap.core.audit import record_event

    if key.user_id != by.pk:
        raise PermissionDenied(_("Bare den som laget lenken, kan trekke den tilbake."))
    if key.revoked_at is not None:
        return key
    with acting_as(by), transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        record_event(
            "feed_key_revoked",
            actor=by,
            label="exercises.calendarfeedkey",
            detail={"id": key.pk, "plan": key.plan_id},
        )
    return key


def note_feed_use(*, key: CalendarFeedKey) -> None:
    """Stamp when a calendar link was last fetched (shown to its holder on the feed page)."""
    CalendarFeedKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())


def _check_exercise(exercise: Exercise) -> None:
    if exercise.ends_on and exercise.starts_on and exercise.ends_on < exercise.starts_on:
        raise ValidationError({"ends_on": _("Sluttdatoen kan ikke være før startdatoen.")})
    if not exercise.is_incident and not exercise.exercise_type:
        raise ValidationError({"exercise_type": _("Velg øvingsform.")})
    plan = exercise.plan
    if plan is not None and not (plan.period_start <= exercise.starts_on.year <= plan.period_end):
        raise ValidationError(
            {
                "starts_on": _("Øvelsen må ligge innenfor planperioden %(a)s–%(b)s.")
                % {"a": plan.period_start, "b": plan.period_end}
            }
        )


def create_exercise(
    *,
    by: Any,
    owner_org: Any,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    participating_orgs: Iterable[Any] = (),
    **fields: Any,
) -> Exercise:
    """Register a planned exercise (or, with is_incident=True, a real event to be evaluated)."""
    require(by, "create_exercise", owner_org)
    _reject_unknown(fields, EXERCISE_FIELDS | {"is_incident", "source_crisis_id", "status"})
    fields.setdefault("classification", default_level(by, Exercise))
    exercise = Exercise(
        owner_org=owner_org,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        **fields,
    )
    _check_exercise(exercise)
    refuse_above_clearance(by, exercise.classification)
    with acting_as(by), transaction.atomic():
        exercise.full_clean()
        exercise.save()
        exercise.participating_orgs.set(participating_orgs)
    return exercise


def update_exercise(
    *,
    by: Any,
    exercise: Exercise,
    expected_version: int,
    participating_orgs: Any = None,
    **changes: Any,
) -> Exercise:
    """Change an exercise's details; a closed exercise is frozen."""
    require(by, "edit_exercise", exercise)
    _reject_unknown(changes, EXERCISE_FIELDS)
    if exercise.status == ExerciseStatus.CLOSED:
        raise ValidationError(_("Øvelsen er lukket og kan ikke endres."))
    with acting_as(by), transaction.atomic():
        for key, value in changes.items():
            setattr(exercise, key, value)
        _check_exercise(exercise)
        refuse_above_clearance(by, exercise.classification)
        exercise.full_clean()
        exercise.version = expected_version
        exercise.save()
        if participating_orgs is not None:
            exercise.participating_orgs.set(participating_orgs)
    return exercise


def add_participant(
    *, by: Any, exercise: Exercise, kind: str, organisation: Any = None, name: str = ""
) -> Participant:
    """Add a participant: an organisation in the register or a named outside participant."""
    require(by, "edit_exercise", exercise)
    if organisation is None and not name.strip():
        raise ValidationError(_("Velg en organisasjon eller skriv inn navnet på deltakeren."))
    with acting_as(by), transaction.atomic():
        participant = Participant(
            exercise=exercise, organisation=organisation, name=name.strip(), kind=kind
        )
        participant.full_clean()
        participant.save()
    return participant


def add_control_role(
    *, by: Any, exercise: Exercise, role: str, person_name: str, organisation: Any = None
) -> ControlAssignment:
    """Seat someone in exercise control (director, controller, evaluator …)."""
    require(by, "edit_exercise", exercise)
    with acting_as(by), transaction.atomic():
        assignment = ControlAssignment(
            exercise=exercise, role=role, person_name=person_name.strip(), organisation=organisation
        )
        assignment.full_clean()
        assignment.save()
    return assignment


def add_objective(*, by: Any, exercise: Exercise, text: str, indicator: str = "") -> Objective:
    """Add a numbered objective to the exercise."""
    require(by, "edit_exercise", exercise)
    if not text.strip():
        raise ValidationError({"text": _("Skriv inn målet.")})
    with acting_as(by), transaction.atomic():
        number = (
            exercise.objectives.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        objective = Objective(
            exercise=exercise, number=number, text=text.strip(), indicator=indicator.strip()
        )
        objective.full_clean()
        objective.save()
    return objective


def _require_step(exercise: Exercise, to_status: str) -> None:
    if to_status not in STATUS_ORDER:
        raise ValidationError(_("Ukjent status."))
    if to_status == ExerciseStatus.CLOSED:
        raise ValidationError(_("En øvelse lukkes ved å lukke evalueringen."))
    current, wanted = STATUS_ORDER.index(exercise.status), STATUS_ORDER.index(to_status)
    if wanted != current + 1:
        raise ValidationError(
            _("Status kan bare flyttes ett steg fram: fra «%(a)s» til neste.")
            % {"a": exercise.get_status_display()}
        )
    if to_status == ExerciseStatus.PREPARED and not exercise.objectives.exists():
        raise ValidationError(_("Legg inn minst ett mål før øvelsen meldes forberedt."))
    if to_status == ExerciseStatus.EVALUATED:
        evaluation = getattr(exercise, "evaluation", None)
        if evaluation is None or not evaluation.observations.exists():
            raise ValidationError(
                _("Registrer evalueringen med minst én observasjon før øvelsen meldes evaluert.")
            )


def advance_status(*, by: Any, exercise: Exercise, to_status: str) -> Exercise:
    """Move an exercise one step: planned → prepared → conducted → evaluated."""
    require(by, "edit_exercise", exercise)
    exercise.refresh_from_db()
    _require_step(exercise, to_status)
    with acting_as(by), transaction.atomic():
        exercise.status = to_status
        exercise.save()
    return exercise


def start_evaluation(*, by: Any, exercise: Exercise, summary: str = "") -> Evaluation:
    """Open the evaluation of a conducted exercise or an incident (only one per exercise)."""
    require(by, "edit_exercise", exercise)
    duplicate = _("Øvelsen har allerede en evaluering.")
    if Evaluation.objects.filter(exercise=exercise).exists():
        raise Conflict(duplicate, code="duplicate")
    if exercise.status not in (ExerciseStatus.CONDUCTED, ExerciseStatus.EVALUATED):
        raise ValidationError(_("Bare gjennomførte øvelser og hendelser kan evalueres."))
    with refuse_duplicate(duplicate), acting_as(by), transaction.atomic():
        evaluation = Evaluation(exercise=exercise, summary=summary)
        evaluation.full_clean()
        evaluation.save()
    return evaluation


def _crisis(by: Any, source_crisis_id: int | None) -> Any:
    """The crisis an incident evaluates, resolved through what `by` may see: an unknown and an
    invisible id get the same answer (existence is not revealed), and only the crisis's own
    coordinators open its evaluation (it takes over the crisis's grading and participants)."""
    if source_crisis_id is None:
        return None
    try:
        from beredskap.operations.models import Crisis
        from beredskap.operations.permissions import is_coordinator
    except ImportError:  # the operations app is not installed
        return None
    crisis = Crisis.objects.visible_to(by).filter(pk=source_crisis_id).first()
    if crisis is None:
        raise ValidationError({"source_crisis_id": _("Ukjent krise.")})
    if not is_coordinator(by, crisis):
        raise PermissionDenied(_("Bare krisens koordinatorer kan opprette evalueringen."))
    return crisis


def _from_crisis(crisis: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """What an evaluation takes over from the crisis it evaluates: at least its classification and
    exemption (never a lower level than the crisis), its risk area, and exercise mode."""
    if Exercise.objects.filter(source_crisis_id=crisis.pk).exists():
        raise Conflict(_("Krisen har allerede en evaluering."), code="duplicate")
    fields["classification"] = max(int(fields["classification"]), int(crisis.classification))
    fields["risk_area"] = crisis.risk_area
    if crisis.exempt_public:
        fields["exempt_public"], fields["exempt_legal_basis"] = True, crisis.exempt_legal_basis
    if (
        crisis.is_exercise
    ):  # an exercise run as a crisis is evaluated as a functional (staff) exercise
        fields["is_incident"], fields["exercise_type"] = False, "functional"
    return fields


def _crisis_grant_end(crisis: Any) -> Any:
    """The evaluation's participants keep access as long as the crisis's own grants do."""
    from datetime import timedelta

    from beredskap.core.grants import crisis_grant_days

    ended = getattr(crisis, "closed_at", None)
    return ended + timedelta(days=crisis_grant_days()) if ended else None


def _share_like_crisis(by: Any, exercise: Exercise, crisis: Any) -> None:
    """Bodies and organisations that took part in the crisis see its evaluation too."""
    from django.contrib.contenttypes.models import ContentType

    from beredskap.actors.models import Organisation
    from beredskap.core.grants import active, grant_access, grants_on

    exercise.shared_with_bodies.set(crisis.shared_with_bodies.all())
    org_ids = list(
        active(grants_on(crisis))
        .filter(organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )
    exercise.participating_orgs.add(*org_ids)
    exercise_type = ContentType.objects.get_for_model(Exercise)
    grant_access(
        by=by,
        record=exercise,
        organisations=Organisation.objects.filter(pk__in=org_ids),
        reason=str(_("Deltok i krisen")),
        origin=crisis,
        expires_at=_crisis_grant_end(crisis),
    )
    RecordLink.objects.get_or_create(
        source_type=exercise_type,
        source_id=exercise.pk,
        target_type=ContentType.objects.get_for_model(type(crisis)),
        target_id=crisis.pk,
        relation="crisis",
        defaults={"created_by": by if getattr(by, "is_authenticated", False) else None},
    )


def create_incident_evaluation(
    *,
    by: Any,
    title: str,
    owner_org: Any,
    occurred_on: date,
    source_crisis_id: int | None = None,
    risk_area: str = "general",
    classification: int = Classification.UGRADERT,
) -> Evaluation:
    """Register a real event and open its evaluation (box 2.1 point 8: incidents are evaluated too).
    Called by operations when a crisis is closed; the evaluation then follows the same closing rule.
    """
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("En hendelse kan ikke ha skjedd fram i tid.")})
    crisis = _crisis(by, source_crisis_id)
    fields: dict[str, Any] = {
        "risk_area": risk_area,
        "classification": classification,
        "is_incident": True,
    }
    if crisis is not None:
        fields = _from_crisis(crisis, fields)
    with refuse_duplicate(_("Krisen har allerede en evaluering.")), transaction.atomic():
        exercise = create_exercise(
            by=by,
            owner_org=owner_org,
            title=title,
            starts_on=occurred_on,
            ends_on=occurred_on,
            status=ExerciseStatus.CONDUCTED,
            source_crisis_id=source_crisis_id,
            **fields,
        )
        if crisis is not None:
            _share_like_crisis(by, exercise, crisis)
        return start_evaluation(by=by, exercise=exercise)


def start_import(
    *, by: Any, kind: str, data: bytes, file_name: str = "", plan: ExercisePlan | None = None
) -> Any:
    """Queue an XLSX import of exercises or actions; its rows are checked in the background."""
    from beredskap.core.audit import record_event
    from beredskap.exercises.imports import MAX_BYTES
    from beredskap.exercises.models import ImportJob, ImportKind
    from beredskap.exercises.tasks import run_import

    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Velg om du importerer øvelser eller tiltak.")})
    if not data:
        raise ValidationError({"file": _("Filen er tom.")})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("Filen er større enn 5 MB.")})
    with acting_as(by), transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, data=data, file_name=file_name[:200], plan=plan, requested_by=by
        )
        record_event(
            "import_queued",
            actor=by,
            label="exercises.importjob",
            detail={"id": job.pk, "kind": kind},
        )
    result = run_import.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def cancel_import(*, by: Any, job: Any) -> Any:
    """Cancel a queued or running import (only the one who started it); nothing of it is saved."""
    from beredskap.core.audit import record_event
    from beredskap.core.errors import PermissionDenied
    from beredskap.exercises import jobs
    from beredskap.exercises.models import ImportJob

    if job.requested_by_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Bare den som startet importen kan avbryte den."))
    if not jobs.cancel(ImportJob, job.pk):
        raise ValidationError(_("Importen er allerede ferdig og kan ikke avbrytes."))
    record_event("import_cancelled", actor=by, label="exercises.importjob", detail={"id": job.pk})
    job.refresh_from_db()
    return job
