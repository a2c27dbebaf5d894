"""Start-page panel: overdue actions the user's organisations own or are responsible for."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from beredskap.exercises import queries


def start_panels(user: Any) -> list[dict[str, Any]]:
    overdue = queries.my_overdue_actions(user)
    rows = list(overdue[:10])
    if not rows:
        return []
    return [
        {
            "template": "exercises/_start_panel.html",
            "actions": rows,
            "count": overdue.count(),
            "today": timezone.localdate(),
        }
    ]
