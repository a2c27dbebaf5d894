"""Start-page panel: my unacknowledged notifications, my organisations' overdue situation reports,
a count per reporting cycle of the overdue reports I follow up (coordinators: all of the cycle;
a statsforvalter: her counties' municipalities, white paper 2.3), and my organisations' open
crisis tasks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.access import access_context
from beredskap.operations import queries
from beredskap.operations.models.sitreps import ReportKind
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.report_states import ReportState, report_state
from beredskap.operations.services import sitreps


def _followed_municipalities(member_orgs: frozenset[int]) -> set[int]:
    """Municipality organisations in the counties of the statsforvalter offices I belong to."""
    counties = Organisation.objects.filter(
        pk__in=member_orgs, kind=OrganisationKind.STATSFORVALTER
    ).values("served_counties")
    return set(
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality__county__in=counties
        ).values_list("pk", flat=True)
    )


def _overdue(
    user: Any, member_orgs: frozenset[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(my organisations' overdue reports, one summary per cycle of the reports I follow up)."""
    own, summaries, arrivals = [], [], []
    followed = _followed_municipalities(member_orgs)
    for crisis in queries.crises(user).filter(status="open")[:10]:
        coordinator = is_coordinator(user, crisis)
        for cycle in crisis.cycles.all():
            late = sitreps.overdue(cycle)
            where = {
                "crisis_id": crisis.pk,
                "crisis": crisis.name,
                "cycle_id": cycle.pk,
                "cycle": cycle.name,
                "exercise": crisis.is_exercise,
            }
            own += [
                {"organisation": o.name, "due": due, "state": "overdue", **where}
                for o, due in late
                if o.pk in member_orgs
            ]
            own += _due_soon(cycle, member_orgs, where)
            if coordinator:
                arrivals.extend(_arrivals(user, cycle, where))
            count = len(late) if coordinator else sum(1 for o, _due in late if o.pk in followed)
            if count:
                summaries.append({"count": count, "due": late[0][1], "all": coordinator, **where})
    return own[:10], summaries[:10], arrivals[:10]


def _arrivals(user: Any, cycle: Any, where: dict[str, Any]) -> list[dict[str, Any]]:
    """The coordinator's batched notice of arrivals: one line per cycle with the reports that
    came in during the last reporting interval, never one notice per report."""
    since = timezone.now() - timedelta(hours=cycle.interval_hours)
    received = queries.reports(user).filter(
        cycle=cycle, kind=ReportKind.ORGANISATION, submitted_at__gte=since
    )
    count = received.count()
    if not count:
        return []
    latest = received.order_by("-submitted_at").values_list("submitted_at", flat=True)[0]
    return [{"count": count, "latest": latest, **where}]


def _due_soon(
    cycle: Any, member_orgs: frozenset[int], where: dict[str, Any]
) -> list[dict[str, Any]]:
    """A reminder before the deadline: my organisations' reports that are due now (inside the
    reminder window) and not yet delivered."""
    now = timezone.now()
    due = sitreps.next_deadline(cycle, now)
    if report_state(cycle, due, reported=False, now=now) != ReportState.DUE:
        return []
    return [
        {"organisation": o.name, "due": due, "state": "due", **where}
        for o in sitreps.awaited(cycle, now)
        if o.pk in member_orgs
    ]


def start_panels(user: Any) -> list[dict[str, Any]]:
    return _mobilisation_panel(user) + _crisis_panel(user)


def _mobilisation_panel(user: Any) -> list[dict[str, Any]]:
    """A reserve person's requests to answer and deployments she may end."""
    from beredskap.operations.services.mobilisation import mine

    own = mine(user)
    if not (own["asked"] or own["deployments"]):
        return []
    return [{"template": "operations/_mobilisation_panel.html", **own}]


def _crisis_panel(user: Any) -> list[dict[str, Any]]:
    ctx = access_context(user)
    if ctx.is_anonymous:
        return []
    unacknowledged = list(queries.my_unacknowledged(user)[:10])
    tasks = list(
        queries.open_tasks(user)
        .filter(owner_org_id__in=ctx.member_org_ids, crisis__status="open")
        .order_by("due_at")[:10]
    )
    overdue, followed, arrivals = _overdue(user, ctx.member_org_ids)
    if not (unacknowledged or tasks or overdue or followed or arrivals):
        return []
    return [
        {
            "template": "operations/_start_panel.html",
            "unacknowledged": unacknowledged,
            "overdue": overdue,
            "followed": followed,
            "arrivals": arrivals,
            "tasks": tasks,
        }
    ]
