"""The crisis's notification page and API show delivery per recipient and channel: who was not
reached and the server's reason at a glance; a send that would reach nobody is refused in the
form and the API with the organisations lacking a contact point."""

import pytest
from django.urls import reverse

from beredskap.operations.services import notification as notify
from tests.factories import make_user, token_for, verified_client


@pytest.fixture
def failed_notice(
    crisis, coordinator, org, smtp_server, contact_point, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """FHI's member address is refused by the mail server and so is its only contact point;
    DMP's member is reached."""
    fhi = make_user("fhi", org("FHI"), clearance=1)
    fhi.person.email = "borte@fhi.test"
    fhi.person.save()
    dmp = make_user("dmp", org("DMP"), clearance=1)
    dmp.person.email = "vakt@dmp.test"
    dmp.person.save()
    contact_point(org("FHI"), "email", "dogn@fhi.test")
    smtp_server.refuse |= {"borte@fhi.test", "dogn@fhi.test"}
    with django_capture_on_commit_callbacks(execute=True):
        n = notify.send_notification(
            by=coordinator,
            crisis=crisis,
            title="Møt i staben",
            text="Kl 14",
            organisations=[org("FHI"), org("DMP")],
        )
    return n, fhi, dmp


def _page(user, crisis):  # type: ignore[no-untyped-def]
    url = reverse("operations:crisis_notifications", args=[crisis.pk])
    return verified_client(user).get(url)


def test_the_coordinator_sees_who_was_not_reached_and_the_servers_reason(
    crisis, coordinator, failed_notice
):
    html = _page(coordinator, crisis).content.decode()
    alert = html.split('data-color="danger" role="status"')[1].split("</div>")[0]
    assert "Folkehelseinstituttet" in alert and "550" in alert and "No such user" in alert
    assert "Direktoratet for medisinske produkter" not in alert
    assert "vakt@dmp.test" in html and "dogn@fhi.test" in html
    assert "Eskalert til kontaktpunkt 1" in html


def test_a_recipient_sees_only_her_own_organisations_delivery(crisis, failed_notice):
    _n, _fhi, dmp = failed_notice
    html = _page(dmp, crisis).content.decode()
    assert "vakt@dmp.test" in html
    assert "borte@fhi.test" not in html and "dogn@fhi.test" not in html


def test_an_outsider_does_not_see_the_notification_page(crisis, failed_notice, outsider):
    assert _page(outsider, crisis).status_code == 404


def test_the_api_gives_every_delivery_with_status_and_reason(
    crisis, coordinator, failed_notice, client
):
    n, _fhi, dmp = failed_notice
    url = f"/api/v1/crises/{crisis.pk}/notifications/{n.pk}/deliveries"
    body = client.get(url, **token_for(coordinator)).json()
    assert body["unreached"] == ["Folkehelseinstituttet"]
    fhi = next(r for r in body["recipients"] if r["organisation"] == "Folkehelseinstituttet")
    assert fhi["state"] == "unreached" and fhi["escalation_step"] == 1
    email = next(d for d in fhi["deliveries"] if d["address"] == "borte@fhi.test")
    assert email["status"] == "failed" and email["error"].startswith("550")
    listed = client.get(
        f"/api/v1/crises/{crisis.pk}/notifications", **token_for(coordinator)
    ).json()
    assert listed[0]["with_failures"] == 1
    own = client.get(url, **token_for(dmp)).json()
    assert [r["organisation"] for r in own["recipients"]] == [
        "Direktoratet for medisinske produkter"
    ]


def test_the_api_refuses_a_send_that_would_reach_nobody_naming_the_organisation(
    crisis, coordinator, org, client, contact_point
):
    contact_point(org("FHI"), "email", "dogn@fhi.test")
    payload = {
        "title": "V",
        "text": "T",
        "organisation_ids": [org("FHI").pk, org("Narvik kommune").pk],
    }
    response = client.post(
        f"/api/v1/crises/{crisis.pk}/notifications",
        payload,
        content_type="application/json",
        **token_for(coordinator),
    )
    assert response.status_code == 400
    detail = str(response.json()["detail"])
    assert "Narvik kommune" in detail and "Folkehelseinstituttet" not in detail


def test_the_form_refuses_a_send_that_would_reach_nobody_and_keeps_what_was_typed(
    crisis, coordinator, org
):
    client = verified_client(coordinator)
    data = {
        "notify-title": "Skrevet tittel",
        "notify-text": "Skrevet tekst",
        "notify-organisations": [org("Narvik kommune").pk],
        "notify-ack_within_minutes": 30,
    }
    html = client.post(
        reverse("operations:notify", args=[crisis.pk]), data, follow=True
    ).content.decode()
    assert "ville ikke nå noen i: Narvik kommune" in html
    assert 'value="Skrevet tittel"' in html
    assert "Varselet er sendt" not in html
