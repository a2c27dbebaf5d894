"""Periodic escalation of unacknowledged notifications: `beredskap escalate_notifications`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Eskaler varsler som ikke er kvittert innen fristen til døgnkontakten."

    def handle(self, *args: Any, **options: Any) -> None:
        from beredskap.operations.services.notification import escalate_overdue

        count = escalate_overdue()
        self.stdout.write(f"{count} varsler eskalert.")
