"""Browser test of the main planning flows: a statsforvalter sees her municipalities'
compliance table, filters it, drills down and sends a reminder; a municipality registers a plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import h1, log_in, save_screenshot
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_statsforvalter_follows_up_her_municipalities(live_server, page, new_page, org, settings):
    from beredskap.actors.models import ContactPoint, Reminder
    from beredskap.planning import services
    from tests.planning.builders import exercise_plan

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ContactPoint.objects.create(
        organisation=org("Narvik kommune"), kind="email", value="post@narvik.test"
    )

    make_user("stine", org("Statsforvalteren i Nordland"), role="reporter")
    kari = make_user("kari", org("Bodø kommune"), role="reporter")
    today = timezone.localdate()
    for kind in ("overall", "health_care", "infection"):
        plan = services.create_plan(
            by=kari,
            owner_org=org("Bodø kommune"),
            title=f"Bodø {kind}",
            plan_type=kind,
            approved_on=today - timedelta(days=100),
        )
        if kind == "overall":
            exercise_plan(kari, plan, today - timedelta(days=100))

    log_in(page, live_server.url, "stine", next_url="/planverk/etterlevelse/")
    assert h1(page) == "Kommunenes etterlevelse"
    table = page.locator("#compliance").inner_text()
    assert "Bodø" in table and "Narvik" in table and "Oslo" not in table and "Tromsø" not in table
    page.locator("#f-vis").select_option("plan")
    page.get_by_role("button", name="Oppdater").click()
    filtered = page.locator("#compliance").inner_text()
    assert "Narvik" in filtered and "Bodø\t" not in filtered and "\nBodø" not in filtered

    page.get_by_role("link", name="Narvik").click()
    assert "Narvik" in h1(page)
    page.locator("#id_message").fill("Kommunen mangler helhetlig ROS og beredskapsplaner.")
    page.get_by_role("button", name="Send egen påminnelse").click()
    assert "Påminnelsen er sendt til 1 mottakere" in page.locator("main").inner_text()
    assert Reminder.objects.filter(to_org=org("Narvik kommune")).count() == 1
    save_screenshot(page, "planning-municipality")

    municipality = new_page()
    log_in(municipality, live_server.url, "kari", next_url="/planverk/planer/ny/")
    municipality.locator("#id_owner_org").select_option(label="Bodø kommune")
    municipality.locator("#id_title").fill("Plan for psykososial oppfølging")
    municipality.locator("#id_plan_type").select_option("psychosocial")
    municipality.locator("#id_approved_on").fill((today - timedelta(days=10)).isoformat())
    municipality.locator("#id_classification").select_option("0")
    municipality.get_by_role("button", name="Lagre").click()
    assert h1(municipality) == "Plan for psykososial oppfølging"
    assert "Oppdatert" in municipality.locator("#plan-status").inner_text()
    municipality.goto(f"{live_server.url}/planverk/etterlevelse/")
    assert (
        "Per fylke" in municipality.locator("main").inner_text()
    )  # not a statsforvalter: the roll-up


def test_a_planner_runs_a_simulation_from_an_epidemic_scenario(live_server, page, org):
    from beredskap.planning import services

    hanne = make_user("hanne", org("HOD"), role="secretariat")
    scenario = services.create_scenario(
        by=hanne,
        owner_org=org("HOD"),
        title="Pandemisk influensa 2030",
        risk_area="infection",
        has_epidemic=True,
        r0=2.4,
        latent_days=2.0,
        infectious_days=4.0,
        sim_days=150,
        ihr=0.012,
        icu_share=0.2,
    )
    log_in(page, live_server.url, "hanne", next_url=f"/planverk/scenarioer/{scenario.pk}/")
    assert h1(page) == "Pandemisk influensa 2030"
    page.get_by_role("link", name="Kjør simulering").click()
    page.wait_for_url(f"**/modellering/ny/?scenario={scenario.pk}")
    assert page.locator("#id_r0").input_value() == "2.4"
    assert "Pandemisk influensa 2030" in page.locator("#id_title").input_value()
