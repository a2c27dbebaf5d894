"""Decisions with authority, level and legal basis; crisis tasks with dependencies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.operations.models import Crisis, CrisisTask, Decision, DecisionMeasure, LegalBasis
from beredskap.operations.models.decisions import DecisionLevel, TaskStatus
from beredskap.operations.permissions import (
    is_coordinator,
    member_of,
    require_coordinator,
    require_open,
)
from beredskap.operations.services.crises import log


def record_decision(
    *,
    by: Any,
    crisis: Crisis,
    title: str,
    authority: Organisation | None,
    level: str,
    subsidiarity: str,
    legal_basis: str,
    legal_section: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    review_on: date | None = None,
    text: str = "",
    advice_source: str = "",
    advice_ref: str = "",
    measures: Sequence[dict[str, Any]] = (),
    classification: int | None = None,
) -> Decision:
    """Register a decision; refused without deciding authority, legal basis or a sound validity."""
    require_coordinator(by, crisis)
    require_open(crisis)
    errors: dict[str, str] = {}
    if authority is None:
        errors["authority"] = _("Oppgi ansvarlig myndighet.")
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = _("Oppgi hjemmel (lov) fra listen.")
    if not legal_section.strip():
        errors["legal_section"] = _("Oppgi paragraf i hjemmelen.")
    if level not in DecisionLevel.values:
        errors["level"] = _("Oppgi nivå.")
    if not subsidiarity.strip():
        errors["subsidiarity"] = _("Begrunn nivået etter nærhetsprinsippet.")
    if valid_until and valid_until <= valid_from:
        errors["valid_until"] = _("Sluttidspunktet må være etter starttidspunktet.")
    if review_on and valid_until and review_on > valid_until.date():
        errors["review_on"] = _("Revurderingsdatoen må ligge innenfor gyldighetsperioden.")
    if errors:
        raise ValidationError(errors)
    level_cls = crisis.classification if classification is None else classification
    with acting_as(by), transaction.atomic():
        decision = Decision(
            crisis=crisis,
            title=title.strip(),
            text=text,
            authority=authority,
            level=level,
            subsidiarity=subsidiarity.strip(),
            legal_basis=legal_basis,
            legal_section=legal_section.strip(),
            advice_source=advice_source,
            advice_ref=advice_ref,
            decided_at=timezone.now(),
            valid_from=valid_from,
            valid_until=valid_until,
            review_on=review_on,
            classification=level_cls,
            decided_by=by,
        )
        decision.full_clean()
        decision.save()
        for measure in measures:
            row = DecisionMeasure.objects.create(decision=decision, text=measure["text"][:300])
            row.municipalities.set(measure.get("municipalities", []))
        log(
            crisis=crisis,
            by=by,
            kind="decision",
            text=_("Vedtak «%(t)s» av %(a)s med hjemmel i %(l)s %(s)s.")
            % {
                "t": decision.title,
                "a": authority.name,
                "l": decision.get_legal_basis_display(),
                "s": decision.legal_section,
            },
        )
    return decision


def create_task(
    *,
    by: Any,
    crisis: Crisis,
    title: str,
    owner_org: Organisation,
    due_at: datetime,
    depends_on: Sequence[CrisisTask] = (),
) -> CrisisTask:
    """Assign a task to an organisation with a due time and dependencies in the same crisis."""
    require_coordinator(by, crisis)
    require_open(crisis)
    if not title.strip():
        raise ValidationError({"title": _("Oppgi oppgave.")})
    if any(dep.crisis_id != crisis.pk for dep in depends_on):
        raise ValidationError({"depends_on": _("Avhengigheter må høre til samme krise.")})
    with acting_as(by), transaction.atomic():
        task = CrisisTask.objects.create(
            crisis=crisis,
            title=title.strip(),
            owner_org=owner_org,
            due_at=due_at,
            classification=crisis.classification,
        )
        task.depends_on.set(depends_on)
        log(
            crisis=crisis,
            by=by,
            kind="task",
            text=_("Oppgave «%(t)s» til %(o)s.") % {"t": task.title, "o": owner_org.name},
        )
    return task


def set_task_status(*, by: Any, task: CrisisTask, status: str, expected_version: int) -> CrisisTask:
    """Move a task; it cannot be completed while a task it depends on is unfinished."""
    if not (is_coordinator(by, task.crisis) or member_of(by, task.owner_org_id)):
        raise PermissionDenied(
            _("Bare ansvarlig organisasjon eller koordinator kan endre oppgaven.")
        )
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Ukjent status.")})
    if status == TaskStatus.DONE and task.depends_on.exclude(status=TaskStatus.DONE).exists():
        raise ValidationError(_("Oppgaven venter på en annen oppgave som ikke er fullført."))
    with acting_as(by), transaction.atomic():
        task.status = status
        task.version = expected_version
        task.save()
        log(
            crisis=task.crisis,
            by=by,
            kind="task",
            text=_("Oppgave «%(t)s»: %(s)s.") % {"t": task.title, "s": task.get_status_display()},
        )
    return task


def overdue_tasks(tasks: Any, now: datetime | None = None) -> Any:
    now = now or timezone.now()
    return tasks.filter(due_at__lt=now, status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS])
