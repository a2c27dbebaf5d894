"""Writes of the follow-up: observations, learning points, actions, closing and sharing.

Meld. St. 5 (2023–2024) box 2.1 point 8 and 2.2.1: an evaluation — and its exercise — is
finished only when every action is done or formally accepted as not to be done, with a reason
and who accepted it; the council "shall follow that learning points are signed off".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.permissions import may_share_with_bodies
from beredskap.core.access import can_see
from beredskap.core.audit import acting_as, record_event
from beredskap.core.errors import PermissionDenied
from beredskap.core.grants import grant_access
from beredskap.core.holding import refuse_above_clearance
from beredskap.exercises import revisions, rules
from beredskap.exercises.models import (
    Action,
    ActionStatus,
    Evaluation,
    ExerciseStatus,
    LearningPoint,
    Observation,
    ObservationKind,
    RecordLink,
)
from beredskap.exercises.permissions import require


def _require_open(evaluation: Evaluation) -> None:
    if evaluation.is_closed:
        raise ValidationError(_("Evalueringen er lukket og kan ikke endres."))


def add_observation(
    *,
    by: Any,
    evaluation: Evaluation,
    kind: str,
    text: str,
    objective: Any = None,
    rating: str = "",
) -> Observation:
    """Record a strength or an area for improvement, per objective where there is one."""
    require(by, "edit_exercise", evaluation.exercise)
    _require_open(evaluation)
    if kind not in ObservationKind.values:
        raise ValidationError({"kind": _("Velg styrke eller forbedringsområde.")})
    if objective is not None and objective.exercise_id != evaluation.exercise_id:
        raise ValidationError({"objective": _("Målet hører til en annen øvelse.")})
    if not text.strip():
        raise ValidationError({"text": _("Skriv inn observasjonen.")})
    with acting_as(by), transaction.atomic():
        observation = Observation(
            evaluation=evaluation, kind=kind, text=text.strip(), objective=objective, rating=rating
        )
        observation.full_clean()
        observation.save()
    return observation


def add_learning_point(
    *,
    by: Any,
    evaluation: Evaluation,
    title: str,
    description: str = "",
    observation: Observation | None = None,
    risk_area: str | None = None,
    classification: int | None = None,
) -> LearningPoint:
    """Record a learning point; it inherits the exercise's owner, risk area and classification."""
    exercise = evaluation.exercise
    require(by, "edit_exercise", exercise)
    _require_open(evaluation)
    if not title.strip():
        raise ValidationError({"title": _("Skriv inn læringspunktet.")})
    with acting_as(by), transaction.atomic():
        point = LearningPoint(
            evaluation=evaluation,
            observation=observation,
            title=title.strip(),
            description=description,
            risk_area=risk_area or exercise.risk_area,
            owner_org_id=exercise.owner_org_id,
            classification=exercise.classification if classification is None else classification,
            exempt_public=exercise.exempt_public,
            exempt_legal_basis=exercise.exempt_legal_basis,
        )
        refuse_above_clearance(by, point.classification)
        point.full_clean()
        point.save()
        point.shared_with_bodies.set(exercise.shared_with_bodies.all())
    return point


def _check_due(learning_point: LearningPoint, due_date: date | None) -> date:
    if due_date is None:
        raise ValidationError({"due_date": _("Tiltaket må ha en frist.")})
    exercise = learning_point.evaluation.exercise
    if due_date < exercise.starts_on:
        raise ValidationError(
            {
                "due_date": _("Fristen kan ikke være før øvelsen (%(d)s).")
                % {"d": exercise.starts_on.strftime("%d.%m.%Y")}
            }
        )
    return due_date


def add_action(
    *,
    by: Any,
    learning_point: LearningPoint,
    title: str,
    responsible_org: Any,
    due_date: date | None,
    contact: str = "",
) -> Action:
    """Add the action that follows up a learning point: responsible organisation and due date
    required."""
    require(by, "edit_learning_point", learning_point)
    _require_open(learning_point.evaluation)
    if responsible_org is None:
        raise ValidationError({"responsible_org": _("Tiltaket må ha en ansvarlig organisasjon.")})
    if not title.strip():
        raise ValidationError({"title": _("Beskriv tiltaket.")})
    due = _check_due(learning_point, due_date)
    with acting_as(by), transaction.atomic():
        action = Action(
            learning_point=learning_point,
            title=title.strip(),
            responsible_org=responsible_org,
            due_date=due,
            contact=contact.strip(),
        )
        action.full_clean()
        action.save()
    return action


def update_action(
    *,
    by: Any,
    action: Action,
    expected_version: int,
    status: str | None = None,
    evidence: str | None = None,
    contact: str | None = None,
    due_date: date | None = None,
) -> Action:
    """Report progress on an action; «done» needs evidence of completion."""
    require(by, "update_action", action)
    _require_open(action.learning_point.evaluation)
    if status == ActionStatus.NOT_TO_BE_DONE:
        raise ValidationError(
            {"status": _("Bruk «Aksepter at tiltaket ikke gjennomføres» med begrunnelse.")}
        )
    if status is not None and status not in ActionStatus.values:
        raise ValidationError({"status": _("Ukjent status.")})
    with acting_as(by), transaction.atomic():
        if evidence is not None:
            action.evidence = evidence.strip()
        if contact is not None:
            action.contact = contact.strip()
        if due_date is not None:
            _check_due(action.learning_point, due_date)
            action.due_date = due_date
        if status is not None:
            if status == ActionStatus.DONE and not action.evidence:
                raise ValidationError(
                    {"evidence": _("Dokumenter hva som er gjort før tiltaket meldes fullført.")}
                )
            if status == ActionStatus.DONE and not revisions.is_revised(action):
                raise ValidationError(
                    {
                        "status": _(
                            "Tiltaket lukkes når revisjonen er godkjent: «%(t)s» er ikke "
                            "godkjent eller revidert etter at læringspunktet ble registrert."
                        )
                        % {"t": revisions.target_of(action)}
                    }
                )
            action.status = status
            action.resolved_on = timezone.localdate() if status == ActionStatus.DONE else None
        action.version = expected_version
        action.full_clean()
        action.save()
    return action


def accept_not_done(
    *, by: Any, action: Action, reason: str, expected_version: int | None = None
) -> Action:
    """Formally accept that an action will not be done; the reason and who accepted are kept."""
    require(by, "edit_exercise", action.learning_point.evaluation.exercise)
    _require_open(action.learning_point.evaluation)
    if action.status == ActionStatus.DONE:
        raise ValidationError(_("Tiltaket er allerede fullført."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Oppgi begrunnelse for at tiltaket ikke skal gjennomføres.")}
        )
    with acting_as(by), transaction.atomic():
        action.status = ActionStatus.NOT_TO_BE_DONE
        action.not_done_reason = reason.strip()
        action.accepted_by = by
        action.accepted_at = timezone.now()
        action.resolved_on = timezone.localdate()
        if expected_version is not None:
            action.version = expected_version
        action.save()
    return action


def blocking_actions(evaluation: Evaluation) -> list[Action]:
    """The actions that keep an evaluation open."""
    return [
        a
        for a in evaluation_actions(evaluation)
        if not rules.is_resolved(rules.ActionState(a.status, a.not_done_reason, a.accepted_by_id))
    ]


def evaluation_actions(evaluation: Evaluation) -> list[Action]:
    return list(
        Action.objects.filter(learning_point__evaluation=evaluation).select_related(
            "responsible_org"
        )
    )


def close_evaluation(*, by: Any, evaluation: Evaluation) -> Evaluation:
    """Close the evaluation and its exercise; refused while any action is unresolved."""
    exercise = evaluation.exercise
    require(by, "edit_exercise", exercise)
    _require_open(evaluation)
    if not evaluation.observations.exists():
        raise ValidationError(_("Evalueringen har ingen observasjoner ennå."))
    with acting_as(by), transaction.atomic():
        open_ones = blocking_actions(evaluation)
        if open_ones:
            titles = "; ".join(a.title for a in open_ones[:5])
            raise ValidationError(
                _(
                    "Evalueringen kan ikke lukkes: %(n)s tiltak er ikke fullført eller formelt "
                    "avskrevet (%(t)s)."
                )
                % {"n": len(open_ones), "t": titles},
                code="open_actions",
            )
        now = timezone.now()
        evaluation.closed_at, evaluation.closed_by = now, by
        evaluation.save()
        exercise.refresh_from_db()
        exercise.status, exercise.closed_at, exercise.closed_by = ExerciseStatus.CLOSED, now, by
        exercise.save()
    return evaluation


def share_learning_point(
    *,
    by: Any,
    learning_point: LearningPoint,
    bodies: Iterable[Any] = (),
    organisations: Iterable[Any] = (),
    reason: str = "",
) -> LearningPoint:
    """Share a learning point with bodies and organisations. Clearance still applies: a
    recipient without clearance for its classification does not see it."""
    require(by, "edit_learning_point", learning_point)
    bodies, organisations = list(bodies), list(organisations)
    if not bodies and not organisations:
        raise ValidationError(_("Velg minst ett organ eller én organisasjon å dele med."))
    if bodies and not may_share_with_bodies(by, learning_point):
        raise PermissionDenied(
            _("Bare eierorganisasjonen eller en nasjonal administrator kan dele med organer.")
        )
    with acting_as(by), transaction.atomic():
        learning_point.shared_with_bodies.add(*bodies)
        grant_access(
            by=by,
            record=learning_point,
            organisations=organisations,
            reason=reason or _("Delt læringspunkt"),
        )
        record_event(
            "share",
            actor=by,
            label="exercises.learningpoint",
            detail={
                "id": learning_point.pk,
                "bodies": [b.pk for b in bodies],
                "organisations": [o.pk for o in organisations],
            },
        )
    return learning_point


def link_record(*, by: Any, source: Any, target: Any, relation: str, note: str = "") -> RecordLink:
    """Link a record here to a record of another app (a plan, ROS event, scenario, crisis …) that
    `by` may see; the kinds each relation accepts are listed in `linking.RELATIONS`."""
    from beredskap.exercises import linking
    from beredskap.exercises.models import Exercise

    if isinstance(source, Exercise):
        require(by, "edit_exercise", source)
    elif isinstance(source, LearningPoint):
        require(by, "edit_learning_point", source)
    key = target._meta.label_lower
    if not linking.relation_allows(source, relation, key):
        raise ValidationError({"relation": _("Denne typen post kan ikke kobles her.")})
    if linking.find(by, key, target.pk) is None:
        raise ValidationError(_("Du har ikke tilgang til posten du vil lenke til."))
    if hasattr(type(source).objects, "visible_to") and not can_see(by, source):
        raise ValidationError(_("Du har ikke tilgang til posten."))
    kwargs = {
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": source.pk,
        "target_type": ContentType.objects.get_for_model(target),
        "target_id": target.pk,
        "relation": relation,
    }
    with acting_as(by), transaction.atomic():
        link, created = RecordLink.objects.get_or_create(
            **kwargs, defaults={"note": note[:300], "created_by": by}
        )
        if isinstance(source, LearningPoint):
            revisions.open_task(by=by, learning_point=source, target=target, relation=relation)
        if created:
            record_event(
                "link",
                actor=by,
                label=f"{source._meta.label_lower}",
                detail={"source": source.pk, "target": f"{key}:{target.pk}", "relation": relation},
            )
    return link
