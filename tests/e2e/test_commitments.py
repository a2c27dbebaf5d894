"""Browser: a secretariat user sees every commitment with its status, records progress (refused
without a note), and produces the status report."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import describe, h1, log_in, save_screenshot, serious_axe_violations
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_the_secretariat_follows_up_commitments_and_produces_the_status_report(
    live_server, new_page, org
):
    from beredskap.commitments.loader import load_commitments

    load_commitments()
    make_user("sek", org("HOD"), role="secretariat")
    page = new_page(bypass_csp=True, accept_downloads=True)
    log_in(page, live_server.url, "sek")

    page.goto(f"{live_server.url}/oppfolging/?side=1")
    assert h1(page) == "Regjeringens forpliktelser og Helsedirektoratets tiltak"
    assert "114 forpliktelser" in page.locator("caption").first.inner_text()
    assert "Ikke startet: 114" in page.locator("#status-counts").inner_text()
    assert serious_axe_violations(page) == [], describe(serious_axe_violations(page))

    page.get_by_label("Risikoområde").select_option("nuclear")
    with page.expect_navigation():
        page.get_by_role("button", name="Filtrer").click()
    main = page.locator("main").inner_text()
    assert "strålevernloven" in main and "KommuneCERT" not in main

    with page.expect_navigation():
        page.get_by_role("link", name="gjennomgå strålevernloven", exact=False).click()
    page.get_by_label("Status").select_option("in_progress")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").first.click()
    assert "statusendring må ha et notat" in page.locator("main").inner_text()
    assert page.locator("#commitment-status").inner_text() == "Ikke startet"
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Notat om framdrift").fill("Gjennomgang av strålevernloven startet")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").first.click()
    assert page.locator("#commitment-status").inner_text() == "Pågår"
    assert "Gjennomgang av strålevernloven startet" in page.locator("#notes").inner_text()

    page.goto(f"{live_server.url}/oppfolging/rapporter/")
    assert "innledning eller samlet vurdering mangler" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Skriv tekst").first.click()
    page.get_by_label("Innledning").fill("Regjeringen orienterer Stortinget om status.")
    page.get_by_label("Samlet vurdering").fill("Fem forpliktelser har passert fristen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre").click()
    assert "Teksten er lagret." in page.locator("body").inner_text()
    page.get_by_label("Rapport").select_option("storting")
    with page.expect_navigation():
        page.get_by_role("button", name="Lag rapport").click()
    assert "Status for oppfølgingen av Meld. St. 5" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    with page.expect_navigation():
        page.get_by_role("link", name="Vis i nettleseren").first.click()
    preview = page.locator("body").inner_text()
    assert "Stortinget v/ helse- og omsorgskomiteen" in preview and "UGRADERT" in preview
    assert preview.index("Fem forpliktelser har passert fristen.") < preview.index("Forfalt")
    assert page.locator("tr.report-overdue").count() > 0
    assert serious_axe_violations(page) == [], describe(serious_axe_violations(page))
    save_screenshot(page, "statusrapport")
