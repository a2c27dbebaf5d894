"""Read helpers for planning, always through `visible_to(user)`; the compliance overview
of a statsforvalter's municipalities and the national roll-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.access import access_context
from beredskap.core.models import County, Municipality
from beredskap.planning import rules
from beredskap.planning.models import Plan, PlanningAssumption, RequirementAssessment, Scenario
from beredskap.planning.rules import MUNICIPAL_REQUIRED, PlanStatus, PlanType


def scenarios(user: Any) -> QuerySet[Scenario]:
    return Scenario.objects.visible_to(user).select_related("owner_org", "seed_municipality")


def assumptions(user: Any) -> QuerySet[PlanningAssumption]:
    return PlanningAssumption.objects.visible_to(user).select_related(
        "owner_org", "source_scenario"
    )


def plans(user: Any) -> QuerySet[Plan]:
    """Visible plans, each with its latest completed exercise the user may see («sist øvd»)."""
    from beredskap.planning.exercised import with_last_exercise

    return with_last_exercise(Plan.objects.visible_to(user).select_related("owner_org"), user)


def requirement_rows(user: Any, org: Organisation) -> QuerySet[RequirementAssessment]:
    return RequirementAssessment.objects.visible_to(user).filter(owner_org=org)


def statsforvalter_offices(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=access_context(user).member_org_ids, kind=OrganisationKind.STATSFORVALTER
    )


def assumptions_for(user: Any) -> QuerySet[PlanningAssumption]:
    """Assumptions that apply to my organisations: national ones and those published to us."""
    from django.db.models import Q

    mine = access_context(user).member_org_ids
    return (
        assumptions(user)
        .filter(Q(level="national") | Q(published_to__in=mine) | Q(owner_org_id__in=mine))
        .distinct()
    )


@dataclass
class MunicipalityRow:
    municipality: Municipality
    organisation: Organisation | None
    ros: Any
    ros_age_years: float | None
    ros_status: str  # ok | overdue | missing
    plan_status: str  # worst PlanStatus over the required types
    missing_types: list[str]
    exercise_status: str  # ok | overdue | never | missing
    last_exercised: Any
    last_exercise_id: int | None = None  # the completed exercise «last exercised» comes from
    overdue_types: list[str] = field(default_factory=list)  # plans whose revision is overdue

    @property
    def plan_status_label(self) -> str:
        return str(PlanStatus(self.plan_status).label)

    @property
    def flagged(self) -> bool:
        return (
            self.ros_status != "ok"
            or self.plan_status != PlanStatus.UP_TO_DATE
            or self.exercise_status != "ok"
        )


def _exercise_status(overall: Plan | None, today: Any) -> str:
    if overall is None:
        return "missing"
    due = overall.next_exercise_due
    if overall.last_exercised_on is None and (due is None or due < today):
        return "never"
    return "overdue" if due is not None and due < today else "ok"


def municipality_rows(user: Any, municipalities: list[Municipality]) -> list[MunicipalityRow]:
    """ROS age, plan status and exercise status per municipality, from records the user may see."""
    from beredskap.risk.queries import latest_municipal_ros

    today = timezone.localdate()
    ids = [m.pk for m in municipalities]
    orgs = {o.municipality_id: o for o in Organisation.objects.filter(municipality_id__in=ids)}
    latest = latest_municipal_ros(user, ids)
    by_org: dict[int, list[Plan]] = {}
    for plan in plans(user).filter(owner_org__in=orgs.values()).order_by("-approved_on"):
        by_org.setdefault(plan.owner_org_id, []).append(plan)
    rows = []
    for m in municipalities:
        org = orgs.get(m.pk)
        own = by_org.get(org.pk, []) if org else []
        statuses, missing, overdue = [], [], []
        for kind in MUNICIPAL_REQUIRED:
            of_kind = [p for p in own if p.plan_type == kind]
            if of_kind:
                statuses.append(of_kind[0].status)
                if of_kind[0].status == PlanStatus.REVIEW_OVERDUE:
                    overdue.append(str(PlanType(kind).label))
            else:
                missing.append(str(PlanType(kind).label))
                statuses.append(PlanStatus.MISSING)
        overall = next((p for p in own if p.plan_type == PlanType.OVERALL), None)
        ros = latest.get(m.pk)
        rows.append(
            MunicipalityRow(
                municipality=m,
                organisation=org,
                ros=ros,
                ros_age_years=round((today - ros.approved_on).days / 365.25, 1)
                if ros and ros.approved_on
                else None,
                ros_status="missing" if ros is None else "overdue" if ros.is_overdue else "ok",
                plan_status=rules.worst(statuses),
                missing_types=missing,
                exercise_status=_exercise_status(overall, today),
                last_exercised=overall.last_exercised_on if overall else None,
                last_exercise_id=overall.last_exercise_id if overall else None,
                overdue_types=overdue,
            )
        )
    return rows


SORT_KEYS = {
    "name": lambda r: r.municipality.name,
    "ros": lambda r: (r.ros_status != "missing", -(r.ros_age_years or 0)),
    "plan": lambda r: -rules.STATUS_RANK[PlanStatus(r.plan_status)],
    "exercise": lambda r: ["missing", "never", "overdue", "ok"].index(r.exercise_status),
    "population": lambda r: -r.municipality.population,
}


def county_rollup(user: Any) -> list[dict[str, Any]]:
    """National roll-up by county: how many municipalities have a current ROS, up-to-date plans
    and an exercised overall plan (counting only records the user may see)."""
    result = []
    municipalities = list(
        Municipality.objects.select_related("county").order_by("county__number", "name")
    )
    rows = municipality_rows(user, municipalities)
    for county in County.objects.order_by("number"):
        mine = [r for r in rows if r.municipality.county_id == county.pk]
        if not mine:
            continue
        result.append(
            {
                "county": county,
                "total": len(mine),
                "ros_ok": sum(r.ros_status == "ok" for r in mine),
                "plans_ok": sum(r.plan_status == PlanStatus.UP_TO_DATE for r in mine),
                "exercised_ok": sum(r.exercise_status == "ok" for r in mine),
            }
        )
    return result


def risk_area_rollup(user: Any) -> list[dict[str, Any]]:
    from beredskap.core.riskareas import RiskArea
    from beredskap.risk.queries import current_analyses, events

    analyses = list(current_analyses(user).values_list("risk_area", "status"))
    event_areas = list(
        events(user).filter(analysis__in=current_analyses(user)).values_list("risk_area", flat=True)
    )
    scenario_areas = list(scenarios(user).values_list("risk_area", flat=True))
    return [
        {
            "area": label,
            "code": value,
            "analyses": sum(1 for a, _s in analyses if a == value),
            "events": event_areas.count(value),
            "scenarios": scenario_areas.count(value),
        }
        for value, label in RiskArea.choices
    ]
