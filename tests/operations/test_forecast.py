"""The crisis forecast is what the staff attached: an analyst's new run changes nothing until then;
exercise and real runs do not mix; the fan starts at today's reported beds and is compared with
the free beds; who may not see the run learns only that it exists; detaching keeps the history."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from beredskap.operations.forecast import crisis_forecasts
from beredskap.operations.models import CrisisForecast
from beredskap.operations.services.forecasts import attach_forecast, detach_forecast
from tests.capacity.helpers import icu_counts, make_facility, report
from tests.factories import make_user, verified_client

pytest.importorskip("beredskap.modelling.forecast")

SMALL_RUN = {
    "r0": 2.5,
    "days": 60,
    "members": 6,
    "seed": 5,
    "seed_municipality": "1804",
    "seed_exposed": 200,
    "seed_infectious": 200,
    "capacity_source": "default",
}


@pytest.fixture
def analyst(org):  # type: ignore[no-untyped-def]
    return make_user("analytiker", org("FHI"), role="reporter", clearance=2)


@pytest.fixture
def make_run(analyst, org):  # type: ignore[no-untyped-def]
    from beredskap.modelling import services

    def make(title: str = "Pandemi – prognose", **extra):  # type: ignore[no-untyped-def]
        run = services.create_run(
            by=analyst,
            owner_org=org("FHI"),
            title=title,
            parameters={**SMALL_RUN, **extra.pop("parameters", {})},
            classification=extra.pop("classification", 0),
            **extra,
        )
        run.refresh_from_db()
        assert run.status == "done", run.status
        return run

    return make


@pytest.fixture
def north_beds(org):  # type: ignore[no-untyped-def]
    """Helse Nord reports 104 of 132 staffed ICU beds in use."""
    north = org("Nordlandssykehuset HF")
    report(
        make_user("nlsh", north, role="reporter", clearance=1),
        make_facility(north),
        counts=icu_counts(staffed=132, occupied=104, available=28),
    )


def _forecast_section(client, crisis, query: str = "?region=H05") -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/krise/{crisis.pk}/bilde/innhold/{query}").content.decode()
    return page.split('id="forecasts"')[1].split("</section>")[0]


def test_a_new_run_changes_nothing_until_the_staff_attach_it(
    crisis, coordinator, make_run, north_beds
):
    client = verified_client(coordinator)
    run = make_run()
    section = _forecast_section(client, crisis)
    assert "Ingen prognose er knyttet til krisen" in section and f"forecast-{run.pk}" not in section
    attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="FHIs hovedscenario")
    newer = make_run(title="Analytikerens testkjøring")
    section = _forecast_section(client, crisis)
    assert f'id="forecast-{run.pk}"' in section and f"forecast-{newer.pk}" not in section
    assert "FHIs hovedscenario" in section and "Analytikerens testkjøring" not in section


def test_the_icu_forecast_starts_at_todays_reported_occupancy_against_free_beds(
    crisis, coordinator, make_run, north_beds
):
    run = make_run()
    attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="Hovedscenario")
    (forecast,) = crisis_forecasts(coordinator, crisis, "H05")
    (north,) = forecast["regions"]
    icu = north["icu"]
    assert icu["occupied"] == 104 and icu["staffed"] == 132 and icu["free"] == 28
    assert icu["series"]["p05"][0] == icu["series"]["p95"][0] == 104
    assert "ward" not in [b["kind"] for b in north["beds"]]  # no ward beds reported
    chart = json.loads(north["icu_chart"])
    assert chart["p50"][0] == 104 and chart["capacity"] == 132
    assert len(chart["dates"]) == len(chart["p95"])
    row = _forecast_section(verified_client(coordinator), crisis).split('data-kind="icu"')[1]
    row = row.split("</tr>")[0]
    assert "<td data-now>104</td>" in row and "<td data-free>28</td>" in row and "132" in row


def test_the_national_view_has_every_region_and_the_country(
    crisis, coordinator, make_run, north_beds
):
    attach_forecast(by=coordinator, crisis=crisis, run_id=make_run().pk, reason="Hovedscenario")
    (forecast,) = crisis_forecasts(coordinator, crisis, None)
    codes = [r["code"] for r in forecast["regions"]]
    assert codes[-1] == "national" and "H05" in codes
    national = forecast["regions"][-1]["icu"]
    assert national["occupied"] == 104 and national["series"]["p50"][0] == 104


def test_a_likely_exceedance_is_a_bottleneck_with_its_probability_and_date(
    crisis, coordinator, make_run, org
):
    north = org("Nordlandssykehuset HF")
    report(
        make_user("nlsh", north, role="reporter", clearance=1),
        make_facility(north),
        counts=icu_counts(staffed=20, occupied=20, available=0),
    )
    attach_forecast(by=coordinator, crisis=crisis, run_id=make_run().pk, reason="Hovedscenario")
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/?region=H05").content
    bottlenecks = page.decode().split('id="bottlenecks"')[1].split("</ul>")[0]
    assert "over bemannet kapasitet i Helse Nord" in bottlenecks
    assert "20 av 20 plasser er i bruk nå, 0 ledige" in bottlenecks


def test_no_bottleneck_is_claimed_without_an_attached_forecast(crisis, coordinator, make_run):
    make_run()
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/").content.decode()
    assert "Prognosen (kjøring" not in page


def test_an_exercise_takes_only_exercise_runs_and_a_real_crisis_only_real_ones(
    make_crisis, coordinator, make_run
):
    real, drill = make_crisis(), make_crisis("Øvelse Pandemi", exercise=True)
    real_run, drill_run = make_run(), make_run(title="Øvelseskjøring", is_exercise=True)
    with pytest.raises(ValidationError, match="øvelseskjøring"):
        attach_forecast(by=coordinator, crisis=real, run_id=drill_run.pk, reason="x")
    with pytest.raises(ValidationError, match="øvelseskjøringer"):
        attach_forecast(by=coordinator, crisis=drill, run_id=real_run.pk, reason="x")
    attach_forecast(by=coordinator, crisis=drill, run_id=drill_run.pk, reason="Øvelse")
    attach_forecast(by=coordinator, crisis=real, run_id=real_run.pk, reason="Reell")
    assert list(real.forecasts.values_list("run_id", flat=True)) == [real_run.pk]
    page = verified_client(coordinator).get(f"/krise/{real.pk}/prognose/").content.decode()
    form = page.split('id="attach-form"')[1] if 'id="attach-form"' in page else ""
    assert "Øvelseskjøring" not in form


def test_a_run_of_another_risk_area_is_refused(crisis, coordinator, make_run):
    water = make_run(title="Vannforsyning", risk_area="water")
    with pytest.raises(ValidationError, match="risikoområde"):
        attach_forecast(by=coordinator, crisis=crisis, run_id=water.pk, reason="Feil område")
    assert not crisis.forecasts.exists()


def test_only_coordinators_attach_and_only_with_a_reason(crisis, coordinator, make_run, org):
    run = make_run(title="Kjøring")
    reader = make_user("leser", org("Bodø kommune"), role="reporter", clearance=1)
    with pytest.raises(PermissionDenied):
        attach_forecast(by=reader, crisis=crisis, run_id=run.pk, reason="Vil gjerne")
    with pytest.raises(ValidationError, match="hvorfor"):
        attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="  ")
    attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="Hovedscenario")
    with pytest.raises(ValidationError, match="allerede"):
        attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="Igjen")
    with pytest.raises(ValidationError, match="tilgang"):
        attach_forecast(by=coordinator, crisis=crisis, run_id=10**9, reason="Ukjent")


def test_a_viewer_not_cleared_for_the_run_sees_that_it_exists_not_its_content(
    crisis, coordinator, make_run, north_beds, org
):
    chief = make_user("sjef", org("HOD"), role="secretariat", clearance=2)
    secret = make_run(title="Hemmelig scenario", classification=2)
    attach_forecast(by=chief, crisis=crisis, run_id=secret.pk, reason="Gradert grunnlag")
    section = _forecast_section(verified_client(coordinator), crisis)
    assert f"En prognose (kjøring {secret.pk}) er knyttet til krisen" in section
    assert "Hemmelig scenario" not in section and "Gradert grunnlag" not in section
    assert "data-now" not in section
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/prognose/").content.decode()
    assert "du har ikke tilgang til kjøringen" in page and "Gradert grunnlag" not in page
    assert "Hemmelig scenario" not in page
    cleared = _forecast_section(verified_client(chief), crisis)
    assert "Hemmelig scenario" in cleared and "<td data-now>104</td>" in cleared


def test_detaching_keeps_the_history_and_removes_the_forecast_from_the_picture(
    crisis, coordinator, make_run, north_beds
):
    run = make_run()
    row = attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="Hovedscenario")
    client = verified_client(coordinator)
    response = client.post(
        f"/krise/{crisis.pk}/prognose/{row.pk}/fjern/",
        {"version": row.version, "reason": "Erstattet av ny kalibrering"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.detached_at is not None and row.detached_by == coordinator
    assert "Ingen prognose er knyttet" in _forecast_section(client, crisis)
    page = client.get(f"/krise/{crisis.pk}/prognose/").content.decode()
    assert "Erstattet av ny kalibrering" in page and "Fjernet" in page and "Hovedscenario" in page
    changes = AuditEvent.objects.filter(model="operations.crisisforecast", object_id=str(row.pk))
    assert set(changes.values_list("action", flat=True)) == {"create", "update"}
    log = list(crisis.log_entries.filter(kind="forecast").values_list("text", flat=True))
    assert len(log) == 2 and "fjernet" in log[1]
    with pytest.raises(ValidationError):
        detach_forecast(by=coordinator, forecast=row, reason="igjen", expected_version=row.version)


def test_the_attach_form_keeps_what_was_typed_on_error(crisis, coordinator, make_run):
    run = make_run()
    client = verified_client(coordinator)
    response = client.post(f"/krise/{crisis.pk}/prognose/", {"run_id": run.pk, "reason": ""})
    assert response.status_code == 400 and not CrisisForecast.objects.exists()
    response = client.post(
        f"/krise/{crisis.pk}/prognose/", {"run_id": run.pk, "reason": "Hovedscenario"}
    )
    assert response.status_code == 302
    assert CrisisForecast.objects.get().reason == "Hovedscenario"


def test_the_briefing_carries_the_fan_from_today(crisis, coordinator, make_run, north_beds):
    from tests.commitments.pdftext import pdf_text

    run = make_run()
    attach_forecast(by=coordinator, crisis=crisis, run_id=run.pk, reason="Hovedscenario")
    text = pdf_text(verified_client(coordinator).get(f"/krise/{crisis.pk}/brifing.pdf").content)
    assert f"Kjøring {run.pk} (Pandemi" in text and "Prognose fra i dag" in text
    assert "Helse Nord, intensiv: nå 104 av 132 bemannede (28 ledige)" in text
    assert "over bemannet kapasitet: sannsynlighet" in text


def _api(user):  # type: ignore[no-untyped-def]
    import json

    from tests.factories import token_for

    client, headers = verified_client(user), token_for(user)

    def call(method: str, path: str, data: dict | None = None):  # type: ignore[no-untyped-def]
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, data or {}, **headers)
        return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)

    return call


def test_the_api_attaches_lists_forecasts_from_today_and_detaches(
    crisis, coordinator, make_run, north_beds, org
):
    run = make_run()
    api, cid = _api(coordinator), crisis.pk
    refused = api("post", f"/crises/{cid}/forecasts", {"run_id": 10**9, "reason": "Ukjent"})
    assert refused.status_code == 400 and not crisis.forecasts.exists()
    made = api("post", f"/crises/{cid}/forecasts", {"run_id": run.pk, "reason": "Hovedscenario"})
    assert made.status_code == 201 and made.json()["current"] and made.json()["run_visible"]
    fans = api("get", f"/crises/{cid}/forecasts/from-today", {"region": "H05"}).json()
    assert fans[0]["regions"][0]["icu"]["series"]["p50"][0] == 104
    picture = api("get", f"/crises/{cid}/picture").json()
    national = [r for r in picture["forecasts"][0]["regions"] if r["code"] == "national"]
    assert national[0]["icu"]["occupied"] == 104
    stale = api(
        "post", f"/crises/{cid}/forecasts/{made.json()['id']}/detach", {"reason": "x", "version": 9}
    )
    assert stale.status_code == 409
    gone = api(
        "post",
        f"/crises/{cid}/forecasts/{made.json()['id']}/detach",
        {"reason": "Erstattet", "version": made.json()["version"]},
    )
    assert gone.status_code == 200 and gone.json()["current"] is False
    listed = api("get", f"/crises/{cid}/forecasts").json()
    assert [(r["run_id"], r["current"], r["detach_reason"]) for r in listed] == [
        (run.pk, False, "Erstattet")
    ]
    assert api("get", f"/crises/{cid}/forecasts/from-today").json() == []
    outsider = make_user("utenfor", org("Oslo kommune"), role="reporter", clearance=2)
    assert _api(outsider)("get", f"/crises/{cid}/forecasts").status_code == 404


def test_a_region_without_bed_reports_says_the_forecast_cannot_start_from_today(
    crisis, coordinator, make_run
):
    attach_forecast(by=coordinator, crisis=crisis, run_id=make_run().pk, reason="Hovedscenario")
    section = _forecast_section(verified_client(coordinator), crisis)
    assert "Ingen sengerapport du har tilgang til" in section and "data-now" not in section
