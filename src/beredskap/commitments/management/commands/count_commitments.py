"""Count the commitments in the source texts step by step: the count the seeded data must match."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beredskap.commitments import loader, seeds, seeds_prose

LABELS = {
    "list_heads": "«Regjeringen vil:»-lister",
    "list_items": "punkter i listene",
    "running_text_sentences": "setninger «Regjeringen vil …» i løpende tekst",
    "about_the_paper": "  av dem om meldingen selv («i denne meldingen»)",
    "restating_a_list_item": "  av dem gjentar et listepunkt i samme punkt",
    "running_text_commitments": "forpliktelser i løpende tekst",
}


class Command(BaseCommand):
    help = "Tell forpliktelsene i Meld. St. 5 og Helsedirektoratets tiltak fra kildeteksten."

    def add_arguments(self, parser):
        parser.add_argument("seed_dir", type=Path, help="Mappen med kildedokumentene.")

    def handle(self, *args, **options):
        seed_dir = options["seed_dir"]
        paper = seed_dir / loader.WHITE_PAPER_FILE
        if not paper.exists():
            raise CommandError(f"Fant ikke {loader.WHITE_PAPER_FILE} i {seed_dir}")
        counts = seeds_prose.tally(paper.read_text(encoding="utf-8"))
        measures = seeds.parse_directorate_measures(
            (seed_dir / loader.DIRECTORATE_FILE).read_text(encoding="utf-8")
        )
        for key, label in LABELS.items():
            self.stdout.write(f"{counts[key]:4d}  {label}")
        self.stdout.write(f"{len(measures):4d}  Helsedirektoratets tiltak")
        total = counts["list_items"] + counts["running_text_commitments"] + len(measures)
        self.stdout.write(f"{total:4d}  i alt")
