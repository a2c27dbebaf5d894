"""In real Chromium: what the crisis pages say about delivery and mobilisation has happened — a
notification whose e-mail is refused shows the failure and escalates along the contact points;
a reserve person declines on Min side and the next candidate is asked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import confirmed_device, enter_code, log_in, totp_code
from tests.factories import make_user
from tests.fakeservers import sms_gateway, smtp_server

pytestmark = pytest.mark.e2e


def _sign_in(page, url, user, two_factor=True):  # type: ignore[no-untyped-def]
    """Staff sign in with a second factor; a reserve person (no organisation) with her password."""
    device = confirmed_device(user) if two_factor else None
    log_in(page, url, user.username)
    if device is not None:
        enter_code(page, totp_code(device))


def _crisis(coordinator, org):  # type: ignore[no-untyped-def]
    from beredskap.core.models import County
    from beredskap.operations.services.crises import declare_crisis

    return declare_crisis(
        by=coordinator,
        name="Influensautbrudd Nordland",
        risk_area="infection",
        crisis_type="Pandemi",
        owner_org=org("HOD"),
        lead_ministry=org("HOD"),
        counties=[County.objects.get(number="18")],
    )


def test_a_refused_email_shows_the_failure_and_escalates_to_the_next_contact(
    live_server, new_page, org, settings
):
    from beredskap.actors.models import ContactPoint
    from beredskap.operations.services.notification import escalate_overdue

    coordinator = make_user("koord", org("HOD"), role="secretariat", clearance=1)
    fhi = make_user("fhivakt", org("FHI"), role="reporter", clearance=1)
    fhi.person.email = "borte@fhi.test"
    fhi.person.save()
    ContactPoint.objects.create(organisation=org("FHI"), kind="sms", value="+4791234567", order=1)
    ContactPoint.objects.create(
        organisation=org("FHI"), kind="email", value="vakt@fhi.test", order=2
    )
    crisis = _crisis(coordinator, org)
    with smtp_server() as (inbox, port), sms_gateway() as gateway:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.BEREDSKAP_SMS_URL = gateway.url
        inbox.refuse.add("borte@fhi.test")
        boss = new_page()
        _sign_in(boss, live_server.url, coordinator)
        boss.goto(f"{live_server.url}/krise/{crisis.pk}/")
        boss.get_by_text("Send varsel", exact=True).first.click()
        boss.get_by_label("Tittel").fill("Rådet innkalles")
        boss.get_by_label("Melding").fill("Møte kl 14")
        boss.get_by_label("Organisasjoner", exact=True).select_option(label="Folkehelseinstituttet")
        boss.get_by_label("Kvittering innen (minutter)").fill("15")
        with boss.expect_navigation():
            boss.get_by_role("button", name="Send varsel").click()
        assert "Varselet er sendt" in boss.locator("main").inner_text()
        boss.get_by_role("link", name="Varsler og levering").click()
        boss.wait_for_url(f"**/krise/{crisis.pk}/varsler/")
        table = boss.locator("section.app-notice").first.inner_text()
        assert "borte@fhi.test" in table and "Feilet" in table and "550" in table
        assert "Eskalert til kontaktpunkt 1" in table and "+4791234567" in table
        assert [r["json"]["to"] for r in gateway.received] == ["+4791234567"]

        # no acknowledgement within the deadline: the next contact point is tried
        sent_at = crisis.notifications.get().sent_at
        assert escalate_overdue(now=sent_at + timedelta(minutes=16)) == 1
        boss.reload()
        table = boss.locator("section.app-notice").first.inner_text()
        assert "Eskalert til kontaktpunkt 2" in table and "vakt@fhi.test" in table
        assert any("vakt@fhi.test" in rcpt for rcpt, _body in inbox.messages)
        assert "Ikke nådd" not in table  # the duty e-mail got through


def test_a_reservist_declines_and_the_next_candidate_is_asked(live_server, new_page, org):
    from beredskap.capacity.models import ReserveVolunteer
    from beredskap.core.models import HealthRegion, Municipality
    from beredskap.operations.services import resources

    def volunteer(username, region, travels):  # type: ignore[no-untyped-def]
        return ReserveVolunteer.objects.create(
            user=make_user(username),
            profession="icu_nurse",
            willing_to_travel=travels,
            health_region=HealthRegion.objects.get(code=region),
            consent_given_at=timezone.now(),
            confirmed_at=timezone.now(),
        )

    coordinator = make_user("koord", org("HOD"), role="secretariat", clearance=1)
    nina, tor = volunteer("nina", "H05", False), volunteer("tor", "H12", True)
    crisis = _crisis(coordinator, org)
    resources.create_request(
        by=coordinator,
        crisis=crisis,
        requested_by=org("Bodø kommune"),
        kind="personnel",
        item="Intensivsykepleier",
        quantity=1,
        location=Municipality.objects.get(number="1804"),
        priority=4,
        deadline=timezone.now() + timedelta(days=1),
    )
    proposal = resources.propose_allocation(by=coordinator, crisis=crisis)
    resources.approve_proposal(by=coordinator, proposal=proposal, expected_version=proposal.version)

    first = new_page()
    _sign_in(first, live_server.url, nina.user, two_factor=False)
    first.goto(f"{live_server.url}/")
    panel = first.locator("#my-mobilisations")
    assert "Intensivsykepleier til Bodø" in panel.inner_text()
    with first.expect_navigation():
        panel.get_by_role("link").first.click()
    first.get_by_label("Merknad (valgfritt)").fill("Er på ferie")
    with first.expect_navigation():
        first.get_by_role("button", name="Nei, jeg kan ikke").click()
    assert "Du har takket nei" in first.locator("main").inner_text()
    assert "Takket nei" in first.locator("#mobilisation-status").inner_text()

    second = new_page()
    _sign_in(second, live_server.url, tor.user, two_factor=False)
    second.goto(f"{live_server.url}/")
    assert "Intensivsykepleier til Bodø" in second.locator("#my-mobilisations").inner_text()

    boss = new_page()
    _sign_in(boss, live_server.url, coordinator)
    boss.goto(f"{live_server.url}/krise/{crisis.pk}/arbeid/")
    steps = boss.locator(".app-mobilisation-steps").first.inner_text()
    assert f"#{nina.pk}" in steps and "Takket nei" in steps
    assert f"#{tor.pk}" in steps and "Spurt, venter på svar" in steps
    assert "Avslutt utsendelse" not in boss.locator("#deployment-rows").inner_text()
