"""Crisis pages: what is shown, what must not be, exercise marking, picture, feeds."""

from datetime import time, timedelta

from django.utils import timezone

from beredskap.core.models import Municipality
from beredskap.operations.services import alerts, decisions, notification, sitreps
from tests.factories import make_user, verified_client

GREEN = {
    f"{s}_colour": "green" for s in ("situation", "consequences", "needs", "measures", "outlook")
}


def test_every_crisis_page_of_an_exercise_says_ovelse(make_crisis, coordinator):
    exercise = make_crisis("Pandemiøvelse", exercise=True)
    client = verified_client(coordinator)
    for url in ("", "bilde/", "arbeid/", "logg/"):
        page = client.get(f"/krise/{exercise.pk}/{url}")
        assert page.status_code == 200 and "ØVELSE" in page.content.decode(), url
    assert "ØVELSE" in client.get(f"/krise/{exercise.pk}/logg/?format=csv").content.decode()
    assert client.get(f"/krise/{exercise.pk}/brifing.pdf")["Content-Type"] == "application/pdf"


def test_a_real_crisis_page_does_not_say_ovelse(crisis, coordinator):
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/").content.decode()
    assert crisis.name in page and "ØVELSE" not in page


def test_an_outsider_gets_404_and_does_not_see_the_crisis_in_the_list(crisis, org):
    outsider = verified_client(make_user("ute", org("Oslo kommune"), clearance=1))
    assert outsider.get(f"/krise/{crisis.pk}/").status_code == 404
    assert outsider.get(f"/krise/{crisis.pk}/bilde/status.json").status_code == 404
    assert crisis.name not in outsider.get("/krise/").content.decode()


def test_a_reporter_delivers_through_the_page_and_the_picture_colours_the_municipality(
    crisis, coordinator, bodo, bodo_reporter
):
    cycle = sitreps.create_cycle(
        by=coordinator,
        crisis=crisis,
        name="Daglig",
        due_time=time(12, 0),
        starts_on=timezone.localdate(),
        org_kinds=["municipality"],
    )
    client = verified_client(bodo_reporter)
    page = client.get(f"/krise/{crisis.pk}/syklus/{cycle.pk}/").content.decode()
    assert (
        "Lever rapport for Bodø kommune" in page and "Lever rapport for Narvik kommune" not in page
    )
    client.post(
        f"/krise/{crisis.pk}/syklus/{cycle.pk}/rapport/",
        {"organisation": bodo.pk, "situation": "Mange syke", **GREEN, "needs_colour": "red"},
    )
    status = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/status.json").json()
    assert status["status"]["1804"]["colour"] == "red" and "1806" not in status["status"]


def test_the_picture_shows_decisions_in_force_and_says_no_forecast_is_attached(
    crisis, coordinator, org
):
    now = timezone.now()
    decisions.record_decision(
        by=coordinator,
        crisis=crisis,
        title="Besøksstans",
        authority=org("Hdir"),
        level="national",
        subsidiarity="Nasjonalt",
        legal_basis="smittevernloven",
        legal_section="§ 4-1",
        valid_from=now - timedelta(hours=1),
    )
    decisions.create_task(
        by=coordinator,
        crisis=crisis,
        title="Gammel oppgave",
        owner_org=org("Hdir"),
        due_at=now - timedelta(hours=2),
    )
    page = verified_client(coordinator).get(f"/krise/{crisis.pk}/bilde/").content.decode()
    assert "Besøksstans" in page and "Smittevernloven" in page and "Forfalt" in page
    assert "Ingen prognose er knyttet til krisen" in page
    assert "1 oppgaver har passert fristen" in page


def test_the_public_feed_lists_real_alerts_and_never_exercise_ones(
    make_crisis, coordinator, client
):
    real, exercise = make_crisis("Ekte"), make_crisis("Øvelse", exercise=True)
    kwargs = dict(
        event="Influensa",
        urgency="Expected",
        severity="Severe",
        certainty="Likely",
        municipalities=[Municipality.objects.get(number="1804")],
    )
    a = alerts.publish_alert(
        by=coordinator,
        crisis=real,
        infos=[{"language": "nb-NO", "headline": "Ekte varsel", "description": "x"}],
        **kwargs,
    )
    b = alerts.publish_alert(
        by=coordinator,
        crisis=exercise,
        infos=[{"language": "nb-NO", "headline": "Øvingsvarsel", "description": "x"}],
        **kwargs,
    )
    feed = client.get("/krise/cap/feed.xml").content.decode()
    assert "Ekte varsel" in feed and "Øvingsvarsel" not in feed
    single = client.get(f"/krise/cap/{a.identifier}.xml")
    assert single.status_code == 200 and "xml" in single["Content-Type"]
    body = single.content.decode()
    assert (
        "urn:oasis:names:tc:emergency:cap:1.2" in body
        and f"<identifier>{a.identifier}</identifier>" in body
    )
    assert "Ekte varsel" in body and "Øvingsvarsel" not in body
    assert client.get(f"/krise/cap/{b.identifier}.xml").status_code == 404
    exercise_feed = (
        verified_client(coordinator).get(f"/krise/{exercise.pk}/cap/feed.xml").content.decode()
    )
    assert "ØVELSE – Actual" not in exercise_feed and "Øvingsvarsel" in exercise_feed


def test_the_start_page_panel_shows_my_unacknowledged_notification_and_not_others(
    crisis, coordinator, org, contact_point
):
    contact_point(org("FHI"), "email", "dogn@fhi.test")
    contact_point(org("DMP"), "email", "dogn@dmp.test")
    notification.send_notification(
        by=coordinator, crisis=crisis, title="Møt i rådet", text="x", organisations=[org("FHI")]
    )
    notification.send_notification(
        by=coordinator, crisis=crisis, title="Bare DMP", text="x", organisations=[org("DMP")]
    )
    page = verified_client(make_user("fhi", org("FHI"), clearance=1)).get("/").content.decode()
    assert "Møt i rådet" in page and "Bare DMP" not in page


def test_an_uncleared_member_sees_nothing_of_a_begrenset_crisis_on_the_start_page(
    crisis, coordinator, org, contact_point
):
    contact_point(org("FHI"), "email", "dogn@fhi.test")
    notification.send_notification(
        by=coordinator, crisis=crisis, title="Gradert møte", text="x", organisations=[org("FHI")]
    )
    page = verified_client(make_user("fhi0", org("FHI"), clearance=0)).get("/").content.decode()
    assert "Gradert møte" not in page
