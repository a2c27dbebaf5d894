"""Deleting scenarios and plans: permission, reasons for a refusal, one audited transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.planning.models import Plan, PlanAttachment, PlanAttachmentContent, Scenario
from beredskap.risk import permissions


def can_delete(user: Any, record: Any) -> bool:
    return permissions.can_edit(user, record)


def _require(user: Any, record: Any) -> None:
    if not can_delete(user, record):
        raise PermissionDenied(_("Du har ikke tilgang til å slette dette."))


def scenario_blockers(scenario: Scenario) -> list[str]:
    """Why a scenario may not be deleted. Counts include records the user may not see, but only
    as numbers."""
    reasons = []
    if scenario.seed_key:
        reasons.append(
            _(
                "Scenarioet er et av de nasjonale dimensjonerende scenarioene (kapittel 4.6) og "
                "kan ikke slettes, bare fylles ut."
            )
        )
    plans = scenario.plans.count()
    if plans:
        reasons.append(
            _("%(n)s beredskapsplan(er) bygger på scenarioet. Fjern koblingen i planene først.")
            % {"n": plans}
        )
    derived = scenario.assumptions_derived.count()
    if derived:
        reasons.append(_("%(n)s planforutsetning(er) er avledet fra scenarioet.") % {"n": derived})
    return reasons


def delete_scenario(*, by: Any, scenario: Scenario) -> None:
    """Delete a scenario that nothing builds on (its links to events and counties go with it)."""
    _require(by, scenario)
    reasons = scenario_blockers(scenario)
    if reasons:
        raise ValidationError(reasons)
    with acting_as(by), transaction.atomic():
        scenario.source_events.clear()
        scenario.counties.clear()
        scenario.delete()


def plan_consequences(plan: Plan) -> list[str]:
    lines = []
    count = plan.attachments.count()
    if count:
        lines.append(_("%(n)s vedlegg slettes sammen med planen.") % {"n": count})
    if plan.scenarios.exists() or plan.assumptions.exists():
        lines.append(
            _("Koblingene til scenarioer og planforutsetninger fjernes; de selv beholdes.")
        )
    return lines


def delete_plan(*, by: Any, plan: Plan) -> None:
    """Delete a plan with its attachments (each deletion audited)."""
    _require(by, plan)
    with acting_as(by), transaction.atomic():
        for attachment in PlanAttachment.objects.filter(plan=plan):
            PlanAttachmentContent.objects.filter(attachment=attachment).delete()
            attachment.delete()
        plan.scenarios.clear()
        plan.assumptions.clear()
        plan.delete()
