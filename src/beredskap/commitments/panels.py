"""Start-page panel: commitments my organisations are responsible for that are overdue or due within
60 days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from beredskap.commitments import queries
from beredskap.commitments.models import CommitmentStatus
from beredskap.core.access import access_context


def start_panels(user: Any) -> list[dict[str, Any]]:
    orgs = access_context(user).member_org_ids
    today = timezone.localdate()
    due = (
        queries.commitments(user)
        .filter(
            responsible_org_id__in=orgs,
            due_date__lte=today + timedelta(days=60),
            status__in=[CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS],
        )
        .order_by("due_date")
    )
    rows = list(due[:10])
    if not rows:
        return []
    return [{"template": "commitments/_start_panel.html", "commitments": rows, "today": today}]
