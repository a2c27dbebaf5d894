"""The crisis forecast in real Chromium: an analyst's new run does not change the crisis forecast
until the crisis staff attach it, and the picture's ICU forecast starts at today's reported
occupancy (104 of 132 staffed beds in use in Helse Nord: 28 free)."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import confirmed_device, enter_code, log_in, submit, totp_code
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def _sign_in(page, url, user):  # type: ignore[no-untyped-def]
    device = confirmed_device(user)
    log_in(page, url, user.username)
    enter_code(page, totp_code(device))


def _start_run(page, url, title):  # type: ignore[no-untyped-def]
    page.goto(f"{url}/modellering/ny/")
    page.get_by_label("Tittel").fill(title)
    page.get_by_label("Antall dager").fill("60")
    page.get_by_label("Antall ensemblemedlemmer").fill("8")
    page.get_by_label("Smitte starter i").select_option("1804")
    page.get_by_label("Eksponerte ved start").fill("300")
    page.get_by_label("Intensivkapasitet").select_option("default")
    submit(page, page.get_by_role("button", name="Start simulering"))
    assert title in page.locator("h1").inner_text()


def _attach(page, url, crisis, label, reason):  # type: ignore[no-untyped-def]
    page.goto(f"{url}/krise/{crisis.pk}/prognose/")
    page.get_by_label("Simuleringskjøring").select_option(label=label)
    page.get_by_role("textbox", name="Begrunnelse", exact=True).fill(reason)
    submit(page, page.get_by_role("button", name="Knytt til krisen"))


def test_a_new_run_waits_for_the_staff_and_the_forecast_starts_at_todays_beds(
    live_server, new_page, org
):
    from beredskap.modelling.models import SimulationRun
    from beredskap.operations.services.crises import declare_crisis
    from tests.capacity.helpers import icu_counts, make_facility, report

    coordinator = make_user("koord", org("HOD"), role="secretariat", clearance=1)
    analyst = make_user("analytiker", org("FHI"), role="reporter", clearance=1)
    north = org("Nordlandssykehuset HF")
    report(
        make_user("nlsh", north, role="reporter", clearance=1),
        make_facility(north),
        counts=icu_counts(staffed=132, occupied=104, available=28),
    )
    crisis = declare_crisis(
        by=coordinator,
        name="Influensa Nord",
        risk_area="infection",
        crisis_type="Pandemi",
        owner_org=org("HOD"),
        lead_ministry=org("HOD"),
    )
    url = live_server.url

    modeller = new_page()
    _sign_in(modeller, url, analyst)
    _start_run(modeller, url, "Hovedscenario FHI")
    first = SimulationRun.objects.get(title="Hovedscenario FHI")
    assert first.status == "done"

    staff = new_page()
    _sign_in(staff, url, coordinator)
    staff.goto(f"{url}/krise/{crisis.pk}/bilde/?region=H05")
    assert "Ingen prognose er knyttet til krisen" in staff.locator("#forecasts").inner_text()

    _attach(staff, url, crisis, f"{first.pk}: Hovedscenario FHI", "FHIs hovedscenario")
    assert "FHIs hovedscenario" in staff.locator("#forecast-rows").inner_text()
    staff.goto(f"{url}/krise/{crisis.pk}/bilde/?region=H05")
    icu = staff.locator(f"#forecast-{first.pk} tr[data-region='H05'][data-kind='icu']")
    assert icu.locator("td[data-now]").inner_text() == "104"
    assert icu.locator("td[data-free]").inner_text() == "28"
    cells = icu.locator("td").all_inner_texts()
    assert "132" in cells
    week = cells[4]  # "+7 døgn": median (50 %; 90 %), every member started at 104
    assert week.split(" ")[0].isdigit()
    staff.locator(f"#forecast-{first.pk} canvas[data-drawn='true']").first.wait_for()

    _start_run(modeller, url, "Testkjøring med høy R0")
    second = SimulationRun.objects.get(title="Testkjøring med høy R0")
    staff.reload()
    forecasts = staff.locator("#forecasts")
    assert forecasts.locator(f"#forecast-{first.pk}").count() == 1
    assert forecasts.locator(f"#forecast-{second.pk}").count() == 0
    assert "Testkjøring med høy R0" not in forecasts.inner_text()

    _attach(staff, url, crisis, f"{second.pk}: Testkjøring med høy R0", "Verstefall")
    staff.goto(f"{url}/krise/{crisis.pk}/bilde/?region=H05")
    assert staff.locator(f"#forecast-{second.pk} td[data-now]").first.inner_text() == "104"
