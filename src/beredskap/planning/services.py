"""Every write to planning goes through here: permission, validation with a clear reason,
one audited transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beredskap.actors.models import Organisation, OrganisationKind
from beredskap.core.audit import acting_as
from beredskap.core.errors import PermissionDenied
from beredskap.core.grants import grant_access
from beredskap.core.holding import default_level, refuse_above_clearance
from beredskap.core.models import County
from beredskap.planning.models import (
    AssumptionLevel,
    Plan,
    PlanningAssumption,
    RequirementAssessment,
    RequirementStatus,
    Scenario,
)
from beredskap.planning.rules import PlanType
from beredskap.risk import permissions
from beredskap.risk.models import RosAnalysis, UndesiredEvent

SCENARIO_FIELDS = {
    "title",
    "risk_area",
    "status",
    "narrative",
    "assumptions",
    "duration_days",
    "geography",
    "affected_functions",
    "patients_total",
    "hospital_admissions",
    "icu_beds_peak",
    "personnel_absence_share",
    "stock_consumption_factor",
    "water_affected_persons",
    "water_outage_days",
    "has_epidemic",
    "r0",
    "latent_days",
    "infectious_days",
    "sim_days",
    "seed_exposed",
    "seed_infectious",
    "seed_municipality",
    "ihr",
    "icu_share",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
}
ASSUMPTION_FIELDS = {
    "title",
    "statement",
    "level",
    "scope",
    "source_scenario",
    "valid_from",
    "valid_until",
    "required_plan_types",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
}
PLAN_FIELDS = {
    "title",
    "plan_type",
    "version_label",
    "approved_on",
    "last_reviewed_on",
    "review_cycle_years",
    "exercise_cycle_years",
    "attachment_ref",
    "classification",
    "exempt_public",
    "exempt_legal_basis",
}


def _refuse_unknown(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Ukjente felt: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _require_owner(owner_org: Any) -> None:
    if owner_org is None or not isinstance(owner_org, Organisation) or owner_org.pk is None:
        raise ValidationError({"owner_org": _("Eierorganisasjonen finnes ikke.")})


def visible_events(by: Any, events: Iterable[Any]) -> list[UndesiredEvent]:
    """Refuse links to events in analyses the user cannot see (no leak through a link)."""
    ids = {e.pk if isinstance(e, UndesiredEvent) else int(e) for e in events}
    found = list(
        UndesiredEvent.objects.filter(pk__in=ids, analysis__in=RosAnalysis.objects.visible_to(by))
    )
    if len(found) != len(ids):
        raise ValidationError(
            {
                "source_events": _(
                    "Du kan bare knytte scenarioet til hendelser i analyser du har tilgang til."
                )
            }
        )
    return found


def _visible(by: Any, model: Any, items: Iterable[Any], field: str, label: str) -> list[Any]:
    ids = {i.pk if isinstance(i, model) else int(i) for i in items}
    found = list(model.objects.visible_to(by).filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({field: _("Ukjent eller utilgjengelig %(l)s.") % {"l": label}})
    return found


def validate_scenario(scenario: Scenario) -> None:
    if scenario.has_epidemic:
        missing = [
            str(Scenario._meta.get_field(n).verbose_name)
            for n in Scenario.EPIDEMIC_REQUIRED
            if getattr(scenario, n) is None
        ]
        if missing:
            raise ValidationError(
                {"r0": _("Smittespredningsdelen mangler: %(f)s.") % {"f": ", ".join(missing)}}
            )
        if (scenario.seed_exposed or 0) + (scenario.seed_infectious or 0) == 0:
            raise ValidationError({"seed_infectious": _("Minst én smittet person ved start.")})
    scenario.full_clean(exclude=["seed_key"])


def create_scenario(
    *,
    by: Any,
    owner_org: Any,
    source_events: Iterable[Any] = (),
    counties: Iterable[Any] = (),
    **fields: Any,
) -> Scenario:
    """A new scenario, linked to the events it is derived from."""
    _require_owner(owner_org)
    permissions.require_create(by, owner_org)
    _refuse_unknown(fields, SCENARIO_FIELDS)
    events = visible_events(by, source_events)
    fields.setdefault("classification", default_level(by, Scenario))
    scenario = Scenario(owner_org=owner_org, **fields)
    validate_scenario(scenario)
    refuse_above_clearance(by, scenario.classification)
    with acting_as(by), transaction.atomic():
        scenario.save()
        scenario.source_events.set(events)
        scenario.counties.set(list(counties))
    return scenario


def update_scenario(
    *,
    by: Any,
    scenario: Scenario,
    expected_version: int,
    source_events: Iterable[Any] | None = None,
    counties: Iterable[County] | None = None,
    **changes: Any,
) -> Scenario:
    permissions.require_edit(by, scenario)
    _refuse_unknown(changes, SCENARIO_FIELDS)
    events = visible_events(by, source_events) if source_events is not None else None
    for key, value in changes.items():
        setattr(scenario, key, value)
    validate_scenario(scenario)
    refuse_above_clearance(by, scenario.classification)
    with acting_as(by), transaction.atomic():
        scenario.version = expected_version
        scenario.save()
        if events is not None:
            hidden = list(
                scenario.source_events.exclude(analysis__in=RosAnalysis.objects.visible_to(by))
            )
            scenario.source_events.set(events + hidden)
        if counties is not None:
            scenario.counties.set(list(counties))
    return scenario


def derive_scenario(*, by: Any, event: UndesiredEvent, owner_org: Any) -> Scenario:
    """Start a draft scenario from an undesired event."""
    return create_scenario(
        by=by,
        owner_org=owner_org,
        source_events=[event],
        title=event.title,
        risk_area=event.risk_area,
        narrative=event.description,
        classification=event.analysis.classification,
        exempt_public=event.analysis.exempt_public,
        exempt_legal_basis=event.analysis.exempt_legal_basis,
    )


def validate_assumption(assumption: PlanningAssumption) -> None:
    if assumption.valid_until and assumption.valid_until < assumption.valid_from:
        raise ValidationError({"valid_until": _("Gyldig til kan ikke være før gyldig fra.")})
    bad = [t for t in assumption.required_plan_types or [] if t not in PlanType.values]
    if bad:
        raise ValidationError(
            {"required_plan_types": _("Ukjent plantype: %(t)s") % {"t": ", ".join(map(str, bad))}}
        )
    assumption.full_clean()


def create_assumption(*, by: Any, owner_org: Any, **fields: Any) -> PlanningAssumption:
    _require_owner(owner_org)
    permissions.require_create(by, owner_org)
    _refuse_unknown(fields, ASSUMPTION_FIELDS)
    if fields.get("source_scenario") is not None:
        _visible(by, Scenario, [fields["source_scenario"]], "source_scenario", _("scenario"))
    fields.setdefault("classification", default_level(by, PlanningAssumption))
    assumption = PlanningAssumption(owner_org=owner_org, **fields)
    validate_assumption(assumption)
    refuse_above_clearance(by, assumption.classification)
    with acting_as(by), transaction.atomic():
        assumption.save()
    return assumption


def update_assumption(
    *, by: Any, assumption: PlanningAssumption, expected_version: int, **changes: Any
) -> PlanningAssumption:
    permissions.require_edit(by, assumption)
    _refuse_unknown(changes, ASSUMPTION_FIELDS)
    if changes.get("source_scenario") is not None:
        _visible(by, Scenario, [changes["source_scenario"]], "source_scenario", _("scenario"))
    for key, value in changes.items():
        setattr(assumption, key, value)
    validate_assumption(assumption)
    refuse_above_clearance(by, assumption.classification)
    with acting_as(by), transaction.atomic():
        assumption.version = expected_version
        assumption.save()
    return assumption


def served_municipality_orgs(office: Organisation) -> Any:
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, municipality__county__in=office.served_counties.all()
    )


def publish_assumption(*, by: Any, assumption: PlanningAssumption) -> PlanningAssumption:
    """A statsforvalter publishes a regional assumption to all its municipalities; classified
    ones get an explicit access grant per municipality (need to know)."""
    office = assumption.owner_org
    if (
        office.kind != OrganisationKind.STATSFORVALTER
        or assumption.level != AssumptionLevel.REGIONAL
    ):
        raise ValidationError(
            _("Bare regionale planforutsetninger fra en statsforvalter publiseres til kommunene.")
        )
    if not permissions.writes_for(by, office):
        raise PermissionDenied(_("Du kan bare publisere for statsforvalteren du rapporterer for."))
    municipalities = list(served_municipality_orgs(office))
    with acting_as(by), transaction.atomic():
        assumption.published_at = timezone.now()
        assumption.save()
        assumption.published_to.set(municipalities)
        if assumption.classification or assumption.exempt_public:
            grant_access(
                by=by,
                record=assumption,
                organisations=municipalities,
                reason=_("Regional planforutsetning publisert av %(o)s") % {"o": office.name},
            )
    return assumption


def validate_plan(plan: Plan) -> None:
    today = timezone.localdate()
    errors = {}
    if plan.approved_on and plan.approved_on > today:
        errors["approved_on"] = _("Godkjenningsdatoen kan ikke være fram i tid.")
    if plan.last_reviewed_on and plan.last_reviewed_on > today:
        errors["last_reviewed_on"] = _("Revisjonsdatoen kan ikke være fram i tid.")
    if plan.last_reviewed_on and plan.approved_on and plan.last_reviewed_on < plan.approved_on:
        errors["last_reviewed_on"] = _("Revisjonsdatoen kan ikke være før godkjenningsdatoen.")
    if errors:
        raise ValidationError(errors)
    plan.full_clean()


def _plan_links(
    by: Any, scenarios: Iterable[Any] | None, assumptions: Iterable[Any] | None
) -> tuple[Any, Any]:
    s = (
        _visible(by, Scenario, scenarios, "scenarios", _("scenario"))
        if scenarios is not None
        else None
    )
    a = (
        _visible(by, PlanningAssumption, assumptions, "assumptions", _("planforutsetning"))
        if assumptions is not None
        else None
    )
    return s, a


def create_plan(
    *,
    by: Any,
    owner_org: Any,
    scenarios: Iterable[Any] = (),
    assumptions: Iterable[Any] = (),
    **fields: Any,
) -> Plan:
    """Register a preparedness plan; its deadlines and status are computed."""
    _require_owner(owner_org)
    permissions.require_create(by, owner_org)
    _refuse_unknown(fields, PLAN_FIELDS)
    linked_scenarios, linked_assumptions = _plan_links(by, scenarios, assumptions)
    fields.setdefault("classification", default_level(by, Plan))
    plan = Plan(owner_org=owner_org, **fields)
    validate_plan(plan)
    refuse_above_clearance(by, plan.classification)
    with acting_as(by), transaction.atomic():
        plan.save()
        plan.scenarios.set(linked_scenarios)
        plan.assumptions.set(linked_assumptions)
    return plan


def update_plan(
    *,
    by: Any,
    plan: Plan,
    expected_version: int,
    scenarios: Iterable[Any] | None = None,
    assumptions: Iterable[Any] | None = None,
    **changes: Any,
) -> Plan:
    permissions.require_edit(by, plan)
    _refuse_unknown(changes, PLAN_FIELDS)
    linked_scenarios, linked_assumptions = _plan_links(by, scenarios, assumptions)
    for key, value in changes.items():
        setattr(plan, key, value)
    validate_plan(plan)
    refuse_above_clearance(by, plan.classification)
    with acting_as(by), transaction.atomic():
        plan.version = expected_version
        plan.save()
        if linked_scenarios is not None:
            plan.scenarios.set(linked_scenarios)
        if linked_assumptions is not None:
            plan.assumptions.set(linked_assumptions)
    return plan


def assess_requirement(
    *,
    by: Any,
    owner_org: Any,
    requirement: int,
    status: str,
    evidence: str = "",
    evidence_url: str = "",
    assessed_on: Any = None,
    override_reason: str = "",
) -> RequirementAssessment:
    """Record how a ministry or agency meets one requirement of box 2.1; on a requirement the
    records show, a manual status is an override and needs a reason."""
    from beredskap.planning.checklist import derive

    _require_owner(owner_org)
    permissions.require_create(by, owner_org)
    if requirement not in range(1, 11):
        raise ValidationError({"requirement": _("Kravet må være nummer 1–10 i boks 2.1.")})
    derived = derive(by, owner_org, requirement)
    if derived is not None and status != derived.status and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _("Postene viser «%(s)s». Begrunn hvorfor statusen overstyres.")
                % {"s": RequirementStatus(derived.status).label}
            }
        )
    row = RequirementAssessment.objects.filter(owner_org=owner_org, requirement=requirement).first()
    row = row or RequirementAssessment(owner_org=owner_org, requirement=requirement)
    row.status, row.evidence, row.evidence_url = status, evidence, evidence_url
    row.override_reason = override_reason.strip() if derived is not None else ""
    row.assessed_on = assessed_on or timezone.localdate()
    row.full_clean(validate_unique=False)
    with acting_as(by), transaction.atomic():
        row.save()
    return row


def send_reminder(
    *,
    by: Any,
    from_org: Organisation,
    to_org: Organisation,
    message: str = "",
    topic: str = "",
    link: str = "",
) -> Any:
    """A statsforvalter reminds one of her municipalities (delivered by ``actors.reminders``:
    in-app, and by e-mail to its reporters after commit)."""
    from beredskap.actors import reminders

    if from_org.kind != OrganisationKind.STATSFORVALTER or not permissions.writes_for(by, from_org):
        raise PermissionDenied(_("Bare statsforvalteren kan sende påminnelser til sine kommuner."))
    if not served_municipality_orgs(from_org).filter(pk=to_org.pk).exists():
        raise ValidationError(_("Kommunen hører ikke til statsforvalterens embete."))
    if not message.strip() and not topic.strip():
        raise ValidationError({"message": _("Skriv en melding.")})
    topic = topic.strip() or _("Påminnelse om beredskapsarbeidet")
    return reminders.send_reminder(
        by=by, to_org=to_org, from_org=from_org, topic=topic, message=message, link=link
    )
