"""The delivery overview of a crisis's notifications: per notification, who was reached, who
was not and why — computed from the delivery records (a status is never typed)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from beredskap.operations import queries
from beredskap.operations.models import Crisis
from beredskap.operations.services.delivery import recipient_state


def delivery_overview(user: Any, crisis: Crisis, limit: int = 50) -> list[dict[str, Any]]:
    """Newest first: each notification with its recipient rows and those not reached on top."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    notes = {}
    for recipient in queries.notification_recipients(user, crisis):
        deliveries = list(recipient.deliveries.all())
        notes[recipient.notification_id] = recipient.notification
        grouped[recipient.notification_id].append(
            {"recipient": recipient, "deliveries": deliveries}
            | recipient_state(recipient, deliveries)
        )
    ordered = sorted(notes.values(), key=lambda n: n.sent_at, reverse=True)[:limit]
    return [
        {
            "notification": n,
            "rows": grouped[n.pk],
            "unreached": [r for r in grouped[n.pk] if r["state"] == "unreached"],
            "with_failures": [r for r in grouped[n.pk] if r["failed"]],
        }
        for n in ordered
    ]
