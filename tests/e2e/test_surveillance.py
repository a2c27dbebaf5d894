"""Surveillance in the browser: Bodø's medical officer uploads a CSV of weekly consultations,
the detection opens a signal, she takes it, confirms it and links it to the crisis, and the
crisis staff see it on the situational picture."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from tests.e2e.helpers import confirmed_device, enter_code, h1, log_in, submit, totp_code
from tests.factories import make_user

pytestmark = pytest.mark.e2e

WEEK0 = dt.date(2023, 1, 2)


def _csv(weeks: int = 110) -> bytes:
    rng = np.random.default_rng(5)
    counts = rng.poisson(20 * (1 + 0.3 * np.sin(2 * np.pi * np.arange(weeks) / 52))).tolist()
    counts[-2:] = [90, 120]  # the outbreak
    lines = ["area_code,period,value"] + [
        f"1804,{WEEK0 + dt.timedelta(days=7 * i)},{v}" for i, v in enumerate(counts)
    ]
    return ("\n".join(lines) + "\n").encode()


def _signed_in(page, base_url: str, user) -> None:  # type: ignore[no-untyped-def]
    device = confirmed_device(user)
    log_in(page, base_url, user.username)
    enter_code(page, totp_code(device))


def test_an_uploaded_outbreak_is_confirmed_by_the_medical_officer_and_shown_on_the_picture(
    live_server, new_page, org
):
    from beredskap.core.grants import grant_access
    from beredskap.core.models import County
    from beredskap.operations.services.crises import declare_crisis
    from beredskap.surveillance.models import Indicator

    Indicator.objects.create(key="ili", name="Influensaliknende sykdom", years_back=1)
    officer = make_user("kommuneoverlege", org("Bodø kommune"), role="reporter", clearance=1)
    coordinator = make_user("koordinator", org("HOD"), role="secretariat", clearance=1)
    crisis = declare_crisis(
        by=coordinator,
        name="Influensautbrudd i Nordland",
        risk_area="infection",
        crisis_type="Utbrudd",
        owner_org=org("HOD"),
        lead_ministry=org("HOD"),
        counties=[County.objects.get(number="18")],
    )
    grant_access(
        by=coordinator, record=crisis, reason="Overvåking", organisations=[org("Bodø kommune")]
    )

    page = new_page()
    _signed_in(page, live_server.url, officer)
    page.goto(f"{live_server.url}/overvaking/last-opp/")
    page.get_by_label("Indikator").select_option(label="Influensaliknende sykdom")
    page.get_by_label("Fil").set_input_files(
        files=[{"name": "bodo.csv", "mimeType": "text/csv", "buffer": _csv()}]
    )
    submit(page, page.get_by_role("button", name="Last opp"))
    assert "110 tall lagret" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/overvaking/signaler/")
    signals = page.locator("main").inner_text()
    assert "Bodø" in signals and "Oslo" not in signals
    submit(page, page.locator("main a", has_text="Bodø").first)
    assert h1(page).startswith("Signal")
    submit(page, page.get_by_role("button", name="Ta ansvar for signalet"))
    assert "Du er nå ansvarlig for signalet" in page.locator("main").inner_text()
    page.get_by_label("Ny status").select_option("confirmed")
    page.get_by_label("Begrunnelse").fill("Bekreftet utbrudd på sykehjem")
    page.get_by_label("Krise (ved bekreftelse)").select_option(label="Influensautbrudd i Nordland")
    submit(page, page.get_by_role("button", name="Lagre vurdering"))
    assert "Vurderingen er lagret" in page.locator("main").inner_text()
    assert "Influensautbrudd i Nordland" in page.locator("main").inner_text()

    staff = new_page()
    _signed_in(staff, live_server.url, coordinator)
    staff.goto(f"{live_server.url}/krise/{crisis.pk}/bilde/")
    picture = staff.locator("main").inner_text()
    assert "Bekreftede overvåkingssignaler" in picture and "Bodø" in picture
