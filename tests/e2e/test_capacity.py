"""Capacity in real Chromium: a hospital reporter submits the fast form, the regional
picture updates and flags a stale facility, a coordinator finds ICU nurses in Helse Nord,
and the overview shows stock coverage against six months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import h1, log_in
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_reporter_submits_and_the_regional_picture_updates(live_server, page, org):
    from beredskap.capacity.models import BedCount, BedReport, Facility

    nlsh = org("Nordlandssykehuset HF")
    make_user("rita", nlsh, role="reporter")
    Facility.objects.create(name="NLSH Bodø", code="nlsh-bodo", kind="hospital", organisation=nlsh)
    lofoten = Facility.objects.create(
        name="NLSH Lofoten", code="nlsh-lofoten", kind="hospital", organisation=nlsh
    )
    old = BedReport.objects.create(
        facility=lofoten, owner_org=nlsh, reported_at=timezone.now() - timedelta(days=2)
    )
    BedCount.objects.create(report=old, category="icu_vent", staffed=4, occupied=2, available=2)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    log_in(page, live_server.url, "rita")
    page.goto(f"{live_server.url}/kapasitet/senger/rapport/")
    assert h1(page) == "Rapporter sengekapasitet"
    page.get_by_label("Enhet").select_option(label="NLSH Bodø")
    page.get_by_label("Intensiv med respirator – bemannet").fill("10")
    page.get_by_label("Intensiv med respirator – belagt").fill("12")
    page.get_by_label("Intensiv med respirator – ledig").fill("0")
    page.get_by_role("button", name="Send rapport").click()
    assert "Marker forsterket drift" in page.locator("main").inner_text()
    page.get_by_label("Intensiv med respirator – belagt").fill("7")
    page.get_by_label("Intensiv med respirator – ledig").fill("3")
    page.get_by_role("button", name="Send rapport").click()
    assert "Rapporten for NLSH Bodø er lagret" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/kapasitet/senger/?region=H05")
    totals = page.locator("#bed-totals").inner_text()
    assert "14" in totals  # 10 + 4 staffed ICU beds
    lines = page.locator("#facility-lines").inner_text()
    assert "NLSH Bodø" in lines and "NLSH Lofoten" in lines and "Utdatert" in lines
    assert page.locator("#icu-chart").is_visible()
    lofoten_line = page.locator("#facility-lines tr", has_text="NLSH Lofoten")
    assert "Utdatert" in lofoten_line.inner_text()

    # The same reporter sends Lofoten's figures as an EDXL-HAVE 2.0 file through the upload page.
    page.goto(f"{live_server.url}/kapasitet/senger/import/")
    page.get_by_label("Fil").set_input_files(
        files=[
            {
                "name": "lofoten.xml",
                "mimeType": "application/xml",
                "buffer": _have_message(lofoten, nlsh),
            }
        ]
    )
    page.get_by_role("button", name="Importer").click()
    assert "1 rapport er importert" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/kapasitet/senger/?region=H05")
    assert (
        "Utdatert" not in page.locator("#facility-lines tr", has_text="NLSH Lofoten").inner_text()
    )
    assert "19" in page.locator("#bed-totals").inner_text()  # 10 staffed in Bodø + 9 from the file
    assert not [e for e in errors if "Content Security Policy" in e], errors


def _have_message(facility, organisation) -> bytes:  # type: ignore[no-untyped-def]
    """An EDXL-HAVE 2.0 message for `facility` (made by our exporter from a throw-away report)."""
    from beredskap.capacity.interop import have
    from beredskap.capacity.models import BedCount, BedReport

    draft = BedReport.objects.create(
        facility=facility, owner_org=organisation, reported_at=timezone.now()
    )
    BedCount.objects.create(report=draft, category="icu_vent", staffed=9, occupied=5, available=4)
    xml = have.export_reports([BedReport.objects.prefetch_related("counts").get(pk=draft.pk)])
    draft.delete()
    return xml


def test_coordinator_finds_icu_nurses_and_overview_shows_stock_against_six_months(
    live_server, page, org
):
    from beredskap.capacity.models import (
        ConsumptionRate,
        Product,
        ReserveVolunteer,
        StockLocation,
        StockMovement,
    )
    from beredskap.core.models import HealthRegion

    north = HealthRegion.objects.get(code="H05")
    volunteer = make_user("nina")
    volunteer.first_name, volunteer.last_name = "Nina", "Nordmann"
    volunteer.save()
    ReserveVolunteer.objects.create(
        user=volunteer,
        profession="icu_nurse",
        health_region=north,
        consent_given_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    southerner = make_user("sara")
    ReserveVolunteer.objects.create(
        user=southerner,
        profession="icu_nurse",
        health_region=HealthRegion.objects.get(code="H12"),
        consent_given_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    rhf = org("Helse Nord RHF")
    make_user("koord", rhf, role="reporter")
    location = StockLocation.objects.create(
        name="Helse Nord lager", kind="national", owner_org=rhf, health_region=north
    )
    masks = Product.objects.create(name="FFP2-maske", kind="ppe", category="respirator")
    StockMovement.objects.create(
        location=location,
        product=masks,
        kind="receipt",
        quantity=4000,
        lot="A",
        expires_on=date.today() + timedelta(days=300),
        at=timezone.now(),
    )
    ConsumptionRate.objects.create(location=location, product=masks, monthly_quantity=1000)

    log_in(page, live_server.url, "koord")
    page.goto(f"{live_server.url}/kapasitet/reserve/sok/")
    page.get_by_label("Yrke").select_option(label="Intensivsykepleier")
    page.get_by_role("button", name="Søk").click()
    results = page.locator("#reserve-results").inner_text()
    assert "Nina Nordmann" in results and "sara" not in results

    page.goto(f"{live_server.url}/kapasitet/?region=H05")
    coverage = page.locator("#coverage").inner_text()
    assert (
        "FFP2-maske" in coverage
        and "4.0" in coverage.replace(",", ".")
        and "Under krav" in coverage
    )


def test_a_partial_bed_report_does_not_lower_the_national_totals(live_server, page, org):
    from beredskap.capacity.models import BedCount, BedReport, Facility

    nlsh = org("Nordlandssykehuset HF")
    make_user("rolf", nlsh, role="reporter")
    bodo = Facility.objects.create(
        name="NLSH Bodø", code="nlsh-bodo", kind="hospital", organisation=nlsh
    )
    earlier = BedReport.objects.create(
        facility=bodo, owner_org=nlsh, reported_at=timezone.now() - timedelta(hours=3)
    )
    BedCount.objects.create(
        report=earlier, category="icu_vent", staffed=10, occupied=6, available=4
    )
    BedCount.objects.create(
        report=earlier, category="ward", staffed=200, occupied=150, available=50
    )

    log_in(page, live_server.url, "rolf")
    page.goto(f"{live_server.url}/kapasitet/senger/rapport/")
    page.get_by_label("Enhet").select_option(label="NLSH Bodø")
    page.get_by_label("Intensiv med respirator – bemannet").fill("10")
    page.get_by_label("Intensiv med respirator – belagt").fill("8")
    page.get_by_label("Intensiv med respirator – ledig").fill("2")
    page.get_by_label("Sengepost (somatikk) – bemannet").fill("190")  # half a row: refused
    page.get_by_role("button", name="Send rapport").click()
    assert "fyll ut bemannet, belagt og ledig" in page.locator("main").inner_text()
    assert page.get_by_label("Intensiv med respirator – belagt").input_value() == "8"
    page.get_by_label("Sengepost (somatikk) – bemannet").fill("")
    page.get_by_role("button", name="Send rapport").click()
    assert "Rapporten for NLSH Bodø er lagret" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/kapasitet/senger/")
    ward = page.locator("#bed-totals tr", has_text="Sengepost").inner_text()
    assert "200" in ward and "150" in ward, "the ward figures are kept, not zeroed"
    assert "tall fra eldre rapport" in ward
