"""Scenarios, planning assumptions, plans, box 2.1 and reminders through the services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.exercises import services as exercise_services
from beredskap.planning import queries, services
from beredskap.planning.models import PlanningAssumption, Scenario
from beredskap.planning.seeds import load_nuclear_scenarios
from tests.factories import make_user
from tests.planning.builders import exercise_plan
from tests.risk.builders import make_analysis, make_event


@pytest.fixture
def hod(org):
    return make_user("hod", org("HOD"), role="secretariat", clearance=1)


def test_the_nuclear_seeds_are_six_placeholders_and_a_seventh_under_assessment(db):
    assert load_nuclear_scenarios() == 7
    assert load_nuclear_scenarios() == 0
    rows = Scenario.objects.filter(risk_area="nuclear").order_by("seed_key")
    assert [s.status for s in rows] == ["placeholder"] * 6 + ["under_assessment"]
    assert "atomvåpen" in rows.last().title and rows.first().owner_org.short_name == "DSA"


def test_a_scenario_is_derived_from_an_event_and_gives_epidemic_parameters(hod, org):
    analysis = make_analysis(hod, org("HOD"), classification=1)
    event = make_event(hod, analysis, title="Pandemisk influensa", risk_area="infection")
    scenario = services.derive_scenario(by=hod, event=event, owner_org=org("HOD"))
    assert list(scenario.source_events.all()) == [event] and scenario.classification == 1
    assert scenario.epidemic_parameters() is None
    services.update_scenario(
        by=hod,
        scenario=scenario,
        expected_version=scenario.version,
        has_epidemic=True,
        r0=2.5,
        latent_days=2.0,
        infectious_days=4.0,
        sim_days=200,
        ihr=0.01,
        icu_share=0.2,
        personnel_absence_share=0.15,
    )
    params = Scenario.objects.get(pk=scenario.pk).epidemic_parameters()
    assert params == {
        "r0": 2.5,
        "latent_days": 2.0,
        "infectious_days": 4.0,
        "days": 200,
        "seed_exposed": 0,
        "seed_infectious": 10,
        "seed_municipality": None,
        "ihr": 0.01,
        "icu_share": 0.2,
        "personnel_absence": 0.15,
    }


def test_an_incomplete_epidemic_part_is_refused(hod, org):
    with pytest.raises(ValidationError, match="Smittespredningsdelen mangler"):
        services.create_scenario(
            by=hod,
            owner_org=org("HOD"),
            title="X",
            risk_area="infection",
            has_epidemic=True,
            r0=2.0,
        )


@pytest.mark.parametrize(
    "field, value", [("r0", 50.0), ("personnel_absence_share", 1.5), ("icu_share", -0.1)]
)
def test_quantities_out_of_range_are_refused(hod, org, field, value):
    with pytest.raises(ValidationError):
        services.create_scenario(
            by=hod, owner_org=org("HOD"), title="X", risk_area="infection", **{field: value}
        )


def test_a_scenario_cannot_link_an_event_the_user_cannot_see(hod, org):
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter")
    hidden = make_analysis(hod, org("HOD"), classification=1)
    event = make_event(hod, hidden)
    with pytest.raises(ValidationError, match="hendelser i analyser du har tilgang til"):
        services.create_scenario(
            by=bodo,
            owner_org=org("Bodø kommune"),
            title="X",
            risk_area="water",
            source_events=[event],
        )
    assert not Scenario.objects.filter(title="X").exists()


def test_a_plan_whose_owner_does_not_exist_is_refused(hod):
    with pytest.raises(ValidationError, match="finnes ikke"):
        services.create_plan(by=hod, owner_org=None, title="Plan", plan_type="overall")


def test_a_municipal_overall_plan_not_exercised_for_two_years_is_flagged(org):
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter")
    today = timezone.localdate()
    plan = services.create_plan(
        by=bodo,
        owner_org=org("Bodø kommune"),
        title="Overordnet beredskapsplan",
        plan_type="overall",
        approved_on=today - timedelta(days=900),
        exercise_cycle_years=4,
    )
    exercise_plan(bodo, plan, today - timedelta(days=800))
    shown = queries.plans(bodo).get(pk=plan.pk)
    assert shown.effective_exercise_cycle == 2 and shown.status == "not_exercised"
    planned = exercise_plan(bodo, plan, today, conduct=False)
    assert queries.plans(bodo).get(pk=plan.pk).status == "not_exercised"  # not held yet
    exercise_services.add_objective(by=bodo, exercise=planned, text="Varsle kriseledelsen")
    exercise_services.advance_status(by=bodo, exercise=planned, to_status="prepared")
    exercise_services.advance_status(by=bodo, exercise=planned, to_status="conducted")
    shown = queries.plans(bodo).get(pk=plan.pk)
    assert shown.status == "up_to_date" and shown.last_exercise_id == planned.pk
    services.update_plan(by=bodo, plan=plan, expected_version=plan.version, title="Ny tittel")
    with pytest.raises(StaleEdit):
        services.update_plan(by=bodo, plan=plan, expected_version=1, title="Gammel")


def test_plan_dates_are_checked(org):
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter")
    with pytest.raises(ValidationError, match="fram i tid"):
        services.create_plan(
            by=bodo,
            owner_org=org("Bodø kommune"),
            title="P",
            plan_type="overall",
            approved_on=timezone.localdate() + timedelta(days=3),
        )
    with pytest.raises(ValidationError, match="før godkjenningsdatoen"):
        services.create_plan(
            by=bodo,
            owner_org=org("Bodø kommune"),
            title="P",
            plan_type="overall",
            approved_on=date(2024, 5, 1),
            last_reviewed_on=date(2024, 1, 1),
        )


def test_an_assumption_valid_until_before_valid_from_is_refused(hod, org):
    with pytest.raises(ValidationError, match="før gyldig fra"):
        services.create_assumption(
            by=hod,
            owner_org=org("HOD"),
            title="T",
            statement="S",
            level="national",
            valid_from=date(2025, 1, 1),
            valid_until=date(2024, 1, 1),
        )


def test_the_statsforvalter_publishes_a_regional_assumption_to_her_municipalities(org):
    sf = make_user("sf", org("Statsforvalteren i Nordland"), role="reporter", clearance=1)
    assumption = services.create_assumption(
        by=sf,
        owner_org=org("Statsforvalteren i Nordland"),
        title="Bortfall av ferjesamband",
        level="regional",
        statement="Kommunene må planlegge for 72 timer uten ferje.",
        valid_from=date(2025, 1, 1),
        classification=1,
        required_plan_types=["overall", "health_care"],
    )
    bodo_reader = make_user("bodo", org("Bodø kommune"), clearance=1)
    tromso_reader = make_user("tromso", org("Tromsø kommune"), clearance=1)
    assert not PlanningAssumption.objects.visible_to(bodo_reader).filter(pk=assumption.pk).exists()
    services.publish_assumption(by=sf, assumption=assumption)
    assert assumption.published_to.filter(name="Bodø kommune").exists()
    assert PlanningAssumption.objects.visible_to(bodo_reader).filter(pk=assumption.pk).exists()
    assert (
        not PlanningAssumption.objects.visible_to(tromso_reader).filter(pk=assumption.pk).exists()
    )


def test_a_national_assumption_cannot_be_published_regionally(hod, org):
    assumption = services.create_assumption(
        by=hod,
        owner_org=org("HOD"),
        title="T",
        statement="S",
        level="national",
        valid_from=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="regionale"):
        services.publish_assumption(by=hod, assumption=assumption)


def test_box_2_1_requirements_are_assessed_per_ministry(hod, org):
    row = services.assess_requirement(
        by=hod,
        owner_org=org("HOD"),
        requirement=5,
        status="met",
        evidence="Mål i tildelingsbrevet",
        evidence_url="https://example.invalid/mal",
    )
    again = services.assess_requirement(
        by=hod, owner_org=org("HOD"), requirement=5, status="partly"
    )
    assert row.pk == again.pk and again.status == "partly"
    with pytest.raises(ValidationError):
        services.assess_requirement(by=hod, owner_org=org("HOD"), requirement=11, status="met")
    with pytest.raises(PermissionDenied):
        services.assess_requirement(by=hod, owner_org=org("DSA"), requirement=1, status="met")


def test_a_reminder_goes_only_to_the_statsforvalters_own_municipalities(org):
    from beredskap.actors.models import Person

    sf = make_user("sf", org("Statsforvalteren i Nordland"), role="reporter")
    kommune = make_user("kari", org("Bodø kommune"), role="reporter")
    Person.objects.filter(user=kommune).update(email="kari@bodo.invalid")
    with pytest.raises(ValidationError, match="hører ikke"):
        services.send_reminder(
            by=sf,
            from_org=org("Statsforvalteren i Nordland"),
            to_org=org("Oslo kommune"),
            message="Hei",
        )
    with pytest.raises(PermissionDenied):
        services.send_reminder(
            by=kommune,
            from_org=org("Statsforvalteren i Nordland"),
            to_org=org("Bodø kommune"),
            message="Hei",
        )
    reminder = services.send_reminder(
        by=sf,
        from_org=org("Statsforvalteren i Nordland"),
        to_org=org("Bodø kommune"),
        message="ROS-en er forfalt.",
    )
    assert reminder.recipients == 1
