"""A crisis in real Chromium: declare, notify and see the acknowledgement, a municipality
reports, the picture map colours it, a request is filled from the reserve by the optimiser's
proposal, a CAP alert appears in the public feed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import confirmed_device, enter_code, log_in, submit, totp_code
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def _sign_in(page, url, user):  # type: ignore[no-untyped-def]
    device = confirmed_device(user)
    log_in(page, url, user.username)
    enter_code(page, totp_code(device))


def test_a_crisis_from_declaration_to_public_alert(live_server, new_page, org):
    from beredskap.capacity.models import ReserveVolunteer
    from beredskap.core.models import HealthRegion
    from beredskap.operations.models import Crisis

    coordinator = make_user("koord", org("HOD"), role="secretariat", clearance=1)
    fhi = make_user("fhivakt", org("FHI"), role="reporter", clearance=1)
    fhi.person.email = "fhivakt@fhi.test"  # reachable: a notification to nobody is refused
    fhi.person.save()
    reporter = make_user("bodo", org("Bodø kommune"), role="reporter", clearance=1)
    url = live_server.url

    boss = new_page()
    _sign_in(boss, url, coordinator)
    boss.goto(f"{url}/krise/ny/")
    boss.get_by_label("Navn").fill("Influensautbrudd Nordland")
    boss.get_by_label("Type hendelse").fill("Pandemi")
    boss.get_by_label("Ansvarlig departement").select_option(label="Helse- og omsorgsdepartementet")
    boss.get_by_label("Berørte fylker").select_option(label="Nordland")
    with boss.expect_navigation():
        boss.get_by_role("button", name="Opprett").click()
    assert "Influensautbrudd Nordland" in boss.locator("h1").inner_text()
    assert "ØVELSE" not in boss.locator("main").inner_text()
    crisis = Crisis.objects.get(name="Influensautbrudd Nordland")

    boss.get_by_text("Send varsel", exact=True).first.click()
    boss.get_by_label("Tittel").fill("Rådet innkalles")
    boss.get_by_label("Melding").fill("Møte kl 14")
    boss.get_by_label("Organisasjoner", exact=True).select_option(label="Folkehelseinstituttet")
    with boss.expect_navigation():
        boss.get_by_role("button", name="Send varsel").click()
    assert "0 / 1" in boss.locator("#notifications").inner_text()

    duty = new_page()
    _sign_in(duty, url, fhi)
    assert "Rådet innkalles" in duty.locator("main").inner_text()
    with duty.expect_navigation():
        duty.get_by_role("button", name="Kvitter").first.click()
    boss.reload()
    assert "1 / 1" in boss.locator("#notifications").inner_text()

    boss.locator("summary", has_text="Ny rapporteringssyklus").click()
    boss.locator("#id_cycle-name").fill("Daglig 12:00")
    boss.locator("#id_cycle-org_kinds").select_option(["municipality", "statsforvalter"])
    submit(boss, boss.get_by_role("button", name="Opprett syklus"))
    cycle = crisis.cycles.get(name="Daglig 12:00")
    boss.locator("summary", has_text="til neste frist").click()
    assert "Bodø kommune" in (boss.locator("#awaited").text_content() or "")
    town = new_page()
    _sign_in(town, url, reporter)
    town.goto(f"{url}/krise/{crisis.pk}/syklus/{cycle.pk}/")
    # an empty report cannot be delivered: no colour is preselected and nothing is stored
    town.get_by_role("button", name="Lever rapport").click()
    town.wait_for_timeout(300)
    assert not crisis.reports.exists()
    assert town.get_by_label("Status behov").input_value() == ""
    town.locator("#id_situation").fill("Mange syke i hjemmetjenesten")
    for label in ("Status situasjon", "Status konsekvenser", "Status tiltak", "Status utsikter"):
        town.get_by_label(label).select_option("yellow")
    town.get_by_label("Status behov").select_option("red")
    with town.expect_navigation():
        town.get_by_role("button", name="Lever rapport").click()
    assert "Rapporten er levert" in town.locator("main").inner_text()

    # the statsforvalter assembles the county report from her municipalities' reports
    adviser = new_page()
    _sign_in(
        adviser,
        url,
        make_user("sfno", org("Statsforvalteren i Nordland"), role="reporter", clearance=1),
    )
    adviser.goto(f"{url}/krise/{crisis.pk}/syklus/{cycle.pk}/")
    with adviser.expect_navigation():
        adviser.get_by_role("button", name="Sett sammen fylkesrapport").click()
    assert "fylkesrapport er satt sammen" in adviser.locator("main").inner_text()
    county = crisis.reports.get(kind="county")
    assert county.organisation.name == "Statsforvalteren i Nordland"
    adviser.goto(f"{url}/krise/{crisis.pk}/rapport/{county.pk}/")
    text = adviser.locator("main").inner_text()
    assert (
        "Mange syke i hjemmetjenesten" in text and "Narvik kommune" in text
    )  # Bodø's report, Narvik missing or awaited
    assert "Utkast – ikke sendt inn" in text
    with adviser.expect_navigation():
        adviser.get_by_role("button", name="Send inn fylkesrapporten").click()
    assert "Fylkesrapporten er sendt inn" in adviser.locator("main").inner_text()
    county.refresh_from_db()
    assert not county.draft

    boss.goto(f"{url}/krise/{crisis.pk}/bilde/")
    boss.wait_for_selector("#map[data-reported='1']")
    assert boss.locator("#map path.leaflet-interactive").count() > 300
    assert "Bodø kommune" in boss.locator("#latest-reports").inner_text()

    # a request is filled from the reserve registry by the optimiser's proposal
    nurse = make_user("nina")
    ReserveVolunteer.objects.create(
        user=nurse,
        profession="icu_nurse",
        willing_to_travel=True,
        health_region=HealthRegion.objects.get(code="H05"),
        consent_given_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    boss.goto(f"{url}/krise/{crisis.pk}/arbeid/")
    boss.locator("summary", has_text="Meld behov").click()
    boss.locator("#id_request-requested_by").select_option(label="Bodø kommune")
    boss.locator("#id_request-kind").select_option("personnel")
    boss.locator("#id_request-item").fill("Intensivsykepleier")
    boss.locator("#id_request-quantity").fill("1")
    boss.locator("#id_request-location").select_option(label="1804 Bodø")
    boss.locator("#id_request-deadline").fill(
        (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    with boss.expect_navigation():
        boss.get_by_role("button", name="Meld behov").click()
    assert "Forespørselen er registrert" in boss.locator("main").inner_text()
    with boss.expect_navigation():
        boss.get_by_role("button", name="Beregn fordelingsforslag (optimering)").click()
    proposal = boss.locator("section[id^=proposal-]").first
    assert "Reservepersonell: Intensivsykepleier" in proposal.inner_text()
    assert "grådig" in proposal.inner_text()
    with boss.expect_navigation():
        boss.get_by_role("button", name="Godkjenn fordeling").click()
    assert "Fordelingen er godkjent" in boss.locator("main").inner_text()
    # the nurse is asked, not deployed: nothing is «Dekket» until she accepts
    assert "Spurt, venter på svar" in boss.locator(".app-mobilisation-steps").inner_text()
    assert "Dekket" not in boss.locator("#request-rows").inner_text()
    assert "Avslutt utsendelse" not in boss.locator("#deployment-rows").inner_text()

    boss.get_by_text("Nytt offentlig varsel").click()
    boss.get_by_label("Hendelse").fill("Influensa")
    boss.get_by_label("Kommunenumre").fill("1804")
    boss.get_by_label("Overskrift (bokmål)").fill("Hold deg hjemme ved feber")
    boss.get_by_label("Beskrivelse (bokmål)").fill("Ring legevakten ved alvorlige symptomer.")
    with boss.expect_navigation():
        boss.get_by_role("button", name="Publiser varsel").click()
    assert "Varselet er publisert" in boss.locator("main").inner_text()
    feed = new_page()
    feed.goto(f"{url}/krise/cap/feed.xml")
    assert "Hold deg hjemme ved feber" in feed.content()
