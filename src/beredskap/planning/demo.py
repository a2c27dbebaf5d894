"""Demo data for planning (idempotent): the seeded nuclear scenarios, scenarios derived from
the sector ROS, national and regional planning assumptions, plan records for every
municipality in Nordland with a mix of up-to-date, overdue and missing, and box 2.1 for HOD."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from beredskap.actors.models import Organisation
from beredskap.core.audit import acting_as
from beredskap.core.classification import Classification
from beredskap.core.models import County, Municipality, User
from beredskap.planning import services
from beredskap.planning.models import Plan, PlanningAssumption, RequirementAssessment, Scenario
from beredskap.planning.rules import PlanType
from beredskap.planning.seeds import load_nuclear_scenarios
from beredskap.risk.models import UndesiredEvent

SCENARIOS = [
    (
        "Pandemisk influensa",
        {
            "narrative": (
                "Et nytt influensavirus sprer seg raskt fra utlandet. Smittetoppen nås etter ti "
                "uker."
            ),
            "duration_days": 240,
            "geography": "Hele landet",
            "affected_functions": "Sykehus, kommunehelsetjeneste, legemiddelforsyning",
            "hospital_admissions": 22000,
            "icu_beds_peak": 420,
            "personnel_absence_share": 0.15,
            "stock_consumption_factor": 6.0,
            "has_epidemic": True,
            "r0": 1.6,
            "latent_days": 2.0,
            "infectious_days": 3.5,
            "sim_days": 240,
            "seed_infectious": 20,
            "ihr": 0.012,
            "icu_share": 0.18,
            "classification": Classification.UGRADERT,
        },
    ),
    (
        "Askøy-type forurensning av drikkevann",
        {
            "narrative": (
                "Bakterier fra et høydebasseng forurenser drikkevannet i en kommune med 30 000 "
                "innbyggere."
            ),
            "duration_days": 21,
            "geography": "Én kommune",
            "patients_total": 2000,
            "hospital_admissions": 76,
            "water_affected_persons": 18000,
            "water_outage_days": 14,
            "classification": Classification.UGRADERT,
        },
    ),
    (
        "Løsepengevirus mot et regionalt helseforetak",
        {
            "narrative": (
                "Journal- og laboratoriesystemer krypteres; sykehusene går over til manuelle "
                "rutiner."
            ),
            "duration_days": 21,
            "geography": "Én helseregion",
            "affected_functions": "Journal, lab, røntgen, AMK",
        },
    ),
    (
        "Kollaps i markedet for smittevernutstyr",
        {
            "narrative": (
                "Global etterspørsel gjør at leveranser av smittevernutstyr stanser i tre måneder."
            ),
            "duration_days": 90,
            "stock_consumption_factor": 8.0,
        },
    ),
    (
        "Atomulykke på reaktordrevet fartøy langs kysten",
        {
            "narrative": "Utslipp fra et reaktordrevet fartøy utenfor Nordland-kysten.",
            "duration_days": 30,
            "geography": "Nordland og Troms",
            "patients_total": 300,
        },
    ),
    (
        "Masseskadehendelse ved væpnet angrep",
        {
            "narrative": (
                "Væpnet angrep gir mange skadde over kort tid, samtidig som Forsvaret trenger "
                "helseressurser."
            ),
            "duration_days": 60,
            "patients_total": 2000,
            "hospital_admissions": 900,
            "icu_beds_peak": 150,
            "personnel_absence_share": 0.1,
        },
    ),
]


def _scenarios(by: User) -> dict[str, Scenario]:
    hod = Organisation.objects.get(short_name="HOD")
    found = {}
    for title, given in SCENARIOS:
        fields: dict[str, Any] = dict(given)
        existing = Scenario.objects.filter(title=title, owner_org=hod).first()
        if existing:
            found[title] = existing
            continue
        fields = {"classification": Classification.BEGRENSET, **fields}
        events = UndesiredEvent.objects.filter(title=title, analysis__scope="sector")
        area = events.first().risk_area if events.exists() else "general"
        found[title] = services.create_scenario(
            by=by,
            owner_org=hod,
            title=title,
            risk_area=area,
            status="approved",
            source_events=list(events),
            **fields,
        )
    return found


def _assumptions(
    by: User, sf_user: User, scenarios: dict[str, Scenario]
) -> list[PlanningAssumption]:
    hod = Organisation.objects.get(short_name="HOD")
    today = timezone.localdate()
    rows = [
        (
            "Fravær blant helsepersonell",
            "Planlegg for at 15–20 % av helsepersonellet er borte i åtte uker.",
            "Pandemisk influensa",
            ["overall", "health_care", "infection"],
        ),
        (
            "Nødvann i fjorten dager",
            "Vannverk og kommuner planlegger for nødvann til sårbare grupper i 14 dager.",
            "Askøy-type forurensning av drikkevann",
            ["emergency_water", "health_care"],
        ),
        (
            "Manuelle rutiner i tre uker",
            "Sykehus planlegger for drift uten sentrale IKT-systemer i tre uker.",
            "Løsepengevirus mot et regionalt helseforetak",
            ["ict_continuity"],
        ),
    ]
    made = []
    for title, statement, scenario, types in rows:
        made.append(
            PlanningAssumption.objects.filter(title=title).first()
            or services.create_assumption(
                by=by,
                owner_org=hod,
                title=title,
                statement=statement,
                level="national",
                scope="Hele sektoren",
                source_scenario=scenarios.get(scenario),
                valid_from=today - timedelta(days=120),
                valid_until=today + timedelta(days=365 * 4),
                required_plan_types=types,
            )
        )
    office = Organisation.objects.get(name="Statsforvalteren i Nordland")
    regional = PlanningAssumption.objects.filter(
        title="Isolasjon ved bortfall av ferje og vei"
    ).first()
    if regional is None:
        regional = services.create_assumption(
            by=sf_user,
            owner_org=office,
            title="Isolasjon ved bortfall av ferje og vei",
            level="regional",
            statement=(
                "Kommuner i Nordland planlegger for 72 timer uten ferje- eller veiforbindelse."
            ),
            scope="Kommunene i Nordland",
            valid_from=today - timedelta(days=60),
            required_plan_types=["overall"],
        )
        services.publish_assumption(by=sf_user, assumption=regional)
    return [*made, regional]


def _plans(admin: User, assumptions: list[PlanningAssumption]) -> int:
    """Overall, health and care, and infection control plans for Nordland: mostly up to date,
    some not exercised, some overdue for review, some missing."""
    today = timezone.localdate()
    created = 0
    for m in Municipality.objects.filter(county__name="Nordland").order_by("number"):
        org = Organisation.objects.filter(municipality=m).first()
        if org is None or Plan.objects.filter(owner_org=org).exists():
            continue
        bucket = int(m.number) % 6
        for kind in (PlanType.OVERALL, PlanType.HEALTH_CARE, PlanType.INFECTION):
            if bucket == 5 and kind == PlanType.HEALTH_CARE and m.number != "1804":
                continue  # missing
            approved = today - timedelta(
                days=365 * 5 if bucket == 4 and kind == PlanType.INFECTION else 400
            )
            exercised = today - timedelta(
                days=1000 if bucket in (2, 3) and kind == PlanType.OVERALL else 200
            )
            if m.number == "1804":
                approved = today - timedelta(days=365 * 5 if kind == PlanType.INFECTION else 400)
                exercised = today - timedelta(days=200)
            plan = Plan.objects.create(
                owner_org=org,
                title=f"{PlanType(kind).label} – {m.name}",
                plan_type=kind,
                version_label="2.0",
                approved_on=approved,
                exercise_cycle_years=2 if kind == PlanType.OVERALL else None,
            )
            if kind == PlanType.OVERALL:
                _exercised(plan, exercised)
            plan.assumptions.set([a for a in assumptions if kind in a.required_plan_types])
            created += 1
    return created


def _exercised(plan: Plan, on: Any) -> None:
    """A conducted exercise linked as testing the plan: «sist øvd» is computed from it."""
    from django.contrib.contenttypes.models import ContentType

    from beredskap.exercises.models import Exercise, ExerciseStatus, ExerciseType, RecordLink

    exercise = Exercise.objects.create(
        owner_org=plan.owner_org,
        title=f"Øvelse av overordnet beredskapsplan – {plan.owner_org.name}",
        exercise_type=ExerciseType.TABLETOP,
        starts_on=on,
        ends_on=on,
        status=ExerciseStatus.CONDUCTED,
    )
    RecordLink.objects.create(
        source_type=ContentType.objects.get_for_model(Exercise),
        source_id=exercise.pk,
        target_type=ContentType.objects.get_for_model(Plan),
        target_id=plan.pk,
        relation="tests_plan",
    )


def _requirements(by: User) -> None:
    hod = Organisation.objects.get(short_name="HOD")
    if RequirementAssessment.objects.filter(owner_org=hod).exists():
        return
    # Requirements 2, 3, 7 and 8 follow from the ROS, measures and exercises; these are not.
    for number, status, evidence in [
        (1, "met", "Nasjonal helseberedskapsplan, ny modell"),
        (5, "partly", "Mål for samfunnssikkerhet i tildelingsbrevene"),
        (6, "met", "Samordning i Helseberedskapsrådet"),
    ]:
        services.assess_requirement(
            by=by, owner_org=hod, requirement=number, status=status, evidence=evidence
        )


@transaction.atomic
def load_demo() -> str:
    by = User.objects.get(username="sekretariat")
    sf_user = User.objects.get(username="statsforvalter")
    admin = User.objects.get(username="admin")
    seeded = load_nuclear_scenarios()
    with acting_as(by):
        scenarios = _scenarios(by)
        assumptions = _assumptions(by, sf_user, scenarios)
        _requirements(by)
    with acting_as(admin):
        plans = _plans(admin, assumptions)
    nordland = County.objects.filter(name="Nordland").first()
    return (
        f"{seeded} nuclear scenarios seeded, {len(scenarios)} scenarios, {len(assumptions)} "
        f"assumptions, {plans} plans in {nordland.name if nordland else '–'}"
    )
