"""Weekly «OBS varsel» e-mails: `beredskap send_obs_varsel` (a timer after the weekly data)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send ukens OBS-varsler til abonnentene (én gang per uke og abonnement)."

    def handle(self, *args: Any, **options: Any) -> None:
        from beredskap.surveillance.subscriptions import send_weekly

        counts = send_weekly()
        labels = {"sent": "sendt", "failed": "feilet", "nothing": "ingenting å varsle"}
        labels["no_address"] = "mangler e-postadresse"
        summary = ", ".join(f"{labels.get(k, k)}: {v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"OBS-varsler – {summary or 'ingen abonnementer å behandle'}.")
