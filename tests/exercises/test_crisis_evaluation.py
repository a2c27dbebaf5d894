"""Closing a crisis in operations opens its incident evaluation here, which then follows the same
closing rule as any exercise (Meld. St. 5 (2023–2024) box 2.1 point 8 and 2.2.1)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.core.models import County
from beredskap.exercises import followup, queries, services
from beredskap.exercises.models import Evaluation, Exercise, ExerciseStatus
from beredskap.operations.services.crises import close_crisis, declare_crisis, grant_participants
from tests.factories import make_user, verified_client


@pytest.fixture
def coordinator(org):
    return make_user("koordinator", org("HOD"), role="secretariat", clearance=1)


def _declare(coordinator, org, **extra):
    return declare_crisis(
        by=coordinator,
        name="Pandemisk influensa",
        risk_area="infection",
        crisis_type="Pandemi",
        owner_org=org("HOD"),
        lead_ministry=org("HOD"),
        counties=[County.objects.get(number="18")],
        **extra,
    )


def test_closing_a_crisis_opens_an_incident_evaluation_that_cannot_close_with_an_open_action(
    coordinator, org
):
    crisis = _declare(coordinator, org)
    close_crisis(
        by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Smitten er over"
    )
    crisis.refresh_from_db()
    evaluation = Evaluation.objects.get(exercise__source_crisis_id=crisis.pk)
    exercise = evaluation.exercise
    assert crisis.evaluation_ref == str(evaluation.pk)
    assert (
        exercise.is_incident
        and exercise.status == ExerciseStatus.CONDUCTED
        and exercise.title == crisis.name
    )
    assert (exercise.owner_org, exercise.risk_area, exercise.classification) == (
        org("HOD"),
        "infection",
        1,
    )

    services.add_observation(
        by=coordinator,
        evaluation=evaluation,
        kind="improvement",
        text="Varslingen til kommunene tok for lang tid",
    )
    point = services.add_learning_point(
        by=coordinator, evaluation=evaluation, title="Raskere varsling"
    )
    action = services.add_action(
        by=coordinator,
        learning_point=point,
        title="Ny varslingsrutine",
        responsible_org=org("Hdir"),
        due_date=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="kan ikke lukkes"):
        followup.close_evaluation(by=coordinator, evaluation=evaluation)
    assert not Evaluation.objects.get(pk=evaluation.pk).is_closed

    followup.update_action(
        by=coordinator,
        action=action,
        expected_version=action.version,
        evidence="Rutinen er vedtatt",
        status="done",
    )
    followup.close_evaluation(by=coordinator, evaluation=evaluation)
    assert Exercise.objects.get(pk=exercise.pk).status == ExerciseStatus.CLOSED


def test_the_evaluation_of_a_graded_crisis_is_no_more_open_than_the_crisis(coordinator, org):
    crisis = _declare(coordinator, org)
    grant_participants(
        by=coordinator, crisis=crisis, organisations=[org("Bodø kommune")], reason="Berørt kommune"
    )
    close_crisis(by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Over")
    exercise = Exercise.objects.get(source_crisis_id=crisis.pk)
    outsider = make_user("ute", org("FHI"), role="reporter", clearance=1)
    uncleared = make_user("bodo_les", org("Bodø kommune"))
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter", clearance=1)
    assert not queries.exercises(outsider).filter(pk=exercise.pk).exists()
    assert not queries.exercises(uncleared).filter(pk=exercise.pk).exists()
    assert queries.exercises(bodo).filter(pk=exercise.pk).exists()  # took part in the crisis
    page = verified_client(coordinator).get(f"/ovelser/{exercise.pk}/").content.decode()
    assert f'href="/krise/{crisis.pk}/"' in page  # the evaluation links back to its crisis
    assert "Pandemisk influensa" not in verified_client(outsider).get("/ovelser/").content.decode()


def test_a_crisis_run_as_an_exercise_is_evaluated_as_an_exercise_and_only_once(coordinator, org):
    crisis = _declare(coordinator, org, is_exercise=True)
    close_crisis(
        by=coordinator, crisis=crisis, expected_version=crisis.version, reason="Øvelsen er slutt"
    )
    exercise = Exercise.objects.get(source_crisis_id=crisis.pk)
    assert not exercise.is_incident and exercise.exercise_type == "functional"
    with pytest.raises(ValidationError, match="allerede en evaluering"):
        services.create_incident_evaluation(
            by=coordinator,
            title="Igjen",
            owner_org=org("HOD"),
            occurred_on=timezone.localdate(),
            source_crisis_id=crisis.pk,
        )
