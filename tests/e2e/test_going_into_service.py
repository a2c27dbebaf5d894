"""In the browser, the first day in service: a national administrator invites a hospital trust's
administrator, who invites a health worker; she signs in through HelseID (a real OpenID Connect
provider on loopback) and reports her unit's beds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from tests.core.oidc_helpers import start_provider
from tests.e2e.helpers import h1, log_in, submit
from tests.factories import make_user

pytestmark = pytest.mark.e2e


@pytest.fixture
def helseid(live_server: Any) -> Iterator[None]:
    from beredskap.core.oidc import client as oidc_client

    server, _issuers, providers = start_provider(live_server.url)
    oidc_client.clear_caches()
    with override_settings(BEREDSKAP_OIDC_PROVIDERS=providers, BEREDSKAP_BASE_URL=live_server.url):
        yield
    oidc_client.clear_caches()
    server.stop()


def _invite(page: Any, email: str, name: str, role: str) -> None:
    form = page.locator("form", has=page.locator("input[name=action][value=invite]"))
    form.get_by_label("E-post").fill(email)
    form.get_by_label("Navn").fill(name)
    form.get_by_label("Rolle").select_option(role)
    submit(page, form.get_by_role("button", name="Send invitasjon"))
    assert f"Invitasjonen er sendt til {email}" in page.locator("main").inner_text()


def _invitation_path(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"http\S+/konto/invitasjon/\S+/", message.body).group(0)
    return link[link.index("/konto/") :]


def test_a_trust_is_put_into_service_and_its_health_worker_reports_through_helseid(
    live_server, new_page, org, helseid
):
    from beredskap.capacity.models import BedReport, Facility

    nlsh = org("Nordlandssykehuset HF")
    Facility.objects.create(name="NLSH Bodø", code="nlsh-bodo", kind="hospital", organisation=nlsh)
    make_user("nasjonal", org("HOD"), role="administrator")

    national = new_page()
    log_in(national, live_server.url, "nasjonal")
    national.goto(f"{live_server.url}/aktorer/organisasjoner/{nlsh.pk}/brukere/")
    _invite(national, "anne.admin@nlsh.no", "Anne Administrator", "administrator")

    trust_admin = new_page()
    trust_admin.goto(live_server.url + _invitation_path("anne.admin@nlsh.no"))
    trust_admin.locator("input[name=person-name]").fill("Anne Administrator")
    trust_admin.locator("input[name=new_password1]").fill("et-langt-og-godt-passord-42")
    trust_admin.locator("input[name=new_password2]").fill("et-langt-og-godt-passord-42")
    submit(trust_admin, trust_admin.get_by_role("button", name="Ta i bruk kontoen"))
    assert h1(trust_admin) == "Min side"
    trust_admin.goto(f"{live_server.url}/aktorer/organisasjoner/{nlsh.pk}/brukere/")
    assert h1(trust_admin) == "Brukere – Nordlandssykehuset HF"
    _invite(trust_admin, "helle@nlsh.no", "Helle Helsearbeider", "reporter")

    worker = new_page()
    worker.goto(live_server.url + _invitation_path("helle@nlsh.no"))
    submit(worker, worker.get_by_role("button", name="Bruk HelseID"))
    assert "HelseID (test) (demo)" in worker.locator("h1").inner_text()
    submit(worker, worker.get_by_role("link", name="Helle Helsearbeider (HPR 9144900)"))
    assert h1(worker) == "Min side"
    assert "Nordlandssykehuset HF" in worker.locator("main").inner_text()

    worker.goto(f"{live_server.url}/kapasitet/senger/rapport/")
    worker.get_by_label("Enhet").select_option(label="NLSH Bodø")
    worker.get_by_label("Intensiv med respirator – bemannet").fill("10")
    worker.get_by_label("Intensiv med respirator – belagt").fill("7")
    worker.get_by_label("Intensiv med respirator – ledig").fill("3")
    submit(worker, worker.get_by_role("button", name="Send rapport"))
    assert "Rapporten for NLSH Bodø er lagret" in worker.locator("main").inner_text()
    report = BedReport.objects.get(facility__code="nlsh-bodo")
    assert report.reported_by.person.name == "Helle Helsearbeider"

    trust_admin.reload()
    rows = trust_admin.locator("#members").inner_text()
    assert "Helle Helsearbeider" in rows and "Invitert" not in rows
