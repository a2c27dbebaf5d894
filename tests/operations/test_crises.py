"""Crises, levels, exercise mode, activation, liaisons and crisis roles."""

import pytest
from django.core.exceptions import ValidationError

from beredskap.actors.models import Body, BodyState
from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.operations import queries
from beredskap.operations.models import CrisisLogEntry, CrisisRoleAssignment
from beredskap.operations.services import activation, crises
from tests.factories import make_user


def test_a_coordinator_declares_a_crisis_that_defaults_to_begrenset_and_is_logged(crisis):
    assert crisis.classification == 1 and crisis.level == "crisis"
    entry = CrisisLogEntry.objects.get(crisis=crisis)
    assert "Krise erklært" in entry.text and entry.by.username == "koordinator"


def test_a_reader_may_not_declare_a_crisis(org):
    reader = make_user("les", org("FHI"))
    with pytest.raises(PermissionDenied):
        crises.declare_crisis(
            by=reader,
            name="X",
            risk_area="infection",
            crisis_type="Pandemi",
            owner_org=org("FHI"),
            lead_ministry=org("HOD"),
        )


def test_the_lead_ministry_must_be_a_ministry(coordinator, org):
    with pytest.raises(ValidationError):
        crises.declare_crisis(
            by=coordinator,
            name="X",
            risk_area="infection",
            crisis_type="Pandemi",
            owner_org=org("HOD"),
            lead_ministry=org("FHI"),
        )


def test_a_level_change_logs_who_and_why_and_refuses_a_stale_version(crisis, coordinator):
    crises.change_level(
        by=coordinator,
        crisis=crisis,
        expected_version=crisis.version,
        level="war",
        reason="Sikkerhetspolitisk krise",
    )
    entry = CrisisLogEntry.objects.filter(crisis=crisis, kind="level").get()
    assert (
        "Krise" in entry.text and "Krig" in entry.text and "Sikkerhetspolitisk krise" in entry.text
    )
    assert entry.by == coordinator
    with pytest.raises(StaleEdit):
        crises.change_level(
            by=coordinator, crisis=crisis, expected_version=1, phase="recovery", reason="x"
        )


def test_a_level_change_without_reason_is_refused(crisis, coordinator):
    with pytest.raises(ValidationError):
        crises.change_level(
            by=coordinator, crisis=crisis, expected_version=crisis.version, level="war", reason=" "
        )


def test_a_correction_keeps_the_original_log_entry(crisis, coordinator):
    entry = crises.add_log_entry(by=coordinator, crisis=crisis, text="Møte kl 10")
    fixed = crises.correct_log_entry(by=coordinator, entry=entry, text="Møte kl 11")
    entry.refresh_from_db()
    assert (
        entry.text == "Møte kl 10"
        and fixed.corrects == entry
        and fixed.occurred_at == entry.occurred_at
    )


def test_an_outsider_does_not_see_a_begrenset_crisis_and_a_cleared_member_does(crisis, org):
    outsider = make_user("ute", org("Oslo kommune"), clearance=1)
    hod_uncleared = make_user("ugradert", org("HOD"), clearance=0)
    hdir = make_user("hdir", org("Hdir"), clearance=1)
    assert not queries.crises(outsider).exists()
    assert not queries.crises(hod_uncleared).exists()
    assert queries.crises(hdir).exists() is False  # Hdir is below HOD, not above it
    assert queries.crises(make_user("hod2", org("HOD"), clearance=1)).exists()


def test_activating_the_council_sets_its_state_and_logs_it(crisis, coordinator):
    council = Body.objects.get(slug="helseberedskapsradet")
    activation.activate_body(by=coordinator, crisis=crisis, body=council, reason="Pandemi")
    council.refresh_from_db()
    assert council.state == BodyState.ACTIVATED
    with pytest.raises(ValidationError):
        activation.activate_body(by=coordinator, crisis=crisis, body=council, reason="igjen")


def test_an_exercise_activation_leaves_the_real_body_state_alone(make_crisis, coordinator):
    exercise = make_crisis("Øvelse Pandemi", exercise=True)
    council = Body.objects.get(slug="helseberedskapsradet")
    activation.activate_body(by=coordinator, crisis=exercise, body=council, reason="Øvelse")
    council.refresh_from_db()
    assert council.state != BodyState.ACTIVATED


def test_the_expert_group_is_composed_by_competence_and_reports_to_the_council(
    crisis, coordinator, org
):
    group = Body.objects.get(slug="ekspertutvalg-helsekriser")
    act = activation.activate_body(
        by=coordinator, crisis=crisis, body=group, reason="Råd om tiltak"
    )
    assert act.reports_to.slug == "helseberedskapsradet"
    activation.add_expert(by=coordinator, activation=act, name="Kari Jus", competence="law")
    activation.add_expert(
        by=coordinator,
        activation=act,
        name="Ola Modell",
        competence="modelling",
        subgroup="Smittespredning",
        organisation=org("FHI"),
    )
    assert sorted(act.experts.values_list("competence", flat=True)) == ["law", "modelling"]
    with pytest.raises(ValidationError):
        activation.add_expert(by=coordinator, activation=act, name="X", competence="astrology")
    with pytest.raises(ValidationError):
        activation.add_expert(
            by=coordinator, activation=act, name="X", competence="ethics", subgroup="Y"
        )


def test_a_role_hand_over_ends_the_previous_holder_and_is_logged(crisis, coordinator, org):
    a, b = make_user("anne", org("HOD")), make_user("bjorn", org("HOD"))
    activation.hand_over_role(
        by=coordinator, crisis=crisis, organisation=org("HOD"), role="leader", person=a.person
    )
    activation.hand_over_role(
        by=coordinator,
        crisis=crisis,
        organisation=org("HOD"),
        role="leader",
        person=b.person,
        note="Skiftbytte",
    )
    rows = CrisisRoleAssignment.objects.filter(crisis=crisis, role="leader").order_by("started_at")
    assert rows[0].ended_at is not None and rows[1].ended_at is None and rows[1].person == b.person
    assert CrisisLogEntry.objects.filter(
        crisis=crisis, kind="role", text__contains="overlevert fra Anne til Bjorn"
    )


def test_a_liaison_is_recorded_in_the_secretariat(crisis, coordinator, org):
    secretariat = Body.objects.get(slug="helseberedskapssekretariatet")
    liaison = activation.add_liaison(
        by=coordinator, crisis=crisis, organisation=org("FHI"), name="Lise", placed_in=secretariat
    )
    assert liaison.placed_in == secretariat
    assert CrisisLogEntry.objects.filter(crisis=crisis, kind="liaison").exists()


def test_a_closed_crisis_refuses_changes(crisis, coordinator):
    crises.close_crisis(
        by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Over"
    )
    with pytest.raises(ValidationError):
        crises.change_level(
            by=coordinator,
            crisis=crisis,
            expected_version=crisis.version,
            level="normal",
            reason="x",
        )
