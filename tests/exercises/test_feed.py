"""The calendar feed: what a link carries, for how long, and who can stop it."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from beredskap.exercises.feedkeys import CalendarFeedKey
from tests.exercises.builders import make_exercise, make_plan
from tests.exercises.test_api import _api
from tests.factories import make_user, verified_client

NOT_FOUND = "Ukjent, utløpt eller tilbaketrukket kalenderlenke."


@pytest.fixture
def owner(org):
    """A KONFIDENSIELT-cleared planner in the Directorate that owns the exercises."""
    return make_user("planlegger", org("Hdir"), role="reporter", clearance=2)


@pytest.fixture
def plan(secretariat_user, org, owner):
    plan = make_plan(secretariat_user, org("HOD"))
    make_exercise(
        owner, org("Hdir"), plan=plan, title="Åpen intensivøvelse", starts_on=date(2026, 6, 1)
    )
    make_exercise(
        owner,
        org("Hdir"),
        plan=plan,
        title="Konfidensiell sambandsøvelse",
        starts_on=date(2026, 6, 2),
        classification=2,
    )
    make_exercise(
        owner,
        org("Hdir"),
        plan=plan,
        title="Begrenset forsyningsøvelse",
        starts_on=date(2026, 6, 3),
        classification=1,
    )
    return plan


def _link(user, plan, **extra):
    page = verified_client(user).post(
        f"/ovelser/planer/{plan.pk}/kalenderlenker/", {"action": "create", **extra}
    )
    assert page.status_code == 200
    href = page.content.decode().split('id="feed-url"')[0].rsplit('href="', 1)[1].split('"')[0]
    return href.replace("&amp;", "&").split("testserver", 1)[1]


def _events(response):
    return {
        str(e["summary"]): str(e.get("class", ""))
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    }


def test_a_feed_carries_only_ugradert_exercises_unless_its_owner_turns_classified_on(owner, plan):
    response = Client().get(_link(owner, plan))
    assert response.status_code == 200
    assert _events(response) == {"Åpen intensivøvelse": "PUBLIC"}
    assert b"Konfidensiell" not in response.content and b"Begrenset" not in response.content


def test_a_feed_with_classified_entries_marks_each_one(owner, plan):
    response = Client().get(_link(owner, plan, include_classified="on"))
    assert _events(response) == {
        "Åpen intensivøvelse": "PUBLIC",
        "[KONFIDENSIELT] Konfidensiell sambandsøvelse": "CONFIDENTIAL",
        "[BEGRENSET] Begrenset forsyningsøvelse": "CONFIDENTIAL",
    }


def test_a_classified_feed_follows_the_holders_clearance_at_each_fetch(owner, plan):
    url = _link(owner, plan, include_classified="on")
    owner.clearance = 1
    owner.save()
    titles = set(_events(Client().get(url)))
    assert "[BEGRENSET] Begrenset forsyningsøvelse" in titles
    assert not any("Konfidensiell" in t for t in titles)
    owner.clearance_valid_until = timezone.localdate() - timedelta(days=1)
    owner.save()
    assert set(_events(Client().get(url))) == {"Åpen intensivøvelse"}


def test_a_classified_feed_loses_what_the_holder_no_longer_needs_to_know(owner, plan, org):
    url = _link(owner, plan, include_classified="on")
    owner.person.memberships.update(organisation=org("FHI"))
    titles = set(_events(Client().get(url)))
    assert titles == {"Åpen intensivøvelse"}


def test_an_outsider_who_ticks_classified_still_gets_only_what_she_sees(plan, org):
    outsider = make_user("ute", org("Bodø kommune"), clearance=2)
    assert set(_events(Client().get(_link(outsider, plan, include_classified="on")))) == {
        "Åpen intensivøvelse"
    }


def test_an_expired_revoked_foreign_or_unknown_key_is_the_same_404(owner, plan, secretariat_user):
    expired, revoked, other = _link(owner, plan), _link(owner, plan), _link(owner, plan)
    CalendarFeedKey.objects.filter(pk=CalendarFeedKey.objects.order_by("pk")[0].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    key = CalendarFeedKey.objects.order_by("pk")[1]
    page = verified_client(owner).post(
        f"/ovelser/planer/{plan.pk}/kalenderlenker/", {"action": "revoke", "key": key.pk}
    )
    assert page.status_code == 200 and "Trukket tilbake" in page.content.decode()
    second_plan = make_plan(secretariat_user, plan.owner_org, title="Annen plan")
    foreign = other.replace(f"/planer/{plan.pk}/", f"/planer/{second_plan.pk}/")
    unknown = f"/ovelser/planer/{plan.pk}/kalender.ics?token=gjettet"
    responses = [Client().get(u) for u in (expired, revoked, foreign, unknown)]
    assert [r.status_code for r in responses] == [404] * 4
    assert {r.content.decode() for r in responses} == {NOT_FOUND}
    assert all(r["Cache-Control"] == "no-store, private" for r in responses)
    live = Client().get(other)  # the control: the holder's own live link still serves her calendar
    assert live.status_code == 200 and b"BEGIN:VCALENDAR" in live.content


def test_a_deactivated_users_feed_is_404(owner, plan):
    url = _link(owner, plan)
    owner.is_active = False
    owner.save()
    response = Client().get(url)
    assert response.status_code == 404 and b"VCALENDAR" not in response.content


def test_a_signed_in_user_without_a_key_gets_no_feed(owner, plan):
    response = verified_client(owner).get(f"/ovelser/planer/{plan.pk}/kalender.ics")
    assert response.status_code == 404


def test_the_feed_is_not_stored_by_caches(owner, plan):
    response = Client().get(_link(owner, plan))
    assert response["Cache-Control"] == "no-store, private"


def test_a_key_expires_after_180_days_or_the_configured_number(owner, plan, settings):
    _link(owner, plan)
    key = CalendarFeedKey.objects.get()
    assert key.expires_at - key.created_at == timedelta(days=180)
    settings.BEREDSKAP_FEED_KEY_DAYS = 7
    _link(owner, plan)
    newest = CalendarFeedKey.objects.order_by("-pk")[0]
    assert newest.expires_at - newest.created_at == timedelta(days=7)


def test_a_classified_plans_title_is_not_the_name_of_an_ugradert_feed(secretariat_user, org):
    cleared = make_user("hodklarert", org("HOD"), role="secretariat", clearance=1)
    plan = make_plan(cleared, org("HOD"), title="Begrenset plan for samband", classification=1)
    plain = Client().get(_link(cleared, plan))
    assert b"Begrenset plan for samband" not in plain.content
    marked = Calendar.from_ical(Client().get(_link(cleared, plan, include_classified="on")).content)
    assert str(marked["x-wr-calname"]) == "[BEGRENSET] Begrenset plan for samband"


def test_the_feed_page_warns_only_cleared_users_about_classified_entries(owner, plan, org):
    page = verified_client(owner).get(f"/ovelser/planer/{plan.pk}/kalenderlenker/")
    assert "include_classified" in page.content.decode() and page["Cache-Control"].startswith(
        "no-store"
    )
    uncleared = verified_client(make_user("les", org("FHI")))
    page = uncleared.get(f"/ovelser/planer/{plan.pk}/kalenderlenker/").content.decode()
    assert "include_classified" not in page and "Lag kalenderlenke" in page


def test_a_user_cannot_revoke_someone_elses_key(owner, plan, org):
    _link(owner, plan)
    key = CalendarFeedKey.objects.get()
    other = verified_client(make_user("annen", org("Hdir"), clearance=2))
    response = other.post(
        f"/ovelser/planer/{plan.pk}/kalenderlenker/", {"action": "revoke", "key": key.pk}
    )
    assert response.status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None
    assert (
        _api(make_user("tredje", org("Hdir")))("delete", f"/feed-keys/{key.pk}").status_code == 404
    )


def test_the_api_makes_lists_and_revokes_a_users_keys(owner, plan):
    api = _api(owner)
    made = api("post", f"/exercise-plans/{plan.pk}/feed-keys", {"include_classified": True})
    assert made.status_code == 201 and made.json()["include_classified"] is True
    url = made.json()["feed_url"].split("testserver", 1)[1]
    assert "[KONFIDENSIELT] Konfidensiell sambandsøvelse" in _events(Client().get(url))
    listed = api("get", f"/exercise-plans/{plan.pk}/feed-keys").json()
    assert [k["id"] for k in listed] == [made.json()["id"]] and "feed_url" not in listed[0]
    assert api("delete", f"/feed-keys/{made.json()['id']}").status_code == 204
    assert Client().get(url).status_code == 404
    assert api("get", f"/exercise-plans/{plan.pk}/feed-keys").json()[0]["is_active"] is False
