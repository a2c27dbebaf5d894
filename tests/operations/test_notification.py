"""Notification with acknowledgement and escalation to the 24/7 contact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from beredskap.actors.models import Body
from beredskap.core.errors import PermissionDenied
from beredskap.operations import queries
from beredskap.operations.models import CrisisLogEntry, Delivery, NotificationRecipient
from beredskap.operations.services import notification as notify
from tests.factories import make_user


def _with_email(user, address):  # type: ignore[no-untyped-def]
    user.person.email = address
    user.person.save()
    return user


def test_notifying_the_council_emails_its_members_through_real_smtp(
    crisis, coordinator, org, smtp_server, django_capture_on_commit_callbacks
):
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    council = Body.objects.get(slug="helseberedskapsradet")
    with django_capture_on_commit_callbacks(execute=True):
        n = notify.send_notification(
            by=coordinator,
            crisis=crisis,
            title="Rådet innkalles",
            text="Møte kl 14",
            bodies=[council],
        )
    assert n.recipients.filter(organisation=org("FHI")).exists()
    rcpts = [r for rcpt, _body in smtp_server.messages for r in rcpt]
    assert "vakt@fhi.test" in rcpts
    body = next(b for rcpt, b in smtp_server.messages if "vakt@fhi.test" in rcpt)
    assert "Rådet innkalles" in body and "Møte kl 14" in body
    assert Delivery.objects.filter(channel="email", address="vakt@fhi.test", status="sent").exists()


def test_a_graded_notification_sends_no_content_by_email(
    crisis, coordinator, org, smtp_server, django_capture_on_commit_callbacks
):
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_notification(
            by=coordinator,
            crisis=crisis,
            title="Gradert",
            text="HEMMELIG INNHOLD X",
            organisations=[org("FHI")],
            classification=1,
        )
    body = smtp_server.messages[0][1]
    assert "HEMMELIG INNHOLD X" not in body and "gradert" in body


def test_exercise_notifications_are_marked_ovelse(
    make_crisis, coordinator, org, smtp_server, django_capture_on_commit_callbacks
):
    exercise = make_crisis("Øvelse", exercise=True)
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        notify.send_notification(
            by=coordinator, crisis=exercise, title="Test", text="Tekst", organisations=[org("FHI")]
        )
    assert "ØVELSE" in smtp_server.messages[0][1]


def test_acknowledgements_are_tracked_and_only_members_may_acknowledge(crisis, coordinator, org):
    n = notify.send_notification(
        by=coordinator,
        crisis=crisis,
        title="Varsel",
        text="Tekst",
        organisations=[org("FHI"), org("DMP")],
    )
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    fhi_row = n.recipients.get(organisation=org("FHI"))
    assert list(queries.my_unacknowledged(fhi_user)) == [fhi_row]
    with pytest.raises(PermissionDenied):
        notify.acknowledge(by=make_user("dmp", org("DMP"), clearance=1), recipient=fhi_row)
    notify.acknowledge(by=fhi_user, recipient=fhi_row)
    notify.acknowledge(by=fhi_user, recipient=fhi_row)
    assert notify.ack_status(n) == {"total": 2, "acknowledged": 1, "waiting": 1, "escalated": 0}
    assert not queries.my_unacknowledged(fhi_user).exists()
    assert CrisisLogEntry.objects.filter(crisis=crisis, kind="acknowledgement").count() == 1


def test_notified_organisations_get_need_to_know_of_the_crisis(crisis, coordinator, org):
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    assert not queries.crises(fhi_user).exists()
    notify.send_notification(
        by=coordinator, crisis=crisis, title="V", text="T", organisations=[org("FHI")]
    )
    assert queries.crises(fhi_user).exists()


def test_unacknowledged_notifications_escalate_to_the_24_7_contact_once_after_the_deadline(
    crisis, coordinator, org, smtp_server, django_capture_on_commit_callbacks
):
    dmp = org("DMP")
    dmp.contact_24_7_email = "dogn@dmp.test"
    dmp.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = notify.send_notification(
            by=coordinator,
            crisis=crisis,
            title="Mangel",
            text="Tekst",
            organisations=[dmp, org("FHI")],
            ack_within_minutes=30,
        )
    notify.acknowledge(
        by=make_user("fhi", org("FHI"), clearance=1),
        recipient=n.recipients.get(organisation=org("FHI")),
    )
    start = n.sent_at
    assert notify.escalate_overdue(now=start + timedelta(minutes=29)) == 0
    assert notify.escalate_overdue(now=start + timedelta(minutes=31)) == 1
    assert notify.escalate_overdue(now=start + timedelta(minutes=60)) == 0
    row = NotificationRecipient.objects.get(notification=n, organisation=dmp)
    assert row.escalated_at == start + timedelta(minutes=31)
    assert any("dogn@dmp.test" in rcpt for rcpt, _b in smtp_server.messages)
    assert Delivery.objects.filter(recipient=row, escalation=True, address="dogn@dmp.test").exists()
    assert not NotificationRecipient.objects.get(
        notification=n, organisation=org("FHI")
    ).escalated_at


def test_the_escalation_task_and_command_run_the_same_rule(crisis, coordinator, org):
    from django.core.management import call_command

    from beredskap.operations.tasks import escalate_notifications

    n = notify.send_notification(
        by=coordinator,
        crisis=crisis,
        title="V",
        text="T",
        organisations=[org("DMP")],
        ack_within_minutes=1,
    )
    n.sent_at = timezone.now() - timedelta(minutes=5)
    n.save()
    result = escalate_notifications.enqueue()
    assert result.return_value == 1
    call_command("escalate_notifications")
    assert (
        NotificationRecipient.objects.filter(notification=n).exclude(escalated_at=None).count() == 1
    )


def test_a_notification_without_recipients_or_with_a_silly_deadline_is_refused(
    crisis, coordinator, org
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notify.send_notification(by=coordinator, crisis=crisis, title="V", text="T")
    with pytest.raises(ValidationError):
        notify.send_notification(
            by=coordinator,
            crisis=crisis,
            title="V",
            text="T",
            organisations=[org("FHI")],
            ack_within_minutes=0,
        )
