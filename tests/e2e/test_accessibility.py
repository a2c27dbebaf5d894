"""axe-core (WCAG 2.0/2.1 A and AA) on every kind of page: no serious or critical violations.

axe is injected inline, which the site's strict CSP (script-src 'self') blocks, so these
contexts — and only these — are created with ``bypass_csp=True``.
"""

from __future__ import annotations

import pytest

from tests.e2e.helpers import (
    describe,
    enter_code,
    h1,
    log_in,
    save_screenshot,
    serious_axe_violations,
    totp_code,
)
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def _check(page, label, failures):
    # Closed <details> (the body's management forms) are not rendered; open them so axe sees them.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = serious_axe_violations(page)
    if violations:
        failures.append(f"{label} ({page.url}):\n{describe(violations)}")


def test_no_serious_accessibility_violations(live_server, new_page, org):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from beredskap.actors.demo import load_demo
    from beredskap.actors.models import Meeting

    load_demo()
    bodo = org("Bodø kommune")
    make_user("a11y-rapportor", bodo, role="reporter")
    make_user("a11y-admin", org("HOD"), role="administrator")
    make_user("a11y-revisor", org("Statens helsetilsyn"), role="auditor", auditor=True)
    cleared = make_user("a11y-begrenset", org("HOD"), role="administrator", clearance=1)
    open_meeting = Meeting.objects.get(title="Helseberedskapsrådet – ordinært møte")
    secret_meeting = Meeting.objects.get(title="Helseberedskapsrådet – forsyningssikkerhet")
    failures: list[str] = []
    base = live_server.url

    # Anonymous: the sign-in form, empty and with an error.
    page = new_page(bypass_csp=True)
    page.goto(f"{base}/konto/logg-inn/")
    _check(page, "login", failures)
    log_in(page, base, "a11y-rapportor", password="feil-passord-123")
    assert "Feil brukernavn eller passord" in page.content()
    _check(page, "login with error", failures)

    # Reporter of Bodø kommune: start page and the organisation pages, editing included.
    log_in(page, base, "a11y-rapportor")
    assert h1(page) == "Min side"
    save_screenshot(page, "start")
    for label, path in [
        ("start page", "/"),
        ("organisation list", "/aktorer/organisasjoner/"),
        (
            "organisation list, filtered",
            "/aktorer/organisasjoner/?q=Nordland&kind=&county=&health_region=",
        ),
        ("organisation detail", f"/aktorer/organisasjoner/{bodo.pk}/"),
        ("organisation edit", f"/aktorer/organisasjoner/{bodo.pk}/endre/"),
        ("body list", "/aktorer/organer/"),
        ("meeting list", "/aktorer/moter/"),
        ("meeting detail", f"/aktorer/moter/{open_meeting.pk}/"),
    ]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, (label, response.status)
        _check(page, label, failures)
    assert page.get_by_role("link", name="Revisjonsspor").count() == 0

    # Cleared secretariat user: first-time two-factor set-up, then the classified meeting.
    page = new_page(bypass_csp=True)
    log_in(page, base, "a11y-begrenset")
    assert h1(page) == "Sett opp tofaktorinnlogging"
    assert page.locator(".app-qr svg").count() == 1
    _check(page, "two-factor set-up", failures)
    enter_code(page, "12345")  # too short: a field error
    assert "Koden har seks sifre" in page.content()
    _check(page, "two-factor set-up with error", failures)
    enter_code(page, totp_code(TOTPDevice.objects.get(user=cleared, confirmed=False)))
    assert h1(page) == "Min side"
    for label, path in [
        ("body detail (manager)", "/aktorer/organer/helseberedskapsradet/"),
        ("new meeting form", "/aktorer/organer/helseberedskapsradet/nytt-mote/"),
        ("classified meeting detail", f"/aktorer/moter/{secret_meeting.pk}/"),
        ("meeting list (cleared)", "/aktorer/moter/"),
    ]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, (label, response.status)
        _check(page, label, failures)
    assert "Legg til medlem" in page.goto(f"{base}/aktorer/organer/helseberedskapsradet/").text()
    # The new-meeting form with validation errors.
    page.goto(f"{base}/aktorer/organer/helseberedskapsradet/nytt-mote/")
    with page.expect_navigation():
        page.get_by_role("button", name="Opprett").click()
    assert page.locator(".ds-validation-message").count() >= 1
    _check(page, "new meeting form with errors", failures)

    # Administrator: body detail with forms for an expert group; English page.
    page = new_page(bypass_csp=True)
    log_in(page, base, "a11y-admin", next_url="/aktorer/organer/ekspertutvalg-helsekriser/")
    assert page.get_by_role("link", name="Nytt møte").count() == 1
    _check(page, "body detail (administrator)", failures)
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    _check(page, "body detail in English", failures)

    # Auditor: the audit trail.
    page = new_page(bypass_csp=True)
    log_in(page, base, "a11y-revisor", next_url="/revisjon/")
    assert h1(page) == "Revisjonsspor"
    assert page.locator("main table tbody tr").count() >= 1
    _check(page, "audit page", failures)
    page.goto(f"{base}/revisjon/?since=2030-01-02&until=2030-01-01")
    _check(page, "audit page with error", failures)

    assert not failures, "axe: serious/critical WCAG violations\n\n" + "\n\n".join(failures)
