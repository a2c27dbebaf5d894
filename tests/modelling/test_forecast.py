"""A finished run's forecast from today: anchored at the reported beds, read only by those who
may see the run, exercise runs marked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from beredskap.modelling.forecast import attachable_runs, forecast_from_today, run_summary
from beredskap.modelling.models import RunStatus, SimulationResult, SimulationRun
from beredskap.modelling.results import pack, unpack
from tests.factories import verified_client

STATE = {
    "H05": {"icu": {"occupied": 104, "staffed": 132}, "ward": {"occupied": 800, "staffed": 900}},
    "national": {"icu": {"occupied": 300, "staffed": 400}},
}


@pytest.fixture
def started_run(make_run):  # type: ignore[no-untyped-def]
    start = timezone.localdate() - dt.timedelta(days=20)
    return make_run(parameters={"start_date": start.isoformat()})


def test_every_region_starts_at_the_reported_beds_and_is_compared_with_free_capacity(
    started_run, analyst
):
    forecast = forecast_from_today(analyst, started_run.pk, STATE, timezone.localdate())
    assert forecast["visible"] and forecast["usable"] and forecast["members"] == 8
    assert forecast["alignment"] == "calendar" and forecast["run_day"] == 20
    assert forecast["dates"][0] == timezone.localdate().isoformat()
    assert len(forecast["dates"]) == 29 and forecast["checkpoint_days"] == [7, 14, 21, 28]
    north, national = forecast["regions"]
    assert (north["code"], north["name"], national["code"]) == ("H05", "Helse Nord", "national")
    icu = north["icu"]
    assert {icu["series"][k][0] for k in ("p05", "p25", "p50", "p75", "p95")} == {104}
    assert icu["staffed"] == 132 and icu["free"] == 28 and 0 <= icu["probability"] <= 1
    assert north["ward"]["series"]["p50"][0] == 800 and north["ward"]["free"] == 100
    assert national["icu"]["series"]["p50"][0] == 300 and national["ward"] is None
    assert [b["kind"] for b in north["beds"]] == ["icu", "ward"]


def test_a_region_already_full_is_over_capacity_today(started_run, analyst):
    state = {"H03": {"icu": {"occupied": 50, "staffed": 40}}}
    icu = forecast_from_today(analyst, started_run.pk, state, timezone.localdate())["regions"][0][
        "icu"
    ]
    assert icu["probability"] == 1.0 and icu["first_date"] == timezone.localdate().isoformat()
    assert icu["free"] == -10


def test_someone_who_may_not_see_the_run_learns_only_that_it_exists(make_run, outsider):
    run = make_run(classification=1)
    forecast = forecast_from_today(outsider, run.pk, STATE, timezone.localdate())
    assert forecast == {"run_id": run.pk, "visible": False}
    assert run_summary(outsider, run.pk) is None


def test_a_run_stored_without_members_says_it_cannot_forecast(started_run, analyst):
    row = SimulationResult.objects.get(run=started_run)
    arrays = {k: v for k, v in unpack(row.data).items() if not k.endswith("_members")}
    SimulationResult.objects.filter(pk=row.pk).update(data=pack(arrays))
    forecast = forecast_from_today(analyst, started_run.pk, STATE, timezone.localdate())
    assert forecast["visible"] and forecast["usable"] is False and "regions" not in forecast


def test_today_outside_the_run_starts_from_its_first_day(make_run, analyst):
    run = make_run(parameters={"start_date": "2020-01-01"})
    forecast = forecast_from_today(analyst, run.pk, STATE, timezone.localdate())
    assert forecast["alignment"] == "run_start" and forecast["run_day"] == 0


def test_an_observed_admissions_series_sets_which_day_is_today(started_run, analyst, org):
    pytest.importorskip("beredskap.surveillance.services")
    from beredskap.modelling.forecast import ADMISSIONS_INDICATOR
    from beredskap.surveillance.models import Indicator, Observation, Series

    indicator = Indicator.objects.create(key=ADMISSIONS_INDICATOR, name="Sykehusinnleggelser")
    series = Series.objects.create(
        indicator=indicator,
        area_level="health_region",
        area_code="H05",
        area_name="Helse Nord",
        owner_org=org("FHI"),
        classification=0,
    )
    today = timezone.localdate()
    Observation.objects.create(
        series=series,
        period=today - dt.timedelta(days=today.weekday() + 7),
        value=0,
        known_from=timezone.now(),
        source="test",
    )
    forecast = forecast_from_today(analyst, started_run.pk, STATE, today)
    assert forecast["alignment"] == "observed" and forecast["run_day"] == 0  # no admissions yet


def test_only_finished_runs_of_the_same_kind_can_be_attached(make_run, analyst):
    real = make_run(title="Reell")
    exercise = make_run(title="Øvelse", is_exercise=True)
    water = make_run(title="Vann", risk_area="water")
    cancelled = make_run(title="Avbrutt")
    SimulationRun.objects.filter(pk=cancelled.pk).update(status=RunStatus.CANCELLED)
    found = attachable_runs(analyst, risk_area="infection", is_exercise=False)
    assert [r["id"] for r in found] == [real.pk]
    found = attachable_runs(analyst, risk_area="infection", is_exercise=True)
    assert [r["id"] for r in found] == [exercise.pk]
    assert run_summary(analyst, water.pk)["risk_area"] == "water"
    assert run_summary(analyst, exercise.pk)["is_exercise"] is True


def test_the_run_form_marks_an_exercise_run(analyst, org):
    client = verified_client(analyst)
    data = {
        "title": "Øvelseskjøring",
        "owner_org": org("FHI").pk,
        "classification": 0,
        "is_exercise": "on",
        "r0": 2.0,
        "latent_days": 3,
        "infectious_days": 5,
        "days": 30,
        "members": 4,
        "seed": 1,
        "seed_exposed": 20,
        "seed_infectious": 20,
        "ihr": 0.01,
        "icu_share": 0.15,
        "hospital_los_days": 6,
        "icu_los_days": 10,
        "capacity_source": "default",
    }
    response = client.post("/modellering/ny/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = SimulationRun.objects.get(title="Øvelseskjøring")
    assert run.is_exercise
    page = client.get(f"/modellering/{run.pk}/").content.decode()
    assert 'id="run-exercise"' in page
