"""ROS pages: list, detail with matrices, forms, sector view, panels, import and export."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beredskap.core.models import Municipality
from beredskap.risk.models import RosAnalysis, UndesiredEvent
from tests.factories import make_user, verified_client
from tests.risk.builders import approve, make_analysis, make_event


@pytest.fixture
def writer(org):
    return make_user("skriver", org("HOD"), role="secretariat", clearance=1)


@pytest.fixture
def sector(writer, org):
    analysis = make_analysis(
        writer, org("HOD"), title="Helhetlig ROS for helsesektoren", classification=1
    )
    make_event(writer, analysis, title="Askøy-type vannforurensning", probability=3, life=4)
    make_event(
        writer, analysis, title="Pandemisk influensa", probability=2, life=5, risk_area="infection"
    )
    return analysis


def test_the_list_shows_visible_analyses_and_hides_classified_ones_from_outsiders(sector, org):
    page = (
        verified_client(make_user("innsider", org("HOD"), clearance=1))
        .get("/risiko/")
        .content.decode()
    )
    assert "Helhetlig ROS for helsesektoren" in page
    outsider = (
        verified_client(make_user("utenfor", org("Bodø kommune"), clearance=1))
        .get("/risiko/")
        .content.decode()
    )
    assert "Helhetlig ROS for helsesektoren" not in outsider and "0 analyser" in outsider
    assert (
        verified_client(make_user("ute2", org("Bodø kommune")))
        .get(f"/risiko/{sector.pk}/")
        .status_code
        == 404
    )


def test_the_list_searches_and_filters(sector, writer, org):
    make_analysis(
        writer,
        org("HOD"),
        title="ROS for forsyning",
        scope="risk_area",
        risk_area="supply_security",
    )
    client = verified_client(writer)
    page = client.get("/risiko/?q=forsyning").content.decode()
    assert "ROS for forsyning" in page and "Helhetlig ROS for helsesektoren" not in page
    page = client.get("/risiko/?scope=sector").content.decode()
    assert "ROS for forsyning" not in page and "Helhetlig ROS for helsesektoren" in page
    assert "Kommunenummer har fire sifre" in client.get("/risiko/?municipality=12").content.decode()


def test_the_detail_page_draws_one_accessible_matrix_per_consequence_type(sector, writer):
    page = verified_client(writer).get(f"/risiko/{sector.pk}/").content.decode()
    assert page.count('class="ds-table risk-matrix"') == 4
    assert "Risikomatrise – Liv og helse (2 hendelser)" in page
    assert 'scope="row"' in page and "style=" not in page
    assert "Ikke akseptabel" in page and "H1" in page


def test_the_detail_page_uses_a_bounded_number_of_queries(sector, writer):
    for n in range(8):
        make_event(writer, sector, title=f"Hendelse {n}")
    client = verified_client(writer)
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/risiko/{sector.pk}/")
    assert len(ctx.captured_queries) <= 30


def test_a_secretariat_user_creates_an_analysis_and_an_event_through_the_forms(writer, org):
    client = verified_client(writer)
    response = client.post(
        "/risiko/ny/",
        {
            "title": "Ny sektor-ROS",
            "owner_org": org("HOD").pk,
            "scope": "sector",
            "method": "ns5814",
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
            "revision_cycle_years": 4,
            "classification": 1,
        },
    )
    analysis = RosAnalysis.objects.get(title="Ny sektor-ROS")
    assert response.status_code == 302 and analysis.status == "draft"
    response = client.post(
        f"/risiko/{analysis.pk}/hendelser/ny/",
        {
            "title": "Løsepengevirus mot RHF",
            "risk_area": "digital_security",
            "nature": "unintentional",
            "probability": "4",
            "uncertainty": "medium",
            "c_stability": "4",
        },
    )
    assert response.status_code == 302
    assert UndesiredEvent.objects.get(analysis=analysis).consequence_of("stability") == 4


def test_the_event_form_refuses_a_probability_outside_its_classes(sector, writer):
    response = verified_client(writer).post(
        f"/risiko/{sector.pk}/hendelser/ny/",
        {
            "title": "X",
            "risk_area": "water",
            "nature": "unintentional",
            "probability": "7",
            "uncertainty": "low",
            "c_life_health": "3",
        },
    )
    assert response.status_code == 200 and "gyldig valg" in response.content.decode()
    assert sector.events.count() == 2


def test_the_event_form_tells_the_second_editor(sector, writer):
    event = sector.events.first()
    client = verified_client(writer)
    data = {
        "title": "Første",
        "risk_area": "water",
        "nature": "unintentional",
        "probability": "3",
        "uncertainty": "low",
        "c_life_health": "3",
        "version": event.version,
    }
    assert client.post(f"/risiko/hendelser/{event.pk}/rediger/", data).status_code == 302
    data["title"] = "Andre"
    response = client.post(f"/risiko/hendelser/{event.pk}/rediger/", data)
    assert response.status_code == 409 and "endret av noen andre" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Første"


def test_approval_through_the_page_and_the_next_revision_date(sector, writer):
    client = verified_client(writer)
    client.post(
        f"/risiko/{sector.pk}/status/",
        {"status": "approved", "approved_on": "2024-05-02", "version": sector.version},
    )
    page = client.get(f"/risiko/{sector.pk}/").content.decode()
    assert "Godkjent" in page and "2. mai 2028" in page
    assert "Ny hendelse" not in page and "Start ny revisjon" in page


def test_the_acceptance_criteria_page_refuses_a_milder_zone_for_a_worse_cell(sector, writer):
    client = verified_client(writer)
    data = {
        f"z_{p}_{c}": ("red" if p + c >= 8 else "yellow" if p + c >= 6 else "green")
        for p in range(1, 6)
        for c in range(1, 6)
    }
    data["version"] = sector.version
    data["z_5_5"] = "green"
    response = client.post(f"/risiko/{sector.pk}/akseptkriterier/", data)
    assert "stigende" in response.content.decode()
    data["z_5_5"] = "red"
    data["z_2_5"] = "red"
    assert client.post(f"/risiko/{sector.pk}/akseptkriterier/", data).status_code == 302
    sector.refresh_from_db()
    assert sector.acceptance_profile["2,5"] == "red"


def test_the_sector_view_places_events_from_all_risk_areas(sector, writer, org):
    other = make_analysis(
        writer, org("HOD"), title="ROS digital", scope="risk_area", risk_area="digital_security"
    )
    make_event(writer, other, title="Løsepengevirus", risk_area="digital_security")
    page = verified_client(writer).get("/risiko/sektor/").content.decode()
    assert (
        "Løsepengevirus" in page and "Pandemisk influensa" in page and "Digital sikkerhet" in page
    )
    filtered = verified_client(writer).get("/risiko/sektor/?risk_area=infection").content.decode()
    assert "Pandemisk influensa" in filtered and "Løsepengevirus" not in filtered
    outsider = (
        verified_client(make_user("ute", org("Bodø kommune")))
        .get("/risiko/sektor/")
        .content.decode()
    )
    assert "Pandemisk influensa" not in outsider


def test_the_risk_areas_page_names_each_committee(writer):
    page = verified_client(writer).get("/risiko/omrader/").content.decode()
    assert "Utvalg for vannforsyning" in page and "Kriseutvalget for atomberedskap" in page
    assert "Klimarelaterte hendelser" in page


def test_the_start_page_shows_my_overdue_ros(writer, org):
    analysis = make_analysis(
        writer, org("HOD"), title="Gammel ROS", scope="organisation", revision_cycle_years=1
    )
    make_event(writer, analysis)
    approve(writer, analysis, on=timezone.localdate() - timedelta(days=500))
    page = verified_client(writer).get("/").content.decode()
    assert "ROS-analyser som skal revideres" in page and "Gammel ROS" in page and "Forfalt" in page
    other = verified_client(make_user("fhi", org("FHI"))).get("/").content.decode()
    assert "Gammel ROS" not in other


def test_a_statsforvalter_sees_her_municipalities_missing_or_overdue_ros(org):
    bodo_user = make_user("bodo", org("Bodø kommune"), role="administrator")
    analysis = make_analysis(
        bodo_user,
        org("Bodø kommune"),
        title="ROS Bodø",
        scope="municipality",
        municipality=Municipality.objects.get(number="1804"),
        revision_cycle_years=1,
    )
    make_event(bodo_user, analysis)
    approve(bodo_user, analysis, on=timezone.localdate() - timedelta(days=400))
    page = (
        verified_client(make_user("sf", org("Statsforvalteren i Nordland")))
        .get("/")
        .content.decode()
    )
    panel = page.split('id="h-muni-status"')[1].split("</section>")[0]
    assert "Kommunene dine" in panel and "ROS forfalt" in panel
    assert '<a class="ds-link" href="/planverk/etterlevelse/kommune/1804/">Bodø</a>' in panel
    assert "Oslo" not in panel and "Bergen" not in panel


def test_import_is_all_or_nothing_with_every_bad_row_reported(sector, writer):
    client = verified_client(writer)
    csv_text = (
        "tittel;risikoomrade;type;sannsynlighet;liv_og_helse;stabilitet;natur_og_miljo;materielle_verdier\n"
        "Strømbrudd;climate;unintentional;D;3;4;;\n"
        "Feil klasse;water;unintentional;F;3;;;\n"
        "Ukjent område;månen;unintentional;B;2;;;\n"
    )
    upload = SimpleUploadedFile("h.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(f"/risiko/{sector.pk}/import/", {"kind": "hendelser", "file": upload})
    page = response.content.decode()
    assert (
        response.status_code == 400
        and "Linje 3" in page
        and "Linje 4" in page
        and "Linje 2:" not in page
    )
    assert sector.events.count() == 2
    good = SimpleUploadedFile(
        "h.csv", csv_text.split("Feil klasse")[0].encode(), content_type="text/csv"
    )
    response = client.post(f"/risiko/{sector.pk}/import/", {"kind": "hendelser", "file": good})
    assert response.status_code == 200 and sector.events.count() == 3


def test_measures_import_refuses_an_owner_that_does_not_exist(sector, writer):
    csv_text = (
        "hendelse_nr;tiltak;ansvarlig;frist\n1;Reservevann;Finnes ikke "
        "AS;2026-01-01\n1;Plan;Bodø kommune;2026-01-01\n"
    )
    upload = SimpleUploadedFile("t.csv", csv_text.encode(), content_type="text/csv")
    page = (
        verified_client(writer)
        .post(f"/risiko/{sector.pk}/import/", {"kind": "tiltak", "file": upload})
        .content.decode()
    )
    assert "Finnes ikke AS" in page and "finnes ikke" in page
    assert not sector.events.get(number=1).measures.exists()


def test_the_templates_download_as_xlsx_and_csv(writer):
    client = verified_client(writer)
    assert client.get("/risiko/mal/hendelser.xlsx")["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    assert "tittel;risikoomrade" in client.get("/risiko/mal/hendelser.csv").content.decode(
        "utf-8-sig"
    )


def test_export_as_xlsx_and_pdf_is_marked_and_audited(sector, writer, org):
    from openpyxl import load_workbook

    from beredskap.core.models import AuditEvent

    client = verified_client(writer)
    workbook = load_workbook(io.BytesIO(client.get(f"/risiko/{sector.pk}/eksport.xlsx").content))
    assert workbook["Analyse"]["B1"].value.startswith("BEGRENSET")
    assert [c.value for c in workbook["Hendelser"]["B"]][1:] == [
        "Askøy-type vannforurensning",
        "Pandemisk influensa",
    ]
    pdf = client.get(f"/risiko/{sector.pk}/rapport.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", model="risk.rosanalysis").count() == 2
    outsider = verified_client(make_user("ute", org("Bodø kommune"), clearance=1))
    assert outsider.get(f"/risiko/{sector.pk}/eksport.xlsx").status_code == 404


def test_a_superseded_revision_stays_readable(sector, writer):
    from beredskap.risk import services

    approve(writer, sector, on=date(2024, 1, 10))
    revision = services.start_revision(by=writer, analysis=sector)
    approve(writer, revision, on=timezone.localdate())
    page = verified_client(writer).get(f"/risiko/{sector.pk}/").content.decode()
    assert "erstattet" in page and "Gå til gjeldende revisjon" in page and "Askøy-type" in page
