"""The loop read both ways (Meld. St. 5 (2023–2024) 2.2.1): ROS event → scenario → plan →
exercise → learning point → revised plan, on each page; a learning point that concerns a plan
opens a revision task that closes only when the plan's revision is approved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.exercises import services as ex
from beredskap.exercises.models import Action
from beredskap.planning import services
from tests.factories import make_user, verified_client
from tests.planning.builders import exercise_plan
from tests.risk.builders import make_analysis, make_event


@pytest.fixture
def loop(org):
    hod = make_user("hodloop", org("HOD"), role="secretariat", clearance=1)
    analysis = make_analysis(hod, org("HOD"), title="Sektor-ROS")
    event = make_event(hod, analysis, title="Bortfall av drikkevann", risk_area="water")
    scenario = services.create_scenario(
        by=hod,
        owner_org=org("HOD"),
        title="Vannscenario",
        risk_area="water",
        source_events=[event],
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
    point = ex.add_learning_point(by=hod, evaluation=evaluation, title="Tankbilene var for få")
    ex.link_record(by=hod, source=point, target=plan, relation="changes_plan")
    return {
        "hod": hod,
        "event": event,
        "scenario": scenario,
        "plan": plan,
        "exercise": exercise,
        "point": point,
    }


def test_the_plan_page_reads_the_loop_backwards_and_forwards(loop):
    page = verified_client(loop["hod"]).get(f"/planverk/planer/{loop['plan'].pk}/").content.decode()
    upstream = page.split('id="ros-events"')[1].split("</ul>")[0]
    assert "Bortfall av drikkevann" in upstream and "Vannscenario" in page
    linked = page.split('id="linked-here"')[1].split("</section>")[0]
    assert "Nødvannsøvelse" in linked and "Tankbilene var for få" in linked
    assert "Revider «Plan for nødvann» etter læringspunktet" in linked
    assert "venter på godkjent revisjon" in linked


def test_the_event_and_scenario_pages_show_what_was_built_on_them(loop):
    client = verified_client(loop["hod"])
    event = client.get(f"/risiko/hendelser/{loop['event'].pk}/").content.decode()
    assert "Vannscenario" in event.split('id="event-scenarios"')[1].split("</ul>")[0]
    assert "Plan for nødvann" in event.split('id="event-plans"')[1].split("</ul>")[0]
    scenario = client.get(f"/planverk/scenarioer/{loop['scenario'].pk}/").content.decode()
    assert "Plan for nødvann" in scenario
    other = make_event(loop["hod"], loop["event"].analysis, title="Annen hendelse")
    page = client.get(f"/risiko/hendelser/{other.pk}/").content.decode()
    assert "Plan for nødvann" not in page and "Ingen – hendelsen er ikke fulgt opp" in page


def test_the_revision_task_closes_only_when_the_plan_revision_is_approved(loop):
    hod, plan = loop["hod"], loop["plan"]
    task = Action.objects.get(learning_point=loop["point"])
    assert task.responsible_org == plan.owner_org
    task = ex.update_action(
        by=hod, action=task, expected_version=task.version, evidence="Ny versjon på høring"
    )
    with pytest.raises(ValidationError, match="revisjonen er godkjent"):
        ex.update_action(by=hod, action=task, expected_version=task.version, status="done")
    services.update_plan(
        by=hod, plan=plan, expected_version=plan.version, last_reviewed_on=timezone.localdate()
    )
    task.refresh_from_db()
    done = ex.update_action(by=hod, action=task, expected_version=task.version, status="done")
    assert done.status == "done"


def test_the_sector_view_lists_what_the_loop_is_missing_per_risk_area(loop, org):
    hod = loop["hod"]
    analysis = make_analysis(hod, org("HOD"), title="Sektor-ROS 2")
    make_event(hod, analysis, title="Forurenset vannkilde", risk_area="water")
    services.create_scenario(
        by=hod, owner_org=org("HOD"), title="Scenario uten plan", risk_area="water"
    )
    page = verified_client(hod).get("/planverk/kretslop/").content.decode()
    water = page.split('id="area-water"')[1].split("</section>")[0]
    assert "Forurenset vannkilde" in water and "Bortfall av drikkevann" not in water
    assert "Scenario uten plan" in water and "Vannscenario" not in water
    assert "Plan for nødvann" not in water  # exercised 20 days ago
