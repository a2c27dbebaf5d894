"""HTML pages: list, new run, detail with progress and results, exports, comparison."""

from __future__ import annotations

import io

import pytest

from beredskap.modelling.models import RunStatus, SimulationRun
from tests.factories import verified_client


@pytest.fixture
def client_of():  # type: ignore[no-untyped-def]
    return verified_client


def test_list_shows_visible_runs_with_search_and_status_filter(
    make_run, analyst, outsider, client_of
):
    make_run(title="Pandemi Oslo")
    hidden = make_run(title="Hemmelig variant", classification=1)
    make_run(title="Influensa vest")
    page = client_of(outsider).get("/modellering/").content.decode()
    assert "Pandemi Oslo" in page and "Influensa vest" in page and hidden.title not in page
    found = client_of(analyst).get("/modellering/?q=oslo").content.decode()
    assert "Pandemi Oslo" in found and "Influensa vest" not in found
    none = client_of(analyst).get("/modellering/?status=running").content.decode()
    assert "Pandemi Oslo" not in none and "Ingen simuleringer" in none


def form_data(org, **kw):  # type: ignore[no-untyped-def]
    data = {
        "title": "Ny pandemi",
        "owner_org": org.pk,
        "classification": 0,
        "r0": 2.2,
        "latent_days": 3,
        "infectious_days": 5,
        "days": 40,
        "members": 8,
        "seed": 2,
        "seed_municipality": "4601",
        "seed_exposed": 50,
        "seed_infectious": 50,
        "interventions": "10 30 40",
        "ihr": 0.01,
        "icu_share": 0.15,
        "hospital_los_days": 6,
        "icu_los_days": 10,
        "capacity_source": "default",
    }
    return {**data, **kw}


def test_new_run_form_starts_a_run_and_redirects_to_its_page(analyst, org, client_of):
    response = client_of(analyst).post("/modellering/ny/", form_data(org("FHI")))
    run = SimulationRun.objects.get(title="Ny pandemi")
    assert response.status_code == 302 and response["Location"] == f"/modellering/{run.pk}/"
    assert run.parameters["interventions"] == [
        {"start_day": 10, "end_day": 30, "reduction": 0.4, "municipalities": None}
    ]
    assert run.parameters["seed_municipality"] == "4601" and run.status == RunStatus.DONE


def test_new_run_form_shows_norwegian_errors_and_keeps_nothing(analyst, org, client_of):
    c = client_of(analyst)
    bad = c.post("/modellering/ny/", form_data(org("FHI"), interventions="tretti til nitti"))
    assert bad.status_code == 400 and "startdag sluttdag reduksjon" in bad.content.decode()
    bad = c.post(
        "/modellering/ny/", form_data(org("FHI"), seed_municipality="1151", seed_exposed=5000)
    )
    assert "Flere smittede ved start enn innbyggere" in bad.content.decode()
    bad = c.post("/modellering/ny/", form_data(org("FHI"), capacity_source="entered"))
    assert "Oppgi kapasitet" in bad.content.decode()
    assert not SimulationRun.objects.exists()


def test_readers_cannot_open_the_new_run_form(colleague, client_of):
    assert client_of(colleague).get("/modellering/ny/").status_code == 404
    assert "Ny simulering</a>" not in client_of(colleague).get("/modellering/").content.decode()


def test_rerun_prefills_the_form_from_an_earlier_run(make_run, analyst, client_of):
    run = make_run(
        parameters={"interventions": [{"start_day": 5, "end_day": 20, "reduction": 0.25}]}
    )
    page = client_of(analyst).get(f"/modellering/ny/?fra={run.pk}").content.decode()
    assert "5 20 25" in page and run.title in page


def test_scenario_prefill_degrades_gracefully_without_planning(analyst, client_of):
    page = client_of(analyst).get("/modellering/ny/?scenario=12345").content.decode()
    assert "Scenarioet finnes ikke" in page


def test_detail_shows_fan_charts_bottlenecks_map_and_exports(make_run, analyst, client_of):
    run = make_run()
    page = client_of(analyst).get(f"/modellering/{run.pk}/").content.decode()
    for text in (
        "Helse Sør-Øst",
        "Helse Nord",
        'data-group="Helse Vest"',
        "app-bottlenecks",
        "run-map",
        "eksport.csv",
        "eksport.xlsx",
        "Andel smittet",
    ):
        assert text in page
    assert "hx-trigger" not in page  # finished: no polling
    assert "Avbryt simuleringen" not in page


def test_detail_of_an_active_run_polls_and_offers_cancel_to_the_owner_only(
    make_run, analyst, colleague, client_of
):
    run = make_run()
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=42)
    page = client_of(analyst).get(f"/modellering/{run.pk}/").content.decode()
    assert (
        'hx-trigger="every 1s"' in page and 'value="42"' in page and "Avbryt simuleringen" in page
    )
    assert (
        "Avbryt simuleringen"
        not in client_of(colleague).get(f"/modellering/{run.pk}/").content.decode()
    )
    fragment = client_of(analyst).get(
        f"/modellering/{run.pk}/status/?poll=1", HTTP_HX_REQUEST="true"
    )
    assert 'value="42"' in fragment.content.decode() and "HX-Refresh" not in fragment
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, progress=100)
    done = client_of(analyst).get(f"/modellering/{run.pk}/status/?poll=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_cancel_and_delete_through_the_pages(make_run, analyst, client_of):
    run = make_run()
    SimulationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    c = client_of(analyst)
    assert c.post(f"/modellering/{run.pk}/slett/").status_code == 302
    assert SimulationRun.objects.filter(pk=run.pk).exists()
    c.post(f"/modellering/{run.pk}/avbryt/")
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    c.post(f"/modellering/{run.pk}/slett/")
    assert not SimulationRun.objects.filter(pk=run.pk).exists()


def test_outsider_sees_404_for_a_restricted_run_and_its_data(make_run, outsider, client_of):
    run = make_run(classification=1)
    c = client_of(outsider)
    for url in ("", "status/", "diagram.json", "kart.json", "eksport.csv"):
        assert c.get(f"/modellering/{run.pk}/{url}").status_code == 404
    assert c.post(f"/modellering/{run.pk}/avbryt/").status_code == 404


def test_chart_and_map_json(make_run, analyst, client_of):
    run = make_run()
    c = client_of(analyst)
    chart = c.get(f"/modellering/{run.pk}/diagram.json").json()
    assert len(chart["dates"]) == 60 and len(chart["groups"]) == 4
    group = chart["groups"][0]
    assert set(group) >= {"name", "p05", "p50", "p95", "capacity"} and len(group["p50"]) == 60
    assert c.get(f"/modellering/{run.pk}/diagram.json?level=nowhere").status_code == 400
    values = c.get(f"/modellering/{run.pk}/kart.json").json()["values"]
    assert len(values) == 357 and 0 <= values["0301"]["attack_rate"] <= 1
    geo = c.get("/modellering/kommuner.geojson")
    assert geo.status_code == 200 and b"FeatureCollection" in b"".join(geo.streaming_content)


def test_csv_and_xlsx_exports_of_quantiles(make_run, analyst, client_of):
    from openpyxl import load_workbook

    run = make_run()
    c = client_of(analyst)
    text = c.get(f"/modellering/{run.pk}/eksport.csv?series=icu&level=rhf").content.decode()
    lines = text.strip().splitlines()
    assert lines[0].split(";") == [
        "område",
        "dato",
        "dag",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
        "kapasitet",
    ]
    assert len(lines) == 1 + 4 * 60
    xlsx = c.get(f"/modellering/{run.pk}/eksport.xlsx?series=infections&level=kommune")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + 357 * 60 and sheet.cell(2, 1).value.startswith("0301")
    assert c.get(f"/modellering/{run.pk}/eksport.csv?series=icu&level=kommune").status_code == 400
    assert c.get(f"/modellering/{run.pk}/eksport.pdf").status_code == 404


def test_compare_two_runs_side_by_side(make_run, analyst, outsider, client_of):
    a = make_run(title="Uten tiltak")
    b = make_run(
        title="Med tiltak",
        parameters={"interventions": [{"start_day": 0, "end_day": 60, "reduction": 0.5}]},
    )
    hidden = make_run(title="Skjult", classification=1)
    page = (
        client_of(analyst).get(f"/modellering/sammenlign/?runs={a.pk}&runs={b.pk}").content.decode()
    )
    assert "Uten tiltak" in page and "Med tiltak" in page and "compare-data" in page
    outsider_page = (
        client_of(outsider)
        .get(f"/modellering/sammenlign/?runs={a.pk}&runs={hidden.pk}")
        .content.decode()
    )
    assert "Skjult" not in outsider_page and "Velg minst to" in outsider_page
