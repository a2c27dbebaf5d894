"""Links from exercises and learning points to plans, scenarios and ROS events of the other apps:
offered, shown and creatable only for records the user may see (need-to-know)."""

import pytest
from django.core.exceptions import ValidationError

from beredskap.exercises import followup, linking, queries, services
from beredskap.exercises.models import RecordLink
from tests.exercises.builders import (
    conducted_with_evaluation,
    make_exercise,
    other_plan,
    other_scenario,
    ros_event,
)
from tests.factories import make_user, verified_client


@pytest.fixture
def lead(org):
    return make_user("utvalgsleder", org("Hdir"), role="reporter", clearance=1)


@pytest.fixture
def targets(org):
    """Each kind once visible to the Hdir lead (own or open) and once not (DSA's, graded)."""
    return {
        "plan": other_plan(org("Hdir"), "Nasjonal helseberedskapsplan"),
        "hidden_plan": other_plan(org("DSA"), "Atomberedskapsplan (gradert)", classification=1),
        "scenario": other_scenario(org("Hdir"), "Pandemi med høy sykelighet"),
        "hidden_scenario": other_scenario(
            org("DSA"), "Atomulykke ved Kola (gradert)", classification=1
        ),
        "event": ros_event(org("Hdir"), "Bortfall av intensivkapasitet", classification=1),
        "hidden_event": ros_event(org("DSA"), "Radioaktivt nedfall (gradert)", classification=1),
    }


def test_search_offers_only_records_the_user_may_see(lead, targets):
    found = linking.search(lead, "planning.plan", "plan")
    assert targets["plan"] in found and targets["hidden_plan"] not in found
    events = linking.search(lead, "risk.undesiredevent", "")
    assert targets["event"] in events and targets["hidden_event"] not in events
    assert linking.search(lead, "core.user", "") == [] and linking.search(lead, "nope", "x") == []


def test_the_picker_page_lists_visible_records_and_refuses_a_hidden_one(lead, org, targets):
    exercise = make_exercise(lead, org("Hdir"))
    client = verified_client(lead)
    url = f"/ovelser/{exercise.pk}/koblinger/"
    page = client.get(url, {"choice": "ros_event|risk.undesiredevent", "q": ""}).content.decode()
    assert "Bortfall av intensivkapasitet" in page and "Radioaktivt nedfall" not in page
    refused = client.post(
        url, {"choice": "ros_event|risk.undesiredevent", "target_id": targets["hidden_event"].pk}
    )
    assert refused.status_code == 404 and not RecordLink.objects.exists()
    wrong_kind = client.post(
        url, {"choice": "evidence|planning.plan", "target_id": targets["plan"].pk}
    )
    assert wrong_kind.status_code == 404 and not RecordLink.objects.exists()
    made = client.post(
        url, {"choice": "tests_plan|planning.plan", "target_id": targets["plan"].pk, "note": "Øves"}
    )
    assert made.status_code == 302
    link = RecordLink.objects.get()
    assert (link.relation, link.target_id, link.note, link.created_by) == (
        "tests_plan",
        targets["plan"].pk,
        "Øves",
        lead,
    )


def test_the_service_refuses_a_link_to_a_record_the_user_may_not_see(lead, org, targets):
    exercise = make_exercise(lead, org("Hdir"))
    for relation, target in (
        ("tests_plan", targets["hidden_plan"]),
        ("scenario", targets["hidden_scenario"]),
        ("ros_event", targets["hidden_event"]),
    ):
        with pytest.raises(ValidationError):
            followup.link_record(by=lead, source=exercise, target=target, relation=relation)
    with pytest.raises(ValidationError):  # a plan is not a ROS event
        followup.link_record(by=lead, source=exercise, target=targets["plan"], relation="ros_event")
    assert not RecordLink.objects.exists()


def test_the_exercise_page_shows_visible_links_with_title_and_address_and_hides_the_rest(
    org, targets
):
    boss = make_user(
        "sjef", org("HOD"), role="secretariat", clearance=2
    )  # sees DSA's graded records too
    lead = make_user("leder", org("Hdir"), role="reporter", clearance=1)
    exercise = make_exercise(boss, org("Hdir"), title="Pandemiøvelse")
    for relation, key in (
        ("tests_plan", "plan"),
        ("tests_plan", "hidden_plan"),
        ("scenario", "scenario"),
        ("scenario", "hidden_scenario"),
        ("ros_event", "event"),
        ("ros_event", "hidden_event"),
    ):
        followup.link_record(by=boss, source=exercise, target=targets[key], relation=relation)
    page = verified_client(lead).get(f"/ovelser/{exercise.pk}/").content.decode()
    assert (
        f'href="/planverk/planer/{targets["plan"].pk}/"' in page
        and "Nasjonal helseberedskapsplan" in page
    )
    assert f'href="/planverk/scenarioer/{targets["scenario"].pk}/"' in page
    assert f'href="/risiko/hendelser/{targets["event"].pk}/"' in page
    for hidden in ("Atomberedskapsplan", "Atomulykke ved Kola", "Radioaktivt nedfall"):
        assert hidden not in page
    assert (
        f"/ovelser/{exercise.pk}/koblinger/" in page
    )  # the lead runs the exercise and may add links
    boss_page = verified_client(boss).get(f"/ovelser/{exercise.pk}/").content.decode()
    assert "Atomberedskapsplan" in boss_page and "Radioaktivt nedfall" in boss_page
    outsider = verified_client(make_user("ute", org("FHI"), role="reporter"))
    outsider_page = outsider.get(f"/ovelser/{exercise.pk}/").content.decode()
    assert (
        "Nasjonal helseberedskapsplan" in outsider_page
        and "Bortfall av intensivkapasitet" not in outsider_page
    )
    assert f"/ovelser/{exercise.pk}/koblinger/" not in outsider_page
    assert (
        outsider.post(
            f"/ovelser/{exercise.pk}/koblinger/",
            {"choice": "tests_plan|planning.plan", "target_id": targets["plan"].pk},
        ).status_code
        == 403
    )


def test_a_learning_point_links_to_the_plans_and_ros_events_it_changes(lead, org, targets):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    point = services.add_learning_point(
        by=lead, evaluation=evaluation, title="Varslingslisten må oppdateres"
    )
    client = verified_client(lead)
    url = f"/ovelser/laeringspunkter/{point.pk}/koblinger/"
    assert (
        client.post(
            url,
            {"choice": "changes_ros_event|risk.undesiredevent", "target_id": targets["event"].pk},
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"choice": "changes_plan|planning.plan", "target_id": targets["hidden_plan"].pk}
        ).status_code
        == 404
    )
    assert [x["label"] for x in queries.links_from(lead, point)] == [
        "Bortfall av intensivkapasitet (ROS Hdir)"
    ]
    page = client.get(f"/ovelser/laeringspunkter/{point.pk}/").content.decode()
    assert (
        "Endrer ROS-hendelsen" in page
        and f'href="/risiko/hendelser/{targets["event"].pk}/"' in page
    )
    assert "Atomberedskapsplan" not in page


def test_the_api_links_a_ros_event_through_its_analysis_and_refuses_a_hidden_one(
    lead, org, targets
):
    from tests.factories import token_for

    exercise = make_exercise(lead, org("Hdir"))
    from django.test import Client

    client, headers = Client(), token_for(lead)
    url = f"/api/v1/exercises/{exercise.pk}/links"
    hidden = client.post(
        url,
        {
            "target": "risk.undesiredevent",
            "target_id": targets["hidden_event"].pk,
            "relation": "ros_event",
        },
        content_type="application/json",
        **headers,
    )
    assert hidden.status_code == 404
    made = client.post(
        url,
        {
            "target": "risk.undesiredevent",
            "target_id": targets["event"].pk,
            "relation": "ros_event",
        },
        content_type="application/json",
        **headers,
    )
    assert (
        made.status_code == 201
        and made.json()[0]["label"] == "Bortfall av intensivkapasitet (ROS Hdir)"
    )
    wrong = client.post(
        url,
        {"target": "planning.plan", "target_id": targets["plan"].pk, "relation": "ros_event"},
        content_type="application/json",
        **headers,
    )
    assert wrong.status_code == 400
