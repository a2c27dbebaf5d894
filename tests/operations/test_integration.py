"""Integration with the real capacity app when it is present in this branch (through its summary
module)."""

import pytest

from beredskap.operations import integrations
from tests.factories import verified_client

summary = pytest.importorskip("beredskap.capacity.summary")


def test_the_capacity_summary_is_used_and_the_picture_no_longer_says_unavailable(
    crisis, coordinator
):
    lines, available = integrations.bed_picture(coordinator)
    assert available and isinstance(lines, list)
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/").content.decode()
    assert "kapasitetstall ikke tilgjengelig" not in page
    reserve, ok = integrations.reserve_availability(coordinator)
    assert ok and all("available" in r for r in reserve)


# --- exercises: closing a crisis opens its evaluation ---------------------------------------------


def test_closing_a_real_crisis_opens_an_incident_evaluation(crisis, coordinator):
    pytest.importorskip("beredskap.exercises.services")
    from beredskap.exercises.models import Evaluation, Exercise
    from beredskap.operations.services import crises

    assert not Exercise.objects.filter(source_crisis_id=crisis.pk).exists()
    client = verified_client(coordinator)
    response = client.post(
        f"/krise/{crisis.pk}/avslutt/",
        {"version": crisis.version, "reason": "Normalisert"},
        follow=True,
    )
    crisis.refresh_from_db()
    exercise = Exercise.objects.get(source_crisis_id=crisis.pk)
    evaluation = Evaluation.objects.get(exercise=exercise)
    assert crisis.evaluation_ref == str(evaluation.pk) and not crisis.is_open
    assert (
        exercise.is_incident
        and exercise.title == crisis.name
        and exercise.risk_area == crisis.risk_area
    )
    assert (
        exercise.classification == crisis.classification and exercise.owner_org == crisis.owner_org
    )
    page = response.content.decode()
    assert f"/ovelser/{exercise.pk}/evaluering/" in page and "Gå til evalueringen" in page
    assert crisis.log_entries.filter(
        kind="evaluation", text__contains="Evaluering opprettet"
    ).exists()
    assert crises.evaluation_link(crisis) == f"/ovelser/{exercise.pk}/evaluering/"
    # the evaluation page opens for the coordinator
    evaluation_page = client.get(f"/ovelser/{exercise.pk}/evaluering/")
    assert evaluation_page.status_code == 200 and crisis.name in evaluation_page.content.decode()


def test_closing_an_exercise_crisis_opens_an_exercise_evaluation_not_an_incident(
    make_crisis, coordinator
):
    pytest.importorskip("beredskap.exercises.services")
    from beredskap.exercises.models import Evaluation, Exercise, ExerciseStatus
    from beredskap.operations.services import crises

    drill = make_crisis(name="Øvelse Nord", exercise=True)
    crises.close_crisis(
        by=coordinator, crisis=drill, expected_version=drill.version, reason="Øvelsen er slutt"
    )
    exercise = Exercise.objects.get(source_crisis_id=drill.pk)
    assert not exercise.is_incident and exercise.exercise_type == "functional"
    assert exercise.status == ExerciseStatus.CONDUCTED
    assert Evaluation.objects.filter(exercise=exercise, pk=drill.evaluation_ref).exists()


def test_when_the_evaluation_cannot_be_opened_the_crisis_still_closes_and_the_log_says_why(
    crisis, coordinator, monkeypatch
):
    pytest.importorskip("beredskap.exercises.services")
    from django.core.exceptions import ValidationError

    from beredskap.exercises import services as exercise_services
    from beredskap.exercises.models import Exercise
    from beredskap.operations.services import crises

    def refuse(**kwargs):  # type: ignore[no-untyped-def]
        Exercise.objects.create(
            owner_org=kwargs["owner_org"],
            title="halvveis",
            starts_on=kwargs["occurred_on"],
            ends_on=kwargs["occurred_on"],
            is_incident=True,
        )
        raise ValidationError("Ikke mulig nå.")

    monkeypatch.setattr(exercise_services, "create_incident_evaluation", refuse)
    crises.close_crisis(
        by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Over"
    )
    crisis.refresh_from_db()
    assert not crisis.is_open and crisis.evaluation_ref == ""
    assert crisis.log_entries.filter(kind="evaluation", text__contains="Ikke mulig nå").exists()
    assert not Exercise.objects.filter(
        title="halvveis"
    ).exists()  # the half-done part was rolled back
