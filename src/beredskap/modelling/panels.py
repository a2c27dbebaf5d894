"""Start-page panel: the user's own runs that are running or finished recently."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from beredskap.core.access import access_context
from beredskap.modelling.models import ACTIVE_STATUSES
from beredskap.modelling.queries import runs

MAX_ROWS = 8


def start_panels(user: Any) -> list[dict[str, Any]]:
    """My organisations' active runs and those finished in the last 14 days (visible to me)."""
    context = access_context(user)
    if context.is_anonymous:
        return []
    recent = timezone.now() - timedelta(days=14)
    mine = runs(user).filter(Q(created_by=user) | Q(owner_org_id__in=context.member_org_ids))
    rows = list(mine.filter(Q(status__in=ACTIVE_STATUSES) | Q(finished_at__gte=recent))[:MAX_ROWS])
    if not rows:
        return []
    return [{"template": "modelling/_start_panel.html", "runs": rows}]
