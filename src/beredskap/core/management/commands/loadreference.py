"""Reload the shipped reference data (geography, organisations, bodies) idempotently."""

from django.core.management.base import BaseCommand

from beredskap.actors.reference import load_actors
from beredskap.core.reference import load_geography


class Command(BaseCommand):
    help = (
        "Load or reload reference data: municipalities, counties, health regions, organisations, "
        "bodies."
    )

    def handle(self, *args, **options):
        geo = load_geography()
        actors = load_actors()
        summary = ", ".join(f"{k}={v}" for k, v in {**geo, **actors}.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}"))
