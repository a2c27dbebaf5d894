"""Exercise plan, exercises, evaluations and the closing rule through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.core.errors import PermissionDenied, StaleEdit
from beredskap.core.models import AuditEvent
from beredskap.exercises import queries, services
from beredskap.exercises.models import Action, Exercise, ExerciseStatus
from tests.exercises.builders import (
    add_point_with_action,
    conducted_with_evaluation,
    make_exercise,
    make_plan,
)
from tests.factories import make_user


@pytest.fixture
def lead(org):
    return make_user("utvalgsleder", org("Hdir"), role="reporter", clearance=1)


def test_a_plan_period_must_not_end_before_it_starts(secretariat_user, org):
    with pytest.raises(ValidationError, match="slutte før"):
        make_plan(secretariat_user, org("HOD"), period_start=2027, period_end=2025)


def test_only_the_secretariat_sets_the_multi_year_plan(lead, org):
    with pytest.raises(PermissionDenied):
        make_plan(lead, org("HOD"))


def test_an_exercise_outside_the_plan_period_is_refused(secretariat_user, org):
    plan = make_plan(secretariat_user, org("HOD"), period_start=2025, period_end=2027)
    with pytest.raises(ValidationError, match="planperioden"):
        make_exercise(
            secretariat_user, org("Hdir"), plan=plan, starts_on=timezone.datetime(2030, 3, 1).date()
        )


def test_a_reporter_of_another_organisation_cannot_register_our_exercise(org):
    outsider = make_user("kommune", org("Bodø kommune"), role="reporter")
    with pytest.raises(PermissionDenied):
        make_exercise(outsider, org("Hdir"))


def test_status_moves_one_step_forward_only(lead, org):
    exercise = make_exercise(lead, org("Hdir"))
    with pytest.raises(ValidationError, match="minst ett mål"):
        services.advance_status(by=lead, exercise=exercise, to_status="prepared")
    services.add_objective(by=lead, exercise=exercise, text="Etablere felles situasjonsbilde")
    with pytest.raises(ValidationError, match="ett steg"):
        services.advance_status(by=lead, exercise=exercise, to_status="conducted")
    services.advance_status(by=lead, exercise=exercise, to_status="prepared")
    assert Exercise.objects.get(pk=exercise.pk).status == ExerciseStatus.PREPARED


def test_an_action_without_responsible_organisation_is_refused(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    point = services.add_learning_point(by=lead, evaluation=evaluation, title="Varsling")
    with pytest.raises(ValidationError, match="ansvarlig organisasjon"):
        services.add_action(
            by=lead,
            learning_point=point,
            title="Ny liste",
            responsible_org=None,
            due_date=timezone.localdate(),
        )


def test_a_due_date_before_the_exercise_is_refused(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    before = evaluation.exercise.starts_on - timedelta(days=1)
    with pytest.raises(ValidationError, match="før øvelsen"):
        add_point_with_action(lead, evaluation, org("Hdir"), due=before)
    assert not Action.objects.exists()


def test_closing_is_refused_while_an_action_is_open_and_allowed_when_all_are_resolved(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    done = add_point_with_action(lead, evaluation, org("Hdir"), title="Oppdater liste")
    dropped = add_point_with_action(lead, evaluation, org("FHI"), title="Nytt sambandsutstyr")
    with pytest.raises(ValidationError, match="2 tiltak"):
        services.close_evaluation(by=lead, evaluation=evaluation)
    with pytest.raises(ValidationError, match="Dokumenter"):
        services.update_action(by=lead, action=done, expected_version=done.version, status="done")
    services.update_action(
        by=lead,
        action=done,
        expected_version=done.version,
        evidence="Ny liste i CIM",
        status="done",
    )
    with pytest.raises(ValidationError, match="1 tiltak.*Nytt sambandsutstyr"):
        services.close_evaluation(by=lead, evaluation=evaluation)
    with pytest.raises(ValidationError, match="begrunnelse"):
        services.accept_not_done(by=lead, action=dropped, reason="  ")
    services.accept_not_done(by=lead, action=dropped, reason="Dekkes av nasjonal anskaffelse")
    services.close_evaluation(by=lead, evaluation=evaluation)
    exercise = Exercise.objects.get(pk=evaluation.exercise_id)
    assert exercise.status == ExerciseStatus.CLOSED and exercise.closed_by == lead
    assert Action.objects.get(pk=dropped.pk).accepted_by == lead


def test_a_closed_evaluation_takes_no_new_learning_points(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    services.close_evaluation(by=lead, evaluation=evaluation)
    with pytest.raises(ValidationError, match="lukket"):
        services.add_learning_point(by=lead, evaluation=evaluation, title="For sent")


def test_the_responsible_organisation_reports_its_action_but_cannot_accept_dropping_it(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    action = add_point_with_action(lead, evaluation, org("FHI"))
    fhi = make_user("fhi", org("FHI"), role="reporter")
    services.update_action(
        by=fhi, action=action, expected_version=action.version, status="in_progress"
    )
    with pytest.raises(PermissionDenied):
        services.accept_not_done(by=fhi, action=action, reason="Ikke vårt ansvar")


def test_a_stale_action_update_is_refused(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    action = add_point_with_action(lead, evaluation, org("Hdir"))
    services.update_action(
        by=lead, action=Action.objects.get(pk=action.pk), expected_version=1, contact="Kari"
    )
    with pytest.raises(StaleEdit):
        services.update_action(
            by=lead, action=Action.objects.get(pk=action.pk), expected_version=1, contact="Per"
        )


def test_every_change_is_audited_with_the_actor(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    add_point_with_action(lead, evaluation, org("Hdir"))
    events = AuditEvent.objects.filter(model="exercises.action", action="create")
    assert events.count() == 1 and events.get().actor == lead


def test_an_incident_is_evaluated_the_same_way(lead, org):
    evaluation = services.create_incident_evaluation(
        by=lead,
        title="Løsepengevirus ved HF",
        owner_org=org("Hdir"),
        occurred_on=timezone.localdate(),
    )
    assert evaluation.exercise.is_incident and evaluation.exercise.source_crisis_id is None
    with pytest.raises(ValidationError, match="Ukjent krise"):  # an id that exists nowhere
        services.create_incident_evaluation(
            by=lead,
            title="Y",
            owner_org=org("Hdir"),
            occurred_on=timezone.localdate(),
            source_crisis_id=17,
        )
    assert evaluation.exercise.status == ExerciseStatus.CONDUCTED
    with pytest.raises(ValidationError, match="fram i tid"):
        services.create_incident_evaluation(
            by=lead,
            title="X",
            owner_org=org("Hdir"),
            occurred_on=timezone.localdate() + timedelta(days=1),
        )


def test_overdue_actions_are_counted_by_organisation_age_and_risk_area(lead, org, secretariat_user):
    evaluation = conducted_with_evaluation(lead, org("Hdir"), risk_area="digital_security")
    today = timezone.localdate()
    add_point_with_action(lead, evaluation, org("FHI"), due=today - timedelta(days=10), title="A")
    add_point_with_action(lead, evaluation, org("FHI"), due=today - timedelta(days=45), title="B")
    add_point_with_action(lead, evaluation, org("Hdir"), due=today + timedelta(days=5), title="C")
    summary = queries.follow_up_summary(secretariat_user)
    assert summary["total"] == 2 and summary["open_total"] == 3
    assert summary["by_org"] == [("Folkehelseinstituttet", 2)]
    assert dict(summary["by_age"]) == {"0-30": 1, "31-90": 1, "91-180": 0, "180+": 0}
    assert summary["by_area"] == [("digital_security", 2)]


def test_learning_points_of_a_restricted_exercise_are_hidden_from_outsiders_until_shared(lead, org):
    evaluation = conducted_with_evaluation(lead, org("Hdir"), classification=1)
    point = services.add_learning_point(by=lead, evaluation=evaluation, title="Gradert læring")
    cleared = make_user("dsb", org("DSB"), clearance=1)
    uncleared = make_user("dsb2", org("DSB"), clearance=0)
    assert not queries.learning_points(cleared).exists()
    services.share_learning_point(by=lead, learning_point=point, organisations=[org("DSB")])
    assert list(queries.learning_points(cleared)) == [point]
    assert not queries.learning_points(uncleared).exists()


def test_the_trend_counts_an_action_as_overdue_only_until_it_was_resolved(
    lead, org, secretariat_user
):
    from datetime import date

    from beredskap.exercises.models import Action

    evaluation = conducted_with_evaluation(lead, org("Hdir"), starts_on=date(2025, 1, 10))
    action = add_point_with_action(lead, evaluation, org("Hdir"), due=date(2025, 2, 1))
    Action.objects.filter(pk=action.pk).update(status="done", resolved_on=date(2025, 4, 15))
    Action.objects.filter(pk=action.pk).update(
        created_at=timezone.make_aware(timezone.datetime(2025, 1, 20))
    )
    trend = dict(queries.overdue_trend(secretariat_user, months=6, today=date(2025, 6, 10)))
    assert trend[date(2025, 1, 31)] == 0
    assert trend[date(2025, 2, 28)] == 1 and trend[date(2025, 3, 31)] == 1
    assert trend[date(2025, 4, 30)] == 0 and trend[date(2025, 6, 10)] == 0
