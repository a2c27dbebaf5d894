"""Reminders: a statsforvalter follows up her municipalities (Meld. St. 5 (2023–2024) 2.3)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from beredskap.actors import reminders
from beredskap.actors.models import Reminder
from beredskap.core.errors import PermissionDenied
from tests.factories import make_user, verified_client

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def adviser(org):
    return make_user("radgiver", org("Statsforvalteren i Nordland"), role="reporter")


@pytest.fixture
def bodo_reporter(org):
    user = make_user("bodo", org("Bodø kommune"), role="reporter")
    user.person.email = "beredskap@bodo.example"
    user.person.save()
    return user


def test_statsforvalter_reminds_her_municipality_in_app_and_by_email(
    adviser, bodo_reporter, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_reminder(
            by=adviser, to_org=org("Bodø kommune"), topic="ROS-analysen er forfalt", link="/risiko/"
        )
    assert [m.to for m in mail.outbox] == [["beredskap@bodo.example"]]
    assert "ROS-analysen er forfalt" in mail.outbox[0].subject
    assert "http://127.0.0.1:8000/risiko/" in mail.outbox[0].body
    start = verified_client(bodo_reporter).get("/").content.decode()
    assert "ROS-analysen er forfalt" in start and (
        "SFNO" in start or "Statsforvalteren i Nordland" in start
    )
    assert Reminder.objects.get().recipients == 1


def test_statsforvalter_cannot_remind_a_municipality_outside_her_counties(adviser, org):
    with pytest.raises(PermissionDenied):
        reminders.send_reminder(by=adviser, to_org=org("Oslo kommune"), topic="ROS")
    assert not Reminder.objects.exists()


def test_a_municipality_cannot_remind_its_statsforvalter(bodo_reporter, org):
    with pytest.raises(PermissionDenied):
        reminders.send_reminder(
            by=bodo_reporter, to_org=org("Statsforvalteren i Nordland"), topic="Hei"
        )


@pytest.mark.parametrize(
    "topic, link", [("", ""), ("x" * 201, ""), ("ROS", "https://evil.example/"), ("ROS", "//evil")]
)
def test_bad_reminders_are_refused_with_a_reason(adviser, org, topic, link):
    with pytest.raises(ValidationError):
        reminders.send_reminder(by=adviser, to_org=org("Bodø kommune"), topic=topic, link=link)
    assert not Reminder.objects.exists()


def test_the_same_reminder_is_not_sent_twice_the_same_day(adviser, bodo_reporter, org):
    reminders.send_reminder(by=adviser, to_org=org("Bodø kommune"), topic="Planen er ikke øvd")
    with pytest.raises(ValidationError):
        reminders.send_reminder(by=adviser, to_org=org("Bodø kommune"), topic="Planen er ikke øvd")
    reminders.send_reminder(by=adviser, to_org=org("Bodø kommune"), topic="ROS-analysen er forfalt")
    assert Reminder.objects.count() == 2


def test_reminder_is_sent_from_the_organisation_page_and_acknowledged_by_the_municipality(
    adviser, bodo_reporter, org
):
    bodo = org("Bodø kommune")
    page = verified_client(adviser).get(f"/aktorer/organisasjoner/{bodo.pk}/").content.decode()
    assert "Send påminnelse" in page
    response = verified_client(adviser).post(
        f"/aktorer/organisasjoner/{bodo.pk}/paminnelse/",
        {"topic": "Oppdater beredskapsplanen", "next": "/"},
        follow=True,
    )
    assert "e-post går til 1 mottakere" in response.content.decode()
    municipality = verified_client(bodo_reporter)
    reminder = Reminder.objects.get()
    municipality.post("/aktorer/paminnelser/", {"acknowledge": reminder.pk})
    reminder.refresh_from_db()
    assert reminder.acknowledged_by == bodo_reporter
    assert "Oppdater beredskapsplanen" not in municipality.get("/").content.decode()


def test_others_neither_see_nor_acknowledge_a_reminder(adviser, bodo_reporter, org):
    reminders.send_reminder(by=adviser, to_org=org("Bodø kommune"), topic="Hemmelig tema")
    outsider = verified_client(make_user("tromso", org("Tromsø kommune"), role="reporter"))
    assert "Hemmelig tema" not in outsider.get("/aktorer/paminnelser/").content.decode()
    assert (
        outsider.post(
            "/aktorer/paminnelser/", {"acknowledge": Reminder.objects.get().pk}
        ).status_code
        == 404
    )
    page = outsider.get(f"/aktorer/organisasjoner/{org('Bodø kommune').pk}/").content.decode()
    assert "Send påminnelse" not in page
