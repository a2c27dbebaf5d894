"""The demo loads an exercise crisis once and a second run changes nothing."""

from beredskap.operations.models import Crisis, PublicAlert, SituationReport


def test_the_demo_is_an_exercise_and_loads_idempotently(db):
    from beredskap.actors.demo import load_demo as actors_demo
    from beredskap.operations.demo import load_demo

    actors_demo()
    load_demo()
    load_demo()
    crisis = Crisis.objects.get()
    assert crisis.is_exercise and crisis.reports.filter(kind="county").count() == 1
    assert (
        SituationReport.objects.filter(crisis=crisis, organisation__kind="municipality").count()
        == 12
    )
    assert PublicAlert.objects.get().status == "Exercise"
    own = SituationReport.objects.filter(crisis=crisis, kind="organisation")
    assert own.count() == 15 and not any(
        r.is_late for r in own
    )  # they read as arrived before the deadline
