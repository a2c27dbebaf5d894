"""Declare a crisis, change its level and phase, keep its log, close it (Meld. St. 5 (2023–2024)
3.1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.core.grants import bound_grants_of, grant_access
from beredskap.core.timeutil import check_plausible
from beredskap.operations.models import Crisis, CrisisLevel, CrisisLogEntry, CrisisPhase
from beredskap.operations.models.crises import CrisisStatus
from beredskap.operations.permissions import (
    may_declare,
    may_declare_for,
    require_coordinator,
    require_open,
)


def log(
    *,
    crisis: Crisis,
    by: Any,
    text: str,
    kind: str = "note",
    occurred_at: datetime | None = None,
    corrects: CrisisLogEntry | None = None,
) -> CrisisLogEntry:
    """Append an entry to the crisis log (time of event and time of recording kept apart)."""
    return CrisisLogEntry.objects.create(
        crisis=crisis,
        by=by if getattr(by, "is_authenticated", False) else None,
        kind=kind,
        text=text,
        occurred_at=occurred_at or timezone.now(),
        corrects=corrects,
    )


def declare_crisis(
    *,
    by: Any,
    name: str,
    risk_area: str,
    crisis_type: str,
    owner_org: Organisation,
    lead_ministry: Organisation,
    started_at: datetime | None = None,
    level: str = CrisisLevel.CRISIS,
    phase: str = CrisisPhase.RESPONSE,
    is_exercise: bool = False,
    counties: Any = (),
    classification: int = Crisis.DEFAULT_CLASSIFICATION,
    reason: str = "",
    exempt_public: bool = False,
    exempt_legal_basis: str = "",
) -> Crisis:
    """Declare a crisis (or start an exercise run as one)."""
    if not may_declare(by):
        raise PermissionDenied(_("Du har ikke tilgang til å opprette kriser."))
    if not may_declare_for(by, owner_org):
        raise PermissionDenied(
            _("Du kan bare opprette kriser for en organisasjon du er koordinator i.")
        )
    if lead_ministry.kind != OrganisationKind.MINISTRY:
        raise ValidationError({"lead_ministry": _("Ansvarlig departement må være et departement.")})
    with acting_as(by), transaction.atomic():
        crisis = Crisis(
            name=name.strip(),
            risk_area=risk_area,
            crisis_type=crisis_type.strip(),
            owner_org=owner_org,
            lead_ministry=lead_ministry,
            started_at=started_at or timezone.now(),
            level=level,
            phase=phase,
            is_exercise=is_exercise,
            classification=classification,
            exempt_public=exempt_public,
            exempt_legal_basis=exempt_legal_basis,
        )
        crisis.full_clean()
        crisis.save()
        crisis.counties.set(counties)
        what = _("Øvelse startet") if is_exercise else _("Krise erklært")
        log(
            crisis=crisis,
            by=by,
            kind="declared",
            text=f"{what}: {crisis.name} – {crisis.get_level_display()}. {reason}".strip(),
        )
    return crisis


def change_level(
    *,
    by: Any,
    crisis: Crisis,
    expected_version: int,
    reason: str,
    level: str | None = None,
    phase: str | None = None,
) -> Crisis:
    """Move the crisis on the crisis spectrum or to another phase; who and why are logged."""
    require_coordinator(by, crisis)
    require_open(crisis)
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi begrunnelse for endringen.")})
    if level is not None and level not in CrisisLevel.values:
        raise ValidationError({"level": _("Ukjent nivå.")})
    if phase is not None and phase not in CrisisPhase.values:
        raise ValidationError({"phase": _("Ukjent fase.")})
    before = (crisis.get_level_display(), crisis.get_phase_display())
    with acting_as(by), transaction.atomic():
        crisis.level = level or crisis.level
        crisis.phase = phase or crisis.phase
        crisis.version = expected_version
        crisis.save()
        after = (crisis.get_level_display(), crisis.get_phase_display())
        log(
            crisis=crisis,
            by=by,
            kind="level",
            text=_("Nivå/fase endret fra %(b)s til %(a)s. Begrunnelse: %(r)s")
            % {
                "b": " / ".join(map(str, before)),
                "a": " / ".join(map(str, after)),
                "r": reason.strip(),
            },
        )
    return crisis


def correct_log_entry(*, by: Any, entry: CrisisLogEntry, text: str) -> CrisisLogEntry:
    """Correct a log entry; the original is kept and the correction points to it."""
    require_coordinator(by, entry.crisis)
    if not text.strip():
        raise ValidationError({"text": _("Rettelsen kan ikke være tom.")})
    with transaction.atomic():
        return log(
            crisis=entry.crisis,
            by=by,
            text=text.strip(),
            kind="correction",
            occurred_at=entry.occurred_at,
            corrects=entry,
        )


def add_log_entry(
    *, by: Any, crisis: Crisis, text: str, occurred_at: datetime | None = None
) -> CrisisLogEntry:
    """A manual log entry by a coordinator."""
    require_coordinator(by, crisis)
    if not text.strip():
        raise ValidationError({"text": _("Loggføringen kan ikke være tom.")})
    if occurred_at:  # a log entry records what happened: not before 2000, and with a time zone
        check_plausible(occurred_at, field="occurred_at", future=None)
    if occurred_at and occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("Tidspunktet kan ikke være i framtiden.")})
    return log(crisis=crisis, by=by, text=text.strip(), occurred_at=occurred_at)


def grant_participants(*, by: Any, crisis: Crisis, organisations: Any, reason: str) -> None:
    """Give organisations taking part (reporters, notified bodies) need-to-know of the crisis for
    as long as it is open; the grants are linked to the crisis and expire a set time after it
    closes (`core.grants.bound_grants_of`)."""
    grant_access(by=by, record=crisis, organisations=organisations, reason=reason, origin=crisis)


def close_crisis(*, by: Any, crisis: Crisis, expected_version: int, reason: str) -> Crisis:
    """Close the crisis and open its evaluation in the exercises module (Meld. St. 5 (2023–2024)
    box 2.1 point 8: incidents and exercises are evaluated). If the evaluation cannot be opened
    the crisis is still closed and the reason is written in the log."""
    require_coordinator(by, crisis)
    require_open(crisis)
    if not reason.strip():
        raise ValidationError({"reason": _("Oppgi begrunnelse for avslutningen.")})
    with acting_as(by), transaction.atomic():
        evaluation, problem = _start_evaluation(by, crisis)
        crisis.status = CrisisStatus.CLOSED
        crisis.closed_at = timezone.now()
        crisis.evaluation_ref = str(evaluation.pk) if evaluation is not None else ""
        crisis.version = expected_version
        crisis.save()
        log(
            crisis=crisis,
            by=by,
            kind="closed",
            text=_("Krisen avsluttet: %(r)s") % {"r": reason.strip()},
        )
        bound_grants_of(
            by=by, origin=crisis, ended_at=crisis.closed_at, reason=_("Krisen er avsluttet")
        )
        if evaluation is not None:
            log(
                crisis=crisis,
                by=by,
                kind="evaluation",
                text=_("Evaluering opprettet i øvelsesmodulen (%(t)s).")
                % {"t": evaluation.exercise.title},
            )
        elif problem:
            log(
                crisis=crisis,
                by=by,
                kind="evaluation",
                text=_("Evaluering kunne ikke opprettes: %(p)s") % {"p": problem},
            )
    return crisis


def _start_evaluation(by: Any, crisis: Crisis) -> tuple[Any, str]:
    """A real crisis becomes an incident to evaluate; an exercise crisis becomes a conducted staff
    exercise (spill-/stabsøvelse) in the exercises module, linked back by `source_crisis_id`."""
    try:
        from beredskap.exercises import services as exercises
        from beredskap.exercises.models import ExerciseStatus, ExerciseType
    except ImportError:
        return None, ""
    occurred_on = min(timezone.localdate(crisis.started_at), timezone.localdate())
    common = {
        "by": by,
        "owner_org": crisis.owner_org,
        "source_crisis_id": crisis.pk,
        "risk_area": crisis.risk_area,
        "classification": crisis.classification,
    }
    try:
        with transaction.atomic():
            if not crisis.is_exercise:
                return exercises.create_incident_evaluation(
                    title=crisis.name, occurred_on=occurred_on, **common
                ), ""
            exercise = exercises.create_exercise(
                title=crisis.name,
                starts_on=occurred_on,
                ends_on=timezone.localdate(),
                exercise_type=ExerciseType.FUNCTIONAL,
                status=ExerciseStatus.CONDUCTED,
                scenario=crisis.crisis_type,
                **common,
            )
            return exercises.start_evaluation(by=by, exercise=exercise), ""
    except (ValidationError, PermissionDenied) as exc:
        return None, " ".join(getattr(exc, "messages", [str(exc)]))


def evaluation_link(crisis: Crisis) -> str | None:
    """URL of the crisis's evaluation in the exercises module, when there is one."""
    if not crisis.evaluation_ref:
        return None
    try:
        from beredskap.exercises.models import Evaluation
    except ImportError:
        return None
    from django.urls import reverse

    evaluation = Evaluation.objects.filter(pk=crisis.evaluation_ref).first()
    return reverse("exercises:evaluation", args=[evaluation.exercise_id]) if evaluation else None
