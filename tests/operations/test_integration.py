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


# --- modelling: the picture shows the latest forecast of a real, finished simulation run ----------

SMALL_RUN = {
    "r0": 2.5,
    "days": 40,
    "members": 6,
    "seed": 5,
    "seed_municipality": "0301",
    "seed_exposed": 200,
    "seed_infectious": 200,
    "capacity_source": "default",
}


@pytest.fixture
def finished_run(org):  # type: ignore[no-untyped-def]
    pytest.importorskip("beredskap.modelling.summary")
    from beredskap.modelling import services
    from beredskap.modelling.models import RunStatus
    from tests.factories import make_user

    analyst = make_user("analytiker", org("FHI"), role="reporter", clearance=1)

    def make(risk_area: str = "infection", **extra):  # type: ignore[no-untyped-def]
        run = services.create_run(
            by=analyst,
            owner_org=org("FHI"),
            title="Pandemi – prognose",
            parameters={**SMALL_RUN, **extra.pop("parameters", {})},
            risk_area=risk_area,
            classification=0,
            **extra,
        )
        run.refresh_from_db()
        assert run.status == RunStatus.DONE, run.status  # the immediate task backend ran it
        return run

    return make


def test_picture_shows_the_forecast_of_the_latest_finished_run(crisis, coordinator, finished_run):
    from beredskap.modelling.summary import latest_forecast
    from beredskap.operations.forecast import forecast_lines

    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/innhold/").content.decode()
    assert "Prognose intensiv: ikke tilgjengelig" in " ".join(page.split())
    run = finished_run()
    lines = forecast_lines(crisis)
    raw = latest_forecast(risk_area="infection")
    assert lines["run_id"] == run.pk == raw["run_id"]
    assert lines["p50"] == raw["icu_p50"] and lines["peak_p50"] == max(raw["icu_p50"]) > 0
    assert lines["capacity"] == raw["capacity"]
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/innhold/").content.decode()
    assert f"/modellering/{run.pk}/" in page or f"{run.pk}/" in page
    assert (
        f"{lines['peak_p50']:.0f}" in page
        and "ikke tilgjengelig</li>" not in page.split('id="forecast"')[1][:400]
    )
    if lines["peak_p50"] > (lines["capacity"] or 10**9):
        assert "Prognosen viser intensivbehov over kapasitet" in page


def test_forecast_of_another_risk_area_is_not_used(crisis, finished_run):
    from beredskap.operations.forecast import forecast_lines

    finished_run(risk_area="water")
    assert forecast_lines(crisis) is None


def test_forecast_over_capacity_is_a_bottleneck():
    from beredskap.operations.picture import bottlenecks

    over = {"peak_p50": 120.0, "capacity": 100}
    assert any("over kapasitet" in b for b in bottlenecks([], [], [], 0, over))
    assert not any(
        "over kapasitet" in b
        for b in bottlenecks([], [], [], 0, {"peak_p50": 80.0, "capacity": 100})
    )
    assert not bottlenecks([], [], [], 0, {"peak_p50": 80.0, "capacity": None})


def test_briefing_pdf_carries_the_forecast(crisis, coordinator, finished_run):
    from tests.commitments.pdftext import pdf_text

    run = finished_run()
    response = verified_client(coordinator).get(f"/krise/{crisis.pk}/brifing.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert f"Prognose intensiv (kjøring {run.pk})" in text and "Nøkkeltall" in text


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


def test_the_picture_forecast_follows_the_chosen_health_region(crisis, coordinator, finished_run):
    from beredskap.operations.forecast import forecast_lines

    finished_run()
    national, north = forecast_lines(crisis), forecast_lines(crisis, health_region="H05")
    assert north["run_id"] == national["run_id"] and 0 < north["peak_p50"] < national["peak_p50"]
    page = (
        verified_client(coordinator)
        .get(f"/krise/{crisis.pk}/bilde/innhold/?region=H05")
        .content.decode()
    )
    assert f"{north['peak_p50']:.0f}" in page.split('id="forecast"')[1][:400]
