"""The delivery rule for any mix of answers from the outside (the SMTP and SMS servers are the
boundary, replaced here by a channel that answers as drawn): retries never exceed the limit,
escalation never goes past the last contact point, and an organisation counts as reached only
if some delivery to it was sent."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beredskap.core.channels import Channel, DeliveryResult, OutgoingMessage
from beredskap.operations.models import Delivery, NotificationRecipient
from beredskap.operations.services import delivery
from beredskap.operations.services import notification as notify
from tests.factories import make_user

SERIAL = itertools.count()
ANSWERS = st.sampled_from(["ok", "temporary", "permanent"])


class Scripted(Channel):
    """Answers each send with the next drawn answer ("ok" once the script is used up)."""

    def __init__(self, name: str, script: list[str]) -> None:
        self.name, self.script = name, list(script)

    def send(self, message: OutgoingMessage) -> list[DeliveryResult]:
        answer = self.script.pop(0) if self.script else "ok"
        return [
            DeliveryResult(
                address=a,
                ok=answer == "ok",
                error="" if answer == "ok" else f"{answer} failure",
                permanent=answer == "permanent",
            )
            for a in message.addresses
        ]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    points=st.integers(min_value=0, max_value=3),
    script=st.lists(ANSWERS, max_size=12),
    minutes=st.lists(st.integers(min_value=0, max_value=90), max_size=8),
)
def test_any_sequence_of_answers_keeps_the_delivery_rule(
    crisis, coordinator, org, monkeypatch, points, script, minutes
):  # type: ignore[no-untyped-def]
    from beredskap.actors.models import ContactPoint

    dmp = org("DMP")
    NotificationRecipient.objects.filter(organisation=dmp).delete()
    ContactPoint.objects.filter(organisation=dmp).delete()
    user = make_user(f"dmp{next(SERIAL)}", dmp, clearance=1)
    user.person.email = "leder@dmp.test"
    user.person.save()
    for order in range(1, points + 1):
        ContactPoint.objects.create(
            organisation=dmp, kind="email", value=f"p{order}@dmp.test", order=order
        )
    channel = Scripted("email", script)
    monkeypatch.setitem(delivery.CHANNELS, "email", channel)
    n = notify.send_notification(
        by=coordinator,
        crisis=crisis,
        title="V",
        text="T",
        organisations=[dmp],
        ack_within_minutes=30,
    )
    delivery.first_send(n.recipients.get(), now=n.sent_at)
    at = n.sent_at
    for step in minutes:
        at += timedelta(minutes=step)
        notify.escalate_overdue(now=at)
    row = NotificationRecipient.objects.get(notification=n)
    rows = list(Delivery.objects.filter(recipient=row))
    assert row.escalation_step <= points
    assert all(d.attempts <= delivery.MAX_ATTEMPTS for d in rows)
    assert all(d.next_attempt_at is None for d in rows if d.status != "failed")
    assert {d.step for d in rows} <= set(range(points + 1))
    state = delivery.recipient_state(row, rows)["state"]
    sent = any(d.status in ("sent", "escalated") for d in rows if d.channel != "in_app")
    assert (state == "reached") == sent
    if state == "unreached":
        assert row.escalation_step == points  # every contact point was tried
