"""Every write to modelling goes through here: one transaction, permission
checked, the change log written."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation
from beredskap.core import audit
from beredskap.core.access import access_context
from beredskap.core.audit import acting_as
from beredskap.core.classification import Classification
from beredskap.core.riskareas import RiskArea
from beredskap.modelling import scenarios
from beredskap.modelling.models import ACTIVE_STATUSES, RunStatus, SimulationRun
from beredskap.modelling.parameters import RunParameters, parse_parameters
from beredskap.modelling.permissions import require_manage, require_run_for


def _enqueue(run: SimulationRun) -> None:
    from beredskap.modelling.tasks import run_simulation

    result = run_simulation.enqueue(run.pk)
    SimulationRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])


def create_run(
    *,
    by: Any,
    owner_org: Organisation,
    title: str,
    parameters: dict | RunParameters,
    scenario_id: int | None = None,
    risk_area: str = RiskArea.INFECTION,
    classification: int = SimulationRun.DEFAULT_CLASSIFICATION,
    exempt_public: bool = False,
    exempt_legal_basis: str = "",
    is_exercise: bool = False,
) -> SimulationRun:
    """Validate and queue a simulation run owned by `owner_org`."""
    require_run_for(by, owner_org)
    if isinstance(parameters, RunParameters):
        parameters = parameters.model_dump(mode="json")
    params = parse_parameters(parameters)
    if not title.strip():
        raise ValidationError({"title": _("Gi kjøringen en tittel.")})
    scenario = scenarios.require_visible(by, scenario_id)
    # A run shows its scenario's title: never classify it below the scenario it comes from.
    classification = max(int(classification), int(getattr(scenario, "classification", 0) or 0))
    if classification > access_context(by).clearance:  # UGRADERT without a second factor
        raise ValidationError(
            {"classification": _("Du kan ikke gradere høyere enn din egen klarering.")}
        )
    if risk_area not in RiskArea.values:
        raise ValidationError({"risk_area": _("Ukjent risikoområde.")})
    with acting_as(by), transaction.atomic():
        run = SimulationRun(
            owner_org=owner_org,
            title=title.strip(),
            parameters=params.model_dump(mode="json"),
            scenario_id=scenario_id,
            scenario_title=str(getattr(scenario, "title", ""))[:300],
            risk_area=getattr(scenario, "risk_area", None) or risk_area,
            created_by=by,
            classification=Classification(classification),
            exempt_public=exempt_public,
            exempt_legal_basis=exempt_legal_basis,
            is_exercise=bool(is_exercise),
        )
        run.full_clean()
        run.save()
        _enqueue(run)
    run.refresh_from_db()
    return run


def cancel_run(*, by: Any, run: SimulationRun) -> SimulationRun:
    """Stop a queued or running simulation; the worker stops after its current chunk."""
    require_manage(by, run)
    with acting_as(by), transaction.atomic():
        before = run.status
        stopped = SimulationRun.objects.filter(pk=run.pk, status__in=ACTIVE_STATUSES).update(
            status=RunStatus.CANCELLED, finished_at=timezone.now()
        )
        if not stopped:
            raise ValidationError(_("Kjøringen er allerede avsluttet og kan ikke avbrytes."))
        run.refresh_from_db()
        audit.record_change(run, "update", {"status": before}, {"status": run.status})
    return run


def delete_run(*, by: Any, run: SimulationRun) -> None:
    """Delete a finished, failed or cancelled run and its results."""
    require_manage(by, run)
    if run.status in ACTIVE_STATUSES:
        raise ValidationError(_("Avbryt kjøringen før du sletter den."))
    with acting_as(by), transaction.atomic():
        run.delete()
