"""Start-page panel: reminders my organisations have received and not yet acknowledged."""

from __future__ import annotations

from typing import Any

from beredskap.actors import reminders


def start_panels(user: Any) -> list[dict[str, Any]]:
    open_reminders = list(reminders.received(user).filter(acknowledged_at__isnull=True)[:10])
    if not open_reminders:
        return []
    return [{"template": "actors/_reminders_panel.html", "reminders": open_reminders}]
