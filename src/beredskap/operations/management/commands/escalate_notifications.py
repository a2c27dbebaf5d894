"""Periodic delivery work of notifications (`beredskap escalate_notifications`, every minute):
failed deliveries are retried when their backoff has passed, and unacknowledged notifications
past their deadline escalate to the organisation's next contact point; requests to reserve
personnel not answered by their deadline go to the next candidate."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError, connections


class Command(BaseCommand):
    help = (
        "Prøv feilede leveringer igjen, eskaler ukvitterte varsler til neste kontaktpunkt og "
        "send ubesvarte forespørsler til reservepersonell videre."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="run again every SECONDS until stopped (what `beredskap serve` does)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(0, options.get("every") or 0)
        while True:
            try:
                self.run_once()
            except (OperationalError, InterfaceError) as exc:
                if not every:
                    raise
                self.stderr.write(f"Databasen er utilgjengelig ({exc}); prøver igjen.")
                connections.close_all()
            if not every:
                return
            time.sleep(every)

    def run_once(self) -> None:
        from beredskap.operations.services.mobilisation import expire_overdue
        from beredskap.operations.services.notification import escalate_overdue

        count = escalate_overdue()
        expired = expire_overdue()
        self.stdout.write(
            f"{count} varsler eskalert; {expired} forespørsler til reservepersonell gikk ut."
        )
