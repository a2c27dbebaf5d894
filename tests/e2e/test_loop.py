"""Browser test: the preparedness loop read backwards from a plan (Meld. St. 5 (2023–2024)
2.2.1) — from the plan to the learning point that asks for its revision, the exercise that
tested it, and back through the scenario to the ROS event it all started from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.helpers import confirmed_device, enter_code, h1, log_in, save_screenshot, totp_code
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_the_loop_is_read_backwards_from_a_plan(live_server, page, org):
    from beredskap.exercises import services as ex
    from beredskap.planning import services
    from tests.planning.builders import exercise_plan
    from tests.risk.builders import make_analysis, make_event

    hod = make_user("sigrid", org("HOD"), role="secretariat", clearance=1)
    analysis = make_analysis(hod, org("HOD"), title="Sektor-ROS 2025")
    event = make_event(hod, analysis, title="Bortfall av drikkevann", risk_area="water")
    scenario = services.create_scenario(
        by=hod, owner_org=org("HOD"), title="Vannscenario", risk_area="water", source_events=[event]
    )
    plan = services.create_plan(
        by=hod,
        owner_org=org("HOD"),
        title="Plan for nødvann",
        plan_type="emergency_water",
        approved_on=timezone.localdate() - timedelta(days=400),
        scenarios=[scenario],
    )
    exercise = exercise_plan(
        hod, plan, timezone.localdate() - timedelta(days=20), title="Nødvannsøvelse"
    )
    evaluation = ex.start_evaluation(by=hod, exercise=exercise)
    point = ex.add_learning_point(by=hod, evaluation=evaluation, title="For få tankbiler")
    ex.link_record(by=hod, source=point, target=plan, relation="changes_plan")

    device = confirmed_device(hod)  # cleared for BEGRENSET: signs in with a second factor
    log_in(page, live_server.url, "sigrid", next_url=f"/planverk/planer/{plan.pk}/")
    enter_code(page, totp_code(device))
    assert h1(page) == "Plan for nødvann"
    exercised = page.locator("#plan-exercised").inner_text()
    assert "Nødvannsøvelse" in exercised
    linked = page.locator("#linked-here").inner_text()
    assert "For få tankbiler" in linked and "venter på godkjent revisjon" in linked
    save_screenshot(page, "loop-plan")

    page.locator("#linked-here").get_by_role("link", name="Nødvannsøvelse").click()
    assert h1(page) == "Nødvannsøvelse"
    page.go_back()
    page.locator("#ros-events").get_by_role("link").first.click()
    assert "Bortfall av drikkevann" in h1(page)
    assert "Vannscenario" in page.locator("#event-scenarios").inner_text()
    assert "Plan for nødvann" in page.locator("#event-plans").inner_text()
    page.locator("#event-scenarios").get_by_role("link", name="Vannscenario").click()
    assert h1(page) == "Vannscenario"
    assert "Plan for nødvann" in page.locator("main").inner_text()
    save_screenshot(page, "loop-scenario")
