"""Notification: delivery per recipient and channel, acknowledgement, retries with backoff and
escalation along the organisation's contact points in their order."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beredskap.actors.models import Body
from beredskap.core.errors import PermissionDenied
from beredskap.operations import queries
from beredskap.operations.models import CrisisLogEntry, Delivery, NotificationRecipient
from beredskap.operations.services import delivery
from beredskap.operations.services import notification as notify
from tests.factories import make_user
from tests.fakeservers import free_port


def _with_email(user, address):  # type: ignore[no-untyped-def]
    user.person.email = address
    user.person.save()
    return user


@pytest.fixture
def reachable(org, contact_point):  # type: ignore[no-untyped-def]
    """FHI and DMP can be reached: each has a duty e-mail as its first contact point."""
    contact_point(org("FHI"), "email", "dogn@fhi.test")
    contact_point(org("DMP"), "email", "dogn@dmp.test")


def _send(crisis, by, orgs, **extra):  # type: ignore[no-untyped-def]
    extra.setdefault("title", "Varsel")
    extra.setdefault("text", "Tekst")
    return notify.send_notification(by=by, crisis=crisis, organisations=orgs, **extra)


def test_notifying_the_council_emails_its_members_through_real_smtp(
    crisis, coordinator, org, smtp_server, contact_point, django_capture_on_commit_callbacks
):
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    council = Body.objects.get(slug="helseberedskapsradet")
    for member in council.memberships.exclude(organisation=None).select_related("organisation"):
        contact_point(member.organisation, "email", f"post{member.organisation_id}@org.test")
    contact_point(council.lead_org, "email", "lead@org.test")
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
    assert "Rådet innkalles" in body and "Møte kl 14" in body and "/krise/varsler/" in body
    assert Delivery.objects.filter(channel="email", address="vakt@fhi.test", status="sent").exists()


def test_each_recipient_has_an_in_app_and_an_email_record_with_its_outcome(
    crisis, coordinator, org, smtp_server, reachable, django_capture_on_commit_callbacks
):
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    _with_email(make_user("fhi2", org("FHI"), clearance=1), "borte@fhi.test")
    smtp_server.refuse.add("borte@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        n = _send(crisis, coordinator, [org("FHI")])
    rows = {(d.channel, d.address): d for d in Delivery.objects.filter(recipient__notification=n)}
    assert rows[("in_app", "")].status == "sent"
    assert rows[("email", "vakt@fhi.test")].status == "sent"
    refused = rows[("email", "borte@fhi.test")]
    assert refused.status == "failed" and "550" in refused.error and "No such user" in refused.error
    assert refused.next_attempt_at is None  # a refused recipient is not tried again
    assert notify.ack_status(n)["with_failures"] == 1
    assert not n.recipients.get().escalation_step  # the other address reached FHI


def test_a_graded_notification_sends_no_content_by_email(
    crisis, coordinator, org, smtp_server, reachable, django_capture_on_commit_callbacks
):
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        _send(crisis, coordinator, [org("FHI")], text="HEMMELIG INNHOLD X", classification=1)
    body = smtp_server.messages[0][1]
    assert "HEMMELIG INNHOLD X" not in body and "gradert" in body


def test_exercise_notifications_are_marked_ovelse(
    make_crisis, coordinator, org, smtp_server, reachable, django_capture_on_commit_callbacks
):
    exercise = make_crisis("Øvelse", exercise=True)
    _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        _send(exercise, coordinator, [org("FHI")])
    assert "ØVELSE" in smtp_server.messages[0][1]


def test_acknowledgements_are_tracked_and_only_members_may_acknowledge(
    crisis, coordinator, org, reachable
):
    n = _send(crisis, coordinator, [org("FHI"), org("DMP")])
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    fhi_row = n.recipients.get(organisation=org("FHI"))
    assert list(queries.my_unacknowledged(fhi_user)) == [fhi_row]
    with pytest.raises(PermissionDenied):
        notify.acknowledge(by=make_user("dmp", org("DMP"), clearance=1), recipient=fhi_row)
    notify.acknowledge(by=fhi_user, recipient=fhi_row)
    notify.acknowledge(by=fhi_user, recipient=fhi_row)
    assert notify.ack_status(n) == {
        "total": 2,
        "acknowledged": 1,
        "waiting": 1,
        "escalated": 0,
        "with_failures": 0,
    }
    assert not queries.my_unacknowledged(fhi_user).exists()
    assert CrisisLogEntry.objects.filter(crisis=crisis, kind="acknowledgement").count() == 1


def test_acknowledging_marks_what_reached_the_organisation_and_stops_retries(
    crisis, coordinator, org, reachable, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    fhi_user = _with_email(make_user("fhi", org("FHI"), clearance=1), "vakt@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        n = _send(crisis, coordinator, [org("FHI")])
    row = n.recipients.get()
    failed = row.deliveries.get(channel="email")
    assert failed.status == "failed" and failed.next_attempt_at is not None
    notify.acknowledge(by=fhi_user, recipient=row)
    assert row.deliveries.get(channel="in_app").status == "acknowledged"
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.next_attempt_at is None
    assert delivery.retry_due(now=timezone.now() + timedelta(hours=1)) == 0


def test_notified_organisations_get_need_to_know_of_the_crisis(crisis, coordinator, org, reachable):
    fhi_user = make_user("fhi", org("FHI"), clearance=1)
    assert not queries.crises(fhi_user).exists()
    _send(crisis, coordinator, [org("FHI")])
    assert queries.crises(fhi_user).exists()


def test_a_send_that_would_reach_nobody_is_refused_naming_the_organisations(
    crisis, coordinator, org, reachable
):
    _with_email(make_user("bodo", org("Bodø kommune"), clearance=1), "post@bodo.test")
    with pytest.raises(ValidationError) as refused:
        _send(crisis, coordinator, [org("FHI"), org("Narvik kommune"), org("Bodø kommune")])
    message = " ".join(refused.value.messages)
    assert "Narvik kommune" in message
    assert "Folkehelseinstituttet" not in message and "Bodø kommune" not in message
    assert not NotificationRecipient.objects.exists()


def test_unacknowledged_notifications_escalate_along_the_contact_points_in_order(
    crisis, coordinator, org, smtp_server, contact_point, django_capture_on_commit_callbacks
):
    dmp = org("DMP")
    _with_email(make_user("dmp", dmp, clearance=1), "leder@dmp.test")
    contact_point(dmp, "email", "andre@dmp.test", order=2)
    contact_point(dmp, "email", "forste@dmp.test", order=1)
    contact_point(org("FHI"), "email", "dogn@fhi.test")
    with django_capture_on_commit_callbacks(execute=True):
        n = _send(crisis, coordinator, [dmp, org("FHI")], ack_within_minutes=30)
    notify.acknowledge(
        by=make_user("fhi", org("FHI"), clearance=1),
        recipient=n.recipients.get(organisation=org("FHI")),
    )
    start = n.sent_at
    assert notify.escalate_overdue(now=start + timedelta(minutes=29)) == 0
    assert notify.escalate_overdue(now=start + timedelta(minutes=31)) == 1
    assert notify.escalate_overdue(now=start + timedelta(minutes=60)) == 0
    row = NotificationRecipient.objects.get(notification=n, organisation=dmp)
    assert row.escalation_step == 1 and row.escalated_at == start + timedelta(minutes=31)
    assert row.deliveries.get(address="leder@dmp.test").status == "escalated"
    first = row.deliveries.get(address="forste@dmp.test")
    assert first.escalation and first.step == 1 and first.status == "sent"
    assert not row.deliveries.filter(address="andre@dmp.test").exists()
    assert notify.escalate_overdue(now=start + timedelta(minutes=62)) == 1
    assert row.deliveries.get(address="andre@dmp.test").step == 2
    assert notify.escalate_overdue(now=start + timedelta(minutes=200)) == 0  # none left
    subjects = [b.split("\n")[0] for rcpt, b in smtp_server.messages if "forste@dmp.test" in rcpt]
    assert subjects == ["ESKALERT: Varsel"]
    assert not NotificationRecipient.objects.get(
        notification=n, organisation=org("FHI")
    ).escalated_at
    assert CrisisLogEntry.objects.filter(crisis=crisis, kind="escalation").count() == 2


def test_a_refused_email_escalates_at_once_to_the_first_contact_point_by_sms(
    crisis,
    coordinator,
    org,
    smtp_server,
    sms_gateway,
    contact_point,
    django_capture_on_commit_callbacks,
):
    dmp = org("DMP")
    _with_email(make_user("dmp", dmp, clearance=1), "borte@dmp.test")
    smtp_server.refuse.add("borte@dmp.test")
    contact_point(dmp, "sms", "+4791234567", label="Vakthavende")
    with django_capture_on_commit_callbacks(execute=True):
        n = _send(crisis, coordinator, [dmp])
    row = n.recipients.get()
    assert row.escalation_step == 1
    sms = row.deliveries.get(channel="sms")
    assert sms.status == "sent" and sms.address == "+4791234567" and sms.escalation
    assert [r["json"]["to"] for r in sms_gateway.received] == ["+4791234567"]
    assert "ESKALERT" in sms_gateway.received[0]["json"]["text"]


def test_temporary_failures_are_retried_with_backoff_then_escalated(
    crisis,
    coordinator,
    org,
    settings,
    sms_gateway,
    contact_point,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    dmp = org("DMP")
    _with_email(make_user("dmp", dmp, clearance=1), "leder@dmp.test")
    contact_point(dmp, "duty_phone", "+4798765432")
    with django_capture_on_commit_callbacks(execute=True):
        n = _send(crisis, coordinator, [dmp], ack_within_minutes=600)
    email = Delivery.objects.get(recipient__notification=n, channel="email")
    assert (email.status, email.attempts) == ("failed", 1)
    at = email.at
    assert delivery.retry_due(now=at + timedelta(seconds=59)) == 0
    for wait in delivery.RETRY_BACKOFF:
        email.refresh_from_db()
        assert email.next_attempt_at == email.at + wait
        assert delivery.retry_due(now=email.next_attempt_at) == 1
    email.refresh_from_db()
    assert email.attempts == delivery.MAX_ATTEMPTS and email.next_attempt_at is None
    assert "refused" in email.error.lower()
    row = NotificationRecipient.objects.get(notification=n)
    assert row.escalation_step == 1
    assert [r["json"]["to"] for r in sms_gateway.received] == ["+4798765432"]


def test_the_escalation_task_and_command_run_the_same_rule(crisis, coordinator, org, contact_point):
    from django.core.management import call_command

    from beredskap.operations.tasks import escalate_notifications

    contact_point(org("DMP"), "email", "dogn@dmp.test")
    n = _send(crisis, coordinator, [org("DMP")], ack_within_minutes=1)
    n.sent_at = timezone.now() - timedelta(minutes=5)
    n.save()
    result = escalate_notifications.enqueue()
    assert result.return_value == 1
    call_command("escalate_notifications")
    assert (
        NotificationRecipient.objects.filter(notification=n).exclude(escalated_at=None).count() == 1
    )


def test_a_notification_without_recipients_or_with_a_silly_deadline_is_refused(
    crisis, coordinator, org, reachable
):
    with pytest.raises(ValidationError):
        notify.send_notification(by=coordinator, crisis=crisis, title="V", text="T")
    with pytest.raises(ValidationError):
        _send(crisis, coordinator, [org("FHI")], ack_within_minutes=0)
