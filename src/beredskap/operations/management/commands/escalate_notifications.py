"""Periodic delivery work of notifications (`beredskap escalate_notifications`, every minute):
failed deliveries are retried when their backoff has passed, and unacknowledged notifications
past their deadline escalate to the organisation's next contact point; requests to reserve
personnel not answered by their deadline go to the next candidate."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prøv feilede leveringer igjen, eskaler ukvitterte varsler til neste kontaktpunkt og "
        "send ubesvarte forespørsler til reservepersonell videre."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from beredskap.operations.services.mobilisation import expire_overdue
        from beredskap.operations.services.notification import escalate_overdue

        count = escalate_overdue()
        expired = expire_overdue()
        self.stdout.write(
            f"{count} varsler eskalert; {expired} forespørsler til reservepersonell gikk ut."
        )
