"""The follow-up writes through the API: the multi-year plan and its calendar key, closing an
evaluation under the every-action-resolved rule, accepting an action as not to be done, sharing a
learning point and linking it to the plans and ROS events it changes."""

import json

import pytest
from django.test import Client

from beredskap.exercises.models import ExercisePlan
from tests.exercises.builders import (
    add_point_with_action,
    conducted_with_evaluation,
    make_plan,
    other_plan,
    ros_event,
)
from tests.exercises.test_api import _api
from tests.factories import make_user


@pytest.fixture
def lead(org):
    return make_user("utvalgsleder", org("Hdir"), role="reporter", clearance=1)


def test_the_secretariat_changes_the_plan_and_a_stale_version_is_refused(
    org, secretariat_user, lead
):
    plan = make_plan(secretariat_user, org("HOD"))
    api = _api(secretariat_user)
    changed = api(
        "patch",
        f"/exercise-plans/{plan.pk}",
        {"version": plan.version, "goals": "Øve sivil-militært", "period_end": 2029},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["goals"], changed.json()["period_end"]) == ("Øve sivil-militært", 2029)
    plan.refresh_from_db()
    assert (plan.goals, plan.period_end) == ("Øve sivil-militært", 2029)
    stale = api("patch", f"/exercise-plans/{plan.pk}", {"version": 1, "title": "Gammel"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    backwards = api(
        "patch", f"/exercise-plans/{plan.pk}", {"version": plan.version, "period_start": 2030}
    )
    assert backwards.status_code == 400
    assert (
        _api(lead)(
            "patch", f"/exercise-plans/{plan.pk}", {"version": plan.version, "title": "Min"}
        ).status_code
        == 403
    )
    assert ExercisePlan.objects.get().title == "Nasjonal øvingsplan helse"


def test_a_classified_plan_is_404_for_an_outsider(org):
    cleared = make_user("hodklarert", org("HOD"), role="secretariat", clearance=2)
    plan = make_plan(cleared, org("HOD"), classification=2)
    outsider = _api(make_user("ute", org("FHI"), role="secretariat"))
    assert (
        outsider(
            "patch", f"/exercise-plans/{plan.pk}", {"version": plan.version, "goals": "x"}
        ).status_code
        == 404
    )
    assert outsider("get", f"/exercise-plans/{plan.pk}/feed-keys").status_code == 404
    assert outsider("post", f"/exercise-plans/{plan.pk}/feed-keys", {}).status_code == 404
    assert outsider("post", f"/exercise-plans/{plan.pk}/feed-key").status_code == 404


def test_rotating_the_calendar_key_stops_old_feed_links(org, secretariat_user, lead):
    plan = make_plan(secretariat_user, org("HOD"))
    api = _api(secretariat_user)
    old = api("post", f"/exercise-plans/{plan.pk}/feed-keys", {}).json()["feed_url"]
    before = Client().get(old)
    assert (
        before.status_code == 200
        and b"BEGIN:VCALENDAR" in before.content
        and plan.title.encode() in before.content
    )
    assert (
        _api(lead)("post", f"/exercise-plans/{plan.pk}/feed-key").status_code == 403
    )  # not the plan's org
    rotated = api("post", f"/exercise-plans/{plan.pk}/feed-key")
    assert rotated.status_code == 200 and rotated.json() == {"plan_id": plan.pk}
    assert Client().get(old).status_code == 404
    fresh = api("post", f"/exercise-plans/{plan.pk}/feed-keys", {}).json()["feed_url"]
    assert fresh != old
    feed = Client().get(fresh)
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.content


def test_an_evaluation_closes_only_when_every_action_is_done_or_accepted_with_a_reason(org, lead):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    done = add_point_with_action(lead, evaluation, org("FHI"), title="Ny varslingsliste")
    dropped = add_point_with_action(lead, evaluation, org("FHI"), title="Eget sambandssystem")
    api, ex = _api(lead), evaluation.exercise_id
    refused = api("post", f"/exercises/{ex}/evaluation/close", {})
    assert refused.status_code == 409 and refused.json()["code"] == "open_actions"
    assert "Eget sambandssystem" in refused.json()["detail"]
    assert (
        api(
            "patch",
            f"/exercise-actions/{done.pk}",
            {"version": done.version, "status": "done", "evidence": "Lista er publisert"},
        ).status_code
        == 200
    )
    no_reason = api("post", f"/exercise-actions/{dropped.pk}/accept-not-done", {"reason": ""})
    assert no_reason.status_code == 422
    blank = api("post", f"/exercise-actions/{dropped.pk}/accept-not-done", {"reason": "   "})
    assert blank.status_code == 400
    assert api("post", f"/exercises/{ex}/evaluation/close", {}).status_code == 409
    accepted = api(
        "post",
        f"/exercise-actions/{dropped.pk}/accept-not-done",
        {"reason": "Dekkes av Nødnett", "version": dropped.version},
    )
    assert accepted.status_code == 200, accepted.content
    assert (
        accepted.json()["status"],
        accepted.json()["not_done_reason"],
        accepted.json()["accepted_by_id"],
    ) == ("not_done", "Dekkes av Nødnett", lead.pk)
    closed = api("post", f"/exercises/{ex}/evaluation/close", {})
    assert closed.status_code == 200 and closed.json()["blocking_action_ids"] == []
    assert api("get", f"/exercises/{ex}").json()["status"] == "closed"
    again = api("post", f"/exercise-actions/{dropped.pk}/accept-not-done", {"reason": "Igjen"})
    assert again.status_code == 400


def test_only_those_who_run_the_exercise_accept_an_action_or_close_it(org, lead):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    action = add_point_with_action(lead, evaluation, org("FHI"))
    responsible = _api(make_user("fhi", org("FHI"), role="reporter"))
    assert (
        responsible(
            "post", f"/exercise-actions/{action.pk}/accept-not-done", {"reason": "Vil ikke"}
        ).status_code
        == 403
    )
    assert (
        responsible("post", f"/exercises/{evaluation.exercise_id}/evaluation/close", {}).status_code
        == 403
    )
    action.refresh_from_db()
    assert action.status == "open" and not action.not_done_reason


def test_a_shared_classified_learning_point_becomes_visible_to_the_organisation_it_is_shared_with(
    org, lead
):
    evaluation = conducted_with_evaluation(lead, org("Hdir"), classification=1)
    point = add_point_with_action(lead, evaluation, org("Hdir")).learning_point
    recipient = _api(make_user("fhi", org("FHI"), clearance=1))
    assert point.pk not in [p["id"] for p in recipient("get", "/learning-points").json()["items"]]
    assert (
        recipient(
            "post", f"/learning-points/{point.pk}/share", {"organisation_ids": [org("FHI").pk]}
        ).status_code
        == 404
    )  # an outsider cannot even find it
    api = _api(lead)
    assert api("post", f"/learning-points/{point.pk}/share", {}).status_code == 400
    assert (
        api(
            "post", f"/learning-points/{point.pk}/share", {"body_slugs": ["finnes-ikke"]}
        ).status_code
        == 400
    )
    shared = api(
        "post",
        f"/learning-points/{point.pk}/share",
        {"organisation_ids": [org("FHI").pk], "reason": "Samme varslingsrutiner"},
    )
    assert shared.status_code == 200 and shared.json()["id"] == point.pk
    assert point.pk in [p["id"] for p in recipient("get", "/learning-points").json()["items"]]
    reader = _api(make_user("leser", org("Hdir"), clearance=1))
    assert (
        reader(
            "post", f"/learning-points/{point.pk}/share", {"organisation_ids": [org("DSA").pk]}
        ).status_code
        == 403
    )


def test_a_learning_point_is_linked_to_the_plan_and_ros_event_it_changes(org, lead):
    evaluation = conducted_with_evaluation(lead, org("Hdir"))
    point = add_point_with_action(lead, evaluation, org("Hdir")).learning_point
    plan = other_plan(org("Hdir"), "Smittevernplan Hdir")
    event = ros_event(org("Hdir"), "Utbrudd på intensiv")
    api = _api(lead)
    first = api(
        "post",
        f"/learning-points/{point.pk}/links",
        {
            "target": "planning.plan",
            "target_id": plan.pk,
            "relation": "changes_plan",
            "note": "Kap. 3",
        },
    )
    assert first.status_code == 201
    both = api(
        "post",
        f"/learning-points/{point.pk}/links",
        {"target": "risk.undesiredevent", "target_id": event.pk, "relation": "changes_ros_event"},
    )
    assert both.status_code == 201
    assert sorted((x["relation"], x["label"]) for x in both.json()) == [
        ("changes_plan", "Smittevernplan Hdir"),
        ("changes_ros_event", "Utbrudd på intensiv (ROS Hdir)"),
    ]
    assert (
        api(
            "post",
            f"/learning-points/{point.pk}/links",
            {"target": "planning.plan", "target_id": plan.pk, "relation": "tests_plan"},
        ).status_code
        == 400
    )
    outsider = _api(make_user("ute", org("FHI"), role="reporter"))
    refused = outsider(
        "post",
        f"/learning-points/{point.pk}/links",
        {"target": "planning.plan", "target_id": plan.pk, "relation": "changes_plan"},
    )
    assert refused.status_code == 403 and json.loads(refused.content)["code"] == "forbidden"
