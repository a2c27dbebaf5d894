"""A list of all 420 organisations gets a search field: typing narrows the options, the chosen
one stays, and the form still posts the choice."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import confirmed_device, enter_code, log_in, submit, totp_code
from tests.factories import make_meeting, make_user

pytestmark = pytest.mark.e2e


def test_the_organisation_list_narrows_as_she_types(live_server, page, org):
    from beredskap.actors.models import Body, FollowUpAction

    secretary = make_user("sekretariat", org("HOD"), role="secretariat", clearance=1)
    device = confirmed_device(secretary)
    meeting = make_meeting(Body.objects.get(slug="helseberedskapsradet"), shared=True)
    log_in(page, live_server.url, "sekretariat")
    enter_code(page, totp_code(device))
    page.goto(f"{live_server.url}/aktorer/moter/{meeting.pk}/")
    page.get_by_text("Nytt oppfølgingspunkt").click()
    select = page.locator("select[name=action-owner_org]")
    search = page.locator(f"input[aria-controls='{select.get_attribute('id')}']")
    assert search.get_attribute("aria-label") == "Søk i listen"
    described = search.get_attribute("aria-describedby")
    assert "Ansvarlig organisasjon" in page.locator(f"#{described}").inner_text()
    total = select.locator("option").count()
    assert total > 400
    search.fill("bodø")
    visible = select.locator("option:not([hidden])")
    names = visible.all_inner_texts()
    assert names and all("bodø" in n.lower() for n in names if n.strip("-").strip()), names
    select.select_option(label="Bodø kommune")
    page.get_by_label("Oppfølgingspunkt").fill("Kartlegg nødvann")
    page.get_by_label("Frist").fill("2027-01-15")
    submit(page, page.get_by_role("button", name="Legg til punkt"))
    assert FollowUpAction.objects.get().owner_org == org("Bodø kommune")
