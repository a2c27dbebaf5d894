"""A reminder reaches someone or is refused: it goes by e-mail to the organisation's users and
its contact points, each address recorded as sent or failed with the server's reason, shown to
the sender (DESIGN rule 12). Tested against a real local SMTP server."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from beredskap.actors import reminders
from beredskap.actors.models import ContactPoint, Person, Reminder, ReminderDelivery
from beredskap.planning import services as planning_services
from tests.factories import make_user, verified_client


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on a free port; it refuses any recipient at avvist.test, as a real server would."""
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.rcpts: list[str] = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
            if address.endswith("@avvist.test"):
                return "550 5.1.1 Mailbox unavailable"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.rcpts.extend(envelope.rcpt_tos)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield inbox
    controller.stop()


@pytest.fixture
def sf(org):
    return make_user("sfadviser", org("Statsforvalteren i Nordland"), role="reporter")


def test_a_reminder_to_an_organisation_nobody_can_be_reached_at_is_refused(sf, org):
    narvik = org("Narvik kommune")
    assert reminders.recipients(narvik) == []
    with pytest.raises(Exception, match="ville ikke nådd noen"):
        reminders.send_reminder(by=sf, to_org=narvik, topic="ROS-analysen er forfalt")
    assert not Reminder.objects.exists()
    client = verified_client(sf)
    page = client.post(
        "/planverk/etterlevelse/kommune/1806/paminnelse/",
        {"topic": "Helhetlig ROS mangler"},
        follow=True,
    ).content.decode()
    assert "ville ikke nådd noen" in page and "sendt til" not in page
    assert not Reminder.objects.exists()
    table = client.get("/planverk/etterlevelse/").content.decode()
    unreachable = table.split('id="unreachable"')[1].split("</ul>")[0]
    assert "Narvik" in unreachable


def test_a_reminder_reaches_the_contact_point_and_the_users_and_records_each_address(
    sf, org, smtp_server, django_capture_on_commit_callbacks
):
    narvik = org("Narvik kommune")
    ContactPoint.objects.create(organisation=narvik, kind="email", value="beredskap@narvik.test")
    ContactPoint.objects.create(organisation=narvik, kind="email", value="gammel@avvist.test")
    user = make_user("narvikbruker", narvik, role="reporter")
    Person.objects.filter(user=user).update(email="ola@narvik.test")
    client = verified_client(sf)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/planverk/etterlevelse/kommune/1806/paminnelse/",
            {"topic": "Helhetlig ROS mangler"},
            follow=True,
        )
    assert sorted(smtp_server.rcpts) == ["beredskap@narvik.test", "ola@narvik.test"]
    rows = {d.address: d for d in ReminderDelivery.objects.all()}
    assert rows["beredskap@narvik.test"].status == "sent"
    assert rows["beredskap@narvik.test"].source == "contact_point"
    assert rows["ola@narvik.test"].status == "sent" and rows["ola@narvik.test"].source == "user"
    assert rows["gammel@avvist.test"].status == "failed"
    assert "550" in rows["gammel@avvist.test"].error
    page = response.content.decode()  # the mail went out after the response (on commit)
    assert "e-post går til 3 mottakere" in page and "er sendt" not in page
    level, text = reminders.outcome(Reminder.objects.get())
    assert (
        level == "warning" and "sendt til 2 av 3 mottakere" in text and "gammel@avvist.test" in text
    )
    sent = client.get("/aktorer/paminnelser/").content.decode().split('id="sent"')[1]
    assert "Feilet" in sent and "Mailbox unavailable" in sent and "beredskap@narvik.test" in sent


def test_the_compliance_table_offers_one_click_reminders_for_each_deviation(sf, org):
    narvik = org("Narvik kommune")
    ContactPoint.objects.create(organisation=narvik, kind="email", value="beredskap@narvik.test")
    writer = make_user("narvik", narvik, role="administrator")
    today = timezone.localdate()
    planning_services.create_plan(
        by=writer,
        owner_org=narvik,
        title="Overordnet Narvik",
        plan_type="overall",
        approved_on=today - timedelta(days=365 * 5),
    )
    table = verified_client(sf).get("/planverk/etterlevelse/").content.decode()
    row = table.split('href="/planverk/etterlevelse/kommune/1806/"')[1].split("</tr>")[0]
    for topic in (
        "Helhetlig ROS-analyse mangler",
        "Revisjon av beredskapsplan er forfalt: Overordnet beredskapsplan",
        "Beredskapsplan mangler",
        "ikke øvd de siste to årene",
    ):
        assert topic in row
    assert "Kan ikke nås" not in row
    other = table.split('href="/planverk/etterlevelse/kommune/1804/"')[1].split("</tr>")[0]
    assert "Kan ikke nås" in other and "<form" not in other  # Bodø has nobody to reach
