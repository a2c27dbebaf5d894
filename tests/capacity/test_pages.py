"""The capacity pages: what each shows and what it must not show."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from beredskap.capacity.interop import have
from beredskap.capacity.models import BedReport, ReserveVolunteer
from tests.capacity.helpers import make_facility, report
from tests.factories import make_user, verified_client


def _hospital(org):
    nlsh = org("Nordlandssykehuset HF")
    return make_user("sykehus", nlsh, role="reporter"), make_facility(nlsh, "NLSH Bodø")


def test_a_hospital_reporter_submits_the_fast_form(org):
    reporter, facility = _hospital(org)
    client = verified_client(reporter)
    form = client.get("/kapasitet/senger/rapport/").content.decode()
    assert "NLSH Bodø" in form and "Intensiv med respirator" in form
    moment = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "facility": facility.pk,
        "reported_at": moment,
        "ventilators_total": 10,
        "ventilators_in_use": 3,
        "ecmo_total": 1,
        "ecmo_in_use": 0,
        "icu_vent__staffed": 9,
        "icu_vent__occupied": 7,
        "icu_vent__available": 2,
    }
    response = client.post("/kapasitet/senger/rapport/", data, follow=True)
    assert (
        response.status_code == 200
        and "Rapporten for NLSH Bodø er lagret" in response.content.decode()
    )
    assert BedReport.objects.get().counts.get().staffed == 9
    bad = client.post(
        "/kapasitet/senger/rapport/",
        data | {"icu_vent__occupied": 12, "reported_at": moment[:-1] + "0"},
    )
    assert bad.status_code == 400 and "forsterket drift" in bad.content.decode()


def test_the_form_offers_only_facilities_the_user_reports_for(org):
    _reporter, _facility = _hospital(org)
    make_facility(org("Oslo universitetssykehus HF"), "Rikshospitalet")
    page = (
        verified_client(make_user("ous", org("Oslo universitetssykehus HF"), role="reporter"))
        .get("/kapasitet/senger/rapport/")
        .content.decode()
    )
    assert "Rikshospitalet" in page and "NLSH Bodø" not in page


def test_the_regional_picture_flags_stale_and_missing_reports(org):
    reporter, facility = _hospital(org)
    make_facility(org("Nordlandssykehuset HF"), "NLSH Lofoten")
    report(reporter, facility, hours_ago=30)
    client = verified_client(make_user("les", org("FHI")))
    page = client.get("/kapasitet/senger/?region=H05").content.decode()
    assert "NLSH Bodø" in page and "Utdatert" in page and "Mangler rapport" in page
    assert "2 enheter har utdatert" in page
    south = client.get("/kapasitet/senger/?region=H12").content.decode()
    assert "NLSH Bodø" not in south


def test_the_picture_page_uses_a_bounded_number_of_queries(org):
    reporter, facility = _hospital(org)
    for hours in (1, 30, 50):
        report(reporter, facility, hours_ago=hours)
    for n in range(5):
        report(reporter, make_facility(org("Nordlandssykehuset HF"), f"NLSH {n}"))
    client = verified_client(make_user("les", org("FHI")))
    with CaptureQueriesContext(connection) as ctx:
        client.get("/kapasitet/senger/")
    assert len(ctx.captured_queries) <= 25


def test_an_exempt_report_is_not_shown_to_an_outsider(org):
    reporter, facility = _hospital(org)
    report(
        reporter,
        facility,
        exempt_public=True,
        exempt_legal_basis="offl. § 24 tredje ledd",
        comment="Hemmelig",
    )
    outsider = (
        verified_client(make_user("les", org("FHI")))
        .get(f"/kapasitet/senger/{facility.code}/")
        .content.decode()
    )
    assert "Ingen rapporter du har tilgang til" in outsider
    own = verified_client(reporter).get(f"/kapasitet/senger/{facility.code}/").content.decode()
    assert "Ingen rapporter du har tilgang til" not in own and "icu-history" in own


def test_uploading_a_broken_file_lists_the_problems_and_stores_nothing(org):
    reporter, facility = _hospital(org)
    original = report(reporter, facility)
    xml = have.export_reports([original])
    BedReport.objects.all().delete()
    client = verified_client(reporter)
    bad = client.post(
        "/kapasitet/senger/import/",
        {
            "fmt": "auto",
            "file": SimpleUploadedFile(
                "have.xml", xml.replace(b"<have:baselineCount>10<", b"<have:baselineCount>ti<")
            ),
        },
    )
    assert (
        bad.status_code == 400
        and "baselineCount" in bad.content.decode()
        and not BedReport.objects.exists()
    )
    good = client.post(
        "/kapasitet/senger/import/",
        {"fmt": "auto", "file": SimpleUploadedFile("have.xml", xml)},
        follow=True,
    )
    assert "1 rapport er importert" in good.content.decode() and BedReport.objects.count() == 1


def test_the_reserve_page_registers_with_consent_and_search_is_for_coordinators_only(org):
    person = make_user("pensjonist")
    client = verified_client(person)
    data = {
        "profession": "icu_nurse",
        "health_region": 1,
        "availability": "available",
        "contact_preference": "sms",
    }
    from beredskap.core.models import HealthRegion

    data["health_region"] = HealthRegion.objects.get(code="H05").pk
    refused = client.post("/kapasitet/reserve/", data)
    assert refused.status_code == 400 and not ReserveVolunteer.objects.exists()
    client.post("/kapasitet/reserve/", data | {"consent": "on"})
    assert ReserveVolunteer.objects.filter(user=person).exists()
    assert client.get("/kapasitet/reserve/sok/").status_code == 404
    coordinator = verified_client(make_user("koord", org("Helse Nord RHF"), role="reporter"))
    found = coordinator.get("/kapasitet/reserve/sok/?profession=icu_nurse").content.decode()
    assert "pensjonist" in found and "1 tilgjengelig" in found
    client.post("/kapasitet/reserve/trekk/")
    assert not ReserveVolunteer.objects.exists()


def test_the_overview_page_renders_every_section(org):
    reporter, facility = _hospital(org)
    report(reporter, facility)
    page = (
        verified_client(make_user("les", org("FHI"))).get("/kapasitet/?region=H05").content.decode()
    )
    for heading in ("Senger og intensiv", "Lagerdekning", "Blod", "Personell", "Nødvann"):
        assert heading in page
    assert "Helse Nord" in page


def test_the_start_page_shows_my_stale_facilities(org):
    reporter, facility = _hospital(org)
    report(reporter, facility, hours_ago=40)
    page = verified_client(reporter).get("/").content.decode()
    assert "Mine enheter med utdatert rapport" in page and "NLSH Bodø" in page
    other = verified_client(make_user("les", org("FHI"))).get("/").content.decode()
    assert "Mine enheter med utdatert rapport" not in other
