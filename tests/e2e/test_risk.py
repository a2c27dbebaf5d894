"""Browser test of the main risk flow: a secretariat user builds and approves a sector ROS
and sees it in the sector risk matrix; an outsider does not."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import h1, log_in, save_screenshot
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_secretariat_builds_and_approves_a_sector_ros(live_server, page, new_page, org):
    make_user("sigrid", org("HOD"), role="secretariat")
    make_user("kari", org("Bodø kommune"), role="reporter")
    log_in(page, live_server.url, "sigrid", next_url="/risiko/")
    assert h1(page) == "ROS-analyser"
    page.get_by_role("link", name="Ny analyse").click()
    page.locator("#id_title").fill("Helhetlig ROS 2025")
    page.locator("#id_owner_org").select_option(label="Helse- og omsorgsdepartementet")
    page.locator("#id_scope").select_option("sector")
    page.locator("#id_period_start").fill("2025-01-01")
    page.locator("#id_period_end").fill("2028-12-31")
    page.locator("#id_classification").select_option("0")
    page.get_by_role("button", name="Lagre").click()
    assert h1(page) == "Helhetlig ROS 2025"
    assert "Utkast" in page.locator("#analysis-status").inner_text()

    page.get_by_role("link", name="Ny hendelse").click()
    page.locator("#id_title").fill("Askøy-type vannforurensning")
    page.locator("#id_risk_area").select_option("water")
    page.locator("#id_probability").select_option("4")
    page.locator("#id_c_life_health").select_option("4")
    page.get_by_role("button", name="Lagre hendelsen").click()
    matrix = page.locator("#matrix-life_health")
    assert "H1" in matrix.inner_text() and "1 hendelser" in matrix.locator("caption").inner_text()

    page.locator("#id_status").select_option("approved")
    page.get_by_role("button", name="Endre status").click()
    assert "Godkjent" in page.locator("#analysis-status").inner_text()
    assert page.locator("#next-revision").inner_text().strip() != "–"
    assert page.get_by_role("link", name="Ny hendelse").count() == 0
    save_screenshot(page, "risk-detail")

    page.goto(f"{live_server.url}/risiko/sektor/")
    assert "Askøy-type vannforurensning" in page.locator("main").inner_text()
    assert "Akseptkriterier fra «Helhetlig ROS 2025»" in page.locator("main").inner_text()

    # derive a dimensioning scenario from the event, and a national planning assumption from it
    from beredskap.planning.models import PlanningAssumption, Scenario
    from beredskap.risk.models import UndesiredEvent

    event = UndesiredEvent.objects.get(title="Askøy-type vannforurensning")
    page.goto(f"{live_server.url}/risiko/hendelser/{event.pk}/")
    assert page.title().startswith(f"{event.code} Askøy-type vannforurensning")
    with page.expect_navigation():
        page.get_by_role("button", name="Lag scenario fra hendelsen").click()
    assert "Scenarioet er opprettet fra hendelsen" in page.locator("main").inner_text()
    page.locator("#id_narrative").fill(
        "Forurenset drikkevann i en by med 30 000 innbyggere i to uker."
    )
    page.locator("#id_water_affected_persons").fill("30000")
    page.locator("#id_water_outage_days").fill("14")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    scenario = Scenario.objects.get(source_events=event)
    assert (
        scenario.water_affected_persons == 30000
        and "Askøy-type vannforurensning" in page.locator("main").inner_text()
    )
    page.get_by_role("link", name="Ny planforutsetning fra scenarioet").click()
    page.locator("#id_title").fill("Nødvann i 14 døgn")
    page.locator("#id_statement").fill(
        "Kommunene planlegger for nødvann til alle innbyggere i 14 døgn."
    )
    page.locator("#id_level").select_option("national")
    page.locator("#id_valid_from").fill("2025-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assumption = PlanningAssumption.objects.get(title="Nødvann i 14 døgn")
    assert (
        assumption.source_scenario == scenario
        and "Planforutsetningen er lagret" in page.locator("main").inner_text()
    )

    outsider = new_page()
    log_in(outsider, live_server.url, "kari", next_url="/risiko/sektor/")
    assert (
        "Askøy-type vannforurensning" in outsider.locator("main").inner_text()
    )  # UGRADERT and open
    outsider.goto(f"{live_server.url}/risiko/")
    assert outsider.get_by_role("link", name="Ny analyse").count() == 1  # she may start her own
    assert "Helhetlig ROS 2025" in outsider.locator("main").inner_text()
    assert outsider.get_by_role("link", name="Rediger analysen").count() == 0
