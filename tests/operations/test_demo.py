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


def test_the_demo_run_is_the_demo_crisis_forecast(db):
    import pytest

    pytest.importorskip("beredskap.modelling.demo")
    from beredskap.actors.demo import load_demo as actors_demo
    from beredskap.core.models import User
    from beredskap.modelling.demo import load_demo as modelling_demo
    from beredskap.operations.demo import load_demo
    from beredskap.operations.forecast import crisis_forecasts

    actors_demo()
    load_demo()
    assert "attached to" in modelling_demo()
    crisis = Crisis.objects.get()
    (attached,) = crisis.forecasts.all()
    (forecast,) = crisis_forecasts(User.objects.get(username="admin"), crisis, "H05")
    assert forecast["run_id"] == attached.run_id and forecast["alignment"] == "calendar"
