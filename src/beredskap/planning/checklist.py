"""The box 2.1 checklist of Meld. St. 5 (2023–2024) (samfunnssikkerhetsinstruksen) derived from
the records that satisfy each requirement, with the evidence shown (DESIGN rule 12: a status is
computed where it can be). Requirements no record can show (goals, coordination, research …) are
a self-assessment, shown as such; a manual status on a derived requirement is an override and
needs a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.planning.models import RequirementStatus
from beredskap.planning.rules import PlanStatus

EXERCISE_YEARS = 2  # box 2.1 point 7: plans are exercised (forskrift om kommunal beredskapsplikt)


@dataclass
class Derived:
    status: str
    summary: Any
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


def _ros(user: Any, org: Any) -> Derived:
    from beredskap.risk.queries import analyses

    approved = list(analyses(user).filter(owner_org=org, status="approved"))
    current = [a for a in approved if not a.is_overdue]
    links = [(a.title, reverse("risk:analysis_detail", args=[a.pk])) for a in current or approved]
    if current:
        return Derived(RequirementStatus.MET, _("Godkjent ROS-analyse innenfor syklus"), links)
    if approved:
        return Derived(RequirementStatus.NOT_MET, _("ROS-analysen er forfalt for revisjon"), links)
    return Derived(RequirementStatus.NOT_MET, _("Ingen godkjent ROS-analyse"))


def _measures(user: Any, org: Any) -> Derived:
    from beredskap.risk.queries import measures

    rows = list(
        measures(user)
        .filter(event__analysis__owner_org=org, event__analysis__status="approved")
        .exclude(status="rejected")
        .select_related("event__analysis")
    )
    done = [m for m in rows if m.status == "done"]
    links = [
        (f"{m.title} ({m.get_status_display()})", reverse("risk:event_detail", args=[m.event_id]))
        for m in rows[:10]
    ]
    summary = _("%(done)s av %(all)s tiltak gjennomført") % {"done": len(done), "all": len(rows)}
    if rows and len(done) == len(rows):
        return Derived(RequirementStatus.MET, summary, links)
    if done:
        return Derived(RequirementStatus.PARTLY, summary, links)
    return Derived(RequirementStatus.NOT_MET, summary, links)


def _plans_and_exercises(user: Any, org: Any) -> Derived:
    from beredskap.exercises.queries import COMPLETED, exercises
    from beredskap.planning.queries import plans

    current = [p for p in plans(user).filter(owner_org=org) if p.status == PlanStatus.UP_TO_DATE]
    since = timezone.localdate() - timedelta(days=365 * EXERCISE_YEARS)
    held = list(
        exercises(user).filter(owner_org=org, status__in=COMPLETED, ends_on__gte=since)[:10]
    )
    links = [(p.title, reverse("planning:plan_detail", args=[p.pk])) for p in current[:10]]
    links += [(e.title, reverse("exercises:exercise_detail", args=[e.pk])) for e in held]
    summary = _("%(p)s oppdaterte planer, %(e)s øvelser siste to år") % {
        "p": len(current),
        "e": len(held),
    }
    if current and held:
        return Derived(RequirementStatus.MET, summary, links)
    if current or held:
        return Derived(RequirementStatus.PARTLY, summary, links)
    return Derived(RequirementStatus.NOT_MET, summary, links)


def _evaluated(user: Any, org: Any) -> Derived:
    from beredskap.exercises.queries import COMPLETED, exercises

    since = timezone.localdate() - timedelta(days=365 * EXERCISE_YEARS)
    held = list(
        exercises(user)
        .filter(owner_org=org, status__in=COMPLETED, ends_on__gte=since)
        .select_related("evaluation")
    )
    evaluated = [e for e in held if hasattr(e, "evaluation")]
    links = [(e.title, reverse("exercises:evaluation", args=[e.pk])) for e in evaluated[:10]]
    summary = _("%(v)s av %(h)s øvelser og hendelser evaluert") % {
        "v": len(evaluated),
        "h": len(held),
    }
    if held and len(evaluated) == len(held):
        return Derived(RequirementStatus.MET, summary, links)
    if evaluated:
        return Derived(RequirementStatus.PARTLY, summary, links)
    return Derived(RequirementStatus.NOT_MET, summary, links)


RULES = {2: _ros, 3: _measures, 7: _plans_and_exercises, 8: _evaluated}


def derive(user: Any, org: Any, number: int) -> Derived | None:
    """The status records give requirement `number`, or None when no record can show it."""
    rule = RULES.get(number)
    return rule(user, org) if rule else None


def effective_status(derived: Derived | None, assessment: Any) -> str:
    """An override (with its reason) wins over the derived status; a self-assessment stands for
    a requirement no record can show."""
    if assessment is not None and (derived is None or assessment.override_reason.strip()):
        return assessment.status
    return derived.status if derived else RequirementStatus.NOT_ASSESSED
