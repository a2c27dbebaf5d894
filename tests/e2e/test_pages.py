"""End-to-end checks of the main pages in real Chromium: what each page shows, and what it
must not show."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import confirmed_device, enter_code, h1, log_in, save_screenshot, totp_code
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_login_and_start_page(live_server, page, org):
    make_user("rita", org("Bodø kommune"), role="reporter")
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    # Not signed in: the start page sends you to the sign-in form.
    page.goto(f"{live_server.url}/")
    assert "/konto/logg-inn/" in page.url
    assert page.get_by_role("navigation", name="Hovedmeny").count() == 0
    assert page.get_by_role("button", name="Logg ut").count() == 0

    # Wrong password: an error, still on the form, not signed in.
    log_in(page, live_server.url, "rita", password="feil-passord-123")
    assert "/konto/logg-inn/" in page.url
    assert "Feil brukernavn eller passord" in page.locator("main").inner_text()
    assert page.get_by_role("alert").count() == 1
    assert "Min side" not in page.locator("main").inner_text()

    # Right password: the start page with the user's organisation.
    log_in(page, live_server.url, "rita")
    assert page.url == f"{live_server.url}/"
    assert h1(page) == "Min side"
    main = page.locator("main").inner_text()
    assert "Bodø kommune" in main
    assert "Feil brukernavn eller passord" not in main
    assert "Oslo kommune" not in main
    assert page.get_by_role("link", name="Bodø kommune").count() == 1
    nav = page.get_by_role("navigation", name="Hovedmeny")
    assert nav.get_by_role("link", name="Organisasjoner").is_visible()
    assert nav.get_by_role("link", name="Revisjonsspor").count() == 0  # not an auditor
    assert page.locator(".app-user").inner_text() == "rita"
    assert not console_errors, (
        console_errors
    )  # no blocked script, no missing resource (e.g. the icon)

    # Signing out ends the session.
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()
    assert "/konto/logg-inn/" in page.url
    page.goto(f"{live_server.url}/")
    assert "/konto/logg-inn/" in page.url


def test_two_factor_required_for_cleared_user(live_server, page, org):
    user = make_user("berit", org("Helsedirektoratet"), role="reader", clearance=1)
    device = confirmed_device(user)

    log_in(page, live_server.url, "berit")
    assert "/konto/tofaktor/" in page.url
    assert h1(page) == "Bekreft med engangskode"
    assert "Sett opp tofaktorinnlogging" not in page.content()  # a device exists: no set-up, no QR
    assert page.locator(".app-qr").count() == 0

    # The site is closed until the code is entered.
    page.goto(f"{live_server.url}/aktorer/moter/")
    assert "/konto/tofaktor/" in page.url
    assert "next=/aktorer/moter/" in page.url
    assert h1(page) != "Møter"
    assert page.locator("table").count() == 0

    # A wrong code is refused.
    enter_code(page, totp_code(device, offset=500_000))
    assert "/konto/tofaktor/" in page.url
    assert "Koden stemmer ikke" in page.locator("main").inner_text()
    page.wait_for_timeout(1_500)  # django-otp throttles for 1 s after a failure

    # The right code lets the user in, to where they were going.
    enter_code(page, totp_code(device))
    assert page.url.endswith("/aktorer/moter/"), page.url
    assert h1(page) == "Møter"
    assert "Koden stemmer ikke" not in page.content()
    page.goto(f"{live_server.url}/")
    assert h1(page) == "Min side"


def _rows(page):
    return page.locator("#results tbody tr")


def test_organisation_directory_search_and_paging(live_server, page, org):
    make_user("olav", org("Bodø kommune"))
    log_in(page, live_server.url, "olav", next_url="/aktorer/organisasjoner/")
    assert h1(page) == "Organisasjoner"
    assert "420 organisasjoner" in page.locator("#results caption").inner_text()

    # Free-text search.
    page.get_by_label("Søk").fill("Bodø")
    with page.expect_navigation():
        page.get_by_role("button", name="Søk").click()
    names = _rows(page).locator("td:first-child").all_inner_texts()
    assert "Bodø kommune" in names
    assert "Oslo kommune" not in names
    assert all("Bodø" in n for n in names), names
    assert page.get_by_role("navigation", name="Sidenavigasjon").count() == 0  # one page only

    # Filter by type.
    page.get_by_label("Søk").fill("")
    page.get_by_label("Type").select_option(label="Statsforvalter")
    with page.expect_navigation():
        page.get_by_role("button", name="Søk").click()
    assert "kind=statsforvalter" in page.url
    assert _rows(page).count() == 10
    kinds = set(_rows(page).locator("td:nth-child(2)").all_inner_texts())
    assert kinds == {"Statsforvalter"}
    assert "Bodø kommune" not in page.locator("#results").inner_text()

    # Paging through the full list: 420 organisations, 25 a page.
    page.goto(f"{live_server.url}/aktorer/organisasjoner/")
    first_page = _rows(page).locator("td:first-child").all_inner_texts()
    assert len(first_page) == 25
    pager = page.get_by_role("navigation", name="Sidenavigasjon")
    assert "Side 1 av 17" in pager.inner_text()
    assert pager.get_by_role("link", name="Forrige").count() == 0
    with page.expect_navigation():
        pager.get_by_role("link", name="Neste").click()
    assert re.search(r"[?&]side=2\b", page.url)
    second_page = _rows(page).locator("td:first-child").all_inner_texts()
    assert len(second_page) == 25
    assert not set(first_page) & set(second_page)
    assert "Side 2 av 17" in page.get_by_role("navigation", name="Sidenavigasjon").inner_text()

    page.goto(f"{live_server.url}/aktorer/organisasjoner/?side=17")
    assert _rows(page).count() == 420 - 16 * 25
    assert (
        page.get_by_role("navigation", name="Sidenavigasjon")
        .get_by_role("link", name="Neste")
        .count()
        == 0
    )


def test_body_pages(live_server, page, org):
    make_user("petter", org("Bodø kommune"))
    log_in(page, live_server.url, "petter", next_url="/aktorer/organer/")
    assert h1(page) == "Råd og utvalg"
    table = page.locator("main table")
    assert table.get_by_role("link", name="Helseberedskapsrådet", exact=True).count() == 1
    assert "Ingen treff" not in table.inner_text()

    with page.expect_navigation():
        table.get_by_role("link", name="Helseberedskapsrådet", exact=True).click()
    assert page.url.endswith("/aktorer/organer/helseberedskapsradet/")
    assert h1(page) == "Helseberedskapsrådet"
    members = page.locator("#members tr")
    assert members.count() == 12
    hod = members.filter(has_text="Helse- og omsorgsdepartementet")
    assert hod.count() == 1
    assert hod.locator("td").nth(1).inner_text() == "Leder"
    assert (
        members.filter(has_text="Folkehelseinstituttet").locator("td").nth(1).inner_text()
        == "Medlem"
    )
    assert "Ingen medlemmer registrert" not in page.locator("main").inner_text()
    # A reader may not manage the body.
    assert page.get_by_text("Legg til medlem").count() == 0
    assert page.get_by_role("link", name="Nytt møte").count() == 0

    page.goto(f"{live_server.url}/aktorer/organer/ekspertutvalg-helsekriser/")
    assert h1(page) == "Rådgivende ekspertutvalg for helsekriser"
    state_tag = page.locator("main p .ds-tag").nth(1)
    assert state_tag.inner_text().strip().startswith("Hvilende")
    assert "Aktivert" not in page.locator("main").inner_text()
    assert "Ingen medlemmer registrert" in page.locator("#members").inner_text()


def test_classified_meeting_not_shown_to_outsider(live_server, page, org):
    from beredskap.actors.demo import load_demo
    from beredskap.actors.models import Meeting

    load_demo()
    make_user("lise", org("Folkehelseinstituttet"), role="reader")
    secret = Meeting.objects.get(title="Helseberedskapsrådet – forsyningssikkerhet")
    open_meeting = Meeting.objects.get(title="Helseberedskapsrådet – ordinært møte")
    assert secret.classification == 1

    log_in(page, live_server.url, "lise", next_url="/aktorer/moter/")
    assert h1(page) == "Møter"
    listing = page.locator("main table").inner_text()
    assert "Helseberedskapsrådet – ordinært møte" in listing
    assert "forsyningssikkerhet" not in listing
    assert "BEGRENSET" not in listing.upper()
    assert "1 møte" in page.locator("main table caption").inner_text()

    response = page.goto(f"{live_server.url}/aktorer/moter/{secret.pk}/")
    assert response.status == 404
    assert "forsyningssikkerhet" not in page.content()
    assert "Beredskapslagre for smittevernutstyr" not in page.content()

    response = page.goto(f"{live_server.url}/aktorer/moter/{open_meeting.pk}/")
    assert response.status == 200
    assert h1(page) == "Helseberedskapsrådet – ordinært møte"
    assert "Flerårig strategisk øvingsplan" in page.locator("main").inner_text()

    # Nor on the body page or the start page.
    page.goto(f"{live_server.url}/aktorer/organer/helseberedskapsradet/")
    assert "Helseberedskapsrådet – ordinært møte" in page.locator("main").inner_text()
    assert secret.title not in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/")
    assert h1(page) == "Min side"
    assert secret.title not in page.locator("main").inner_text()
    assert "Statusnotat om beredskapslagre" not in page.locator("main").inner_text()


def test_language_switch(live_server, page, org):
    make_user("emma", org("Bodø kommune"))
    log_in(page, live_server.url, "emma", next_url="/aktorer/organisasjoner/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "nb"
    assert page.get_by_role("button", name="English").is_visible()
    assert page.get_by_role("button", name="Norsk").count() == 0

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert html.get_attribute("lang") == "en"
    assert page.url.endswith("/aktorer/organisasjoner/")  # stays on the same page
    assert page.get_by_role("button", name="Norsk").is_visible()
    assert page.get_by_role("button", name="English").count() == 0
    page.goto(f"{live_server.url}/")  # the choice sticks
    assert html.get_attribute("lang") == "en"

    with page.expect_navigation():
        page.get_by_role("button", name="Norsk").click()
    assert html.get_attribute("lang") == "nb"
    assert page.get_by_role("button", name="English").is_visible()
    assert page.get_by_role("button", name="Norsk").count() == 0
    assert h1(page) == "Min side"


def test_mobile_layout(live_server, new_page, org):
    make_user("mona", org("Bodø kommune"), role="reporter")
    page = new_page(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    log_in(page, live_server.url, "mona")
    assert h1(page) == "Min side"
    for path in ["/", "/aktorer/organisasjoner/", "/aktorer/organer/helseberedskapsradet/"]:
        page.goto(f"{live_server.url}{path}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 375 + 1, f"{path}: horizontal scrolling ({scroll_width}px wide)"
        nav = page.get_by_role("navigation", name="Hovedmeny")
        assert nav.is_visible()
        for label in ["Min side", "Organisasjoner", "Råd og utvalg", "Møter"]:
            link = nav.get_by_role("link", name=label, exact=True)
            assert link.is_visible()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 376, (path, label, box)
    save_screenshot(page, "start-mobile")


def test_details_panels_animate_only_for_users_who_have_not_asked_for_less_motion(
    live_server, new_page, org
):
    from django.utils import timezone

    from beredskap.exercises import services

    bodo = org("Bodø kommune")
    user = make_user("rita", bodo, role="reporter")
    exercise = services.create_exercise(
        by=user,
        owner_org=bodo,
        title="Vannøvelse",
        exercise_type="drill",
        starts_on=timezone.localdate(),
        classification=0,
        exempt_public=True,
        exempt_legal_basis="offl. § 13",
    )
    transition = "el => getComputedStyle(el, '::details-content').transitionDuration"
    durations = {}
    for motion in ("no-preference", "reduce"):
        page = new_page(reduced_motion=motion)
        log_in(page, live_server.url, "rita")
        page.goto(f"{live_server.url}/ovelser/{exercise.pk}/")
        assert h1(page) == "Vannøvelse"
        durations[motion] = page.locator("details.ds-details").first.evaluate(transition)
    assert durations["no-preference"].startswith("0.4s")
    assert durations["reduce"] == "0s"
