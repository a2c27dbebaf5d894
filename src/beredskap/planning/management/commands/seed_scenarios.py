"""Seed the nuclear dimensioning scenarios (idempotent)."""

from django.core.management.base import BaseCommand

from beredskap.planning.seeds import load_nuclear_scenarios


class Command(BaseCommand):
    help = (
        "Seed the six nuclear dimensioning scenarios (placeholders) and the seventh under "
        "assessment."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{load_nuclear_scenarios()} scenario(s) created")
