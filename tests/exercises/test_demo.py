"""The demo loads plans, exercises and an evaluation with overdue actions, and is idempotent."""

from django.utils import timezone

from beredskap.exercises.models import Action, Exercise, ExercisePlan


def test_the_demo_shows_plans_exercises_and_overdue_actions_and_runs_twice(db):
    from beredskap.actors.demo import load_demo as actors_demo
    from beredskap.commitments.demo import load_demo as commitments_demo
    from beredskap.commitments.models import Commitment, StatusReport
    from beredskap.exercises.demo import load_demo

    actors_demo()
    load_demo()
    commitments_demo()
    counts = (
        ExercisePlan.objects.count(),
        Exercise.objects.count(),
        Action.objects.count(),
        Commitment.objects.count(),
        StatusReport.objects.count(),
    )
    load_demo()
    commitments_demo()
    assert (
        counts
        == (
            ExercisePlan.objects.count(),
            Exercise.objects.count(),
            Action.objects.count(),
            Commitment.objects.count(),
            StatusReport.objects.count(),
        )
        == (1, 6, 6, 114, 1)
    )
    today = timezone.localdate()
    overdue = Action.objects.filter(status__in=["open", "in_progress"], due_date__lt=today)
    assert overdue.count() == 3 and Action.objects.filter(status="done").count() == 1
    assert (
        Exercise.objects.filter(title__contains="Arctic REIHN")
        .get()
        .participants.filter(kind="nordic")
        .count()
        == 2
    )
