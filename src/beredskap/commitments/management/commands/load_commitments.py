"""Load every commitment of the white paper and every measure of the Directorate's list."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beredskap.commitments import loader


class Command(BaseCommand):
    help = "Last inn regjeringens forpliktelser og Helsedirektoratets tiltak (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-seeds", type=Path, help="Les kildedokumentene direkte fra denne mappen."
        )
        parser.add_argument(
            "--write-shipped",
            action="store_true",
            help="Skriv uttrekket til den medfølgende JSON-filen (med --from-seeds).",
        )

    def handle(self, *args, **options):
        rows = None
        if options["from_seeds"]:
            seed_dir = options["from_seeds"]
            if not (seed_dir / loader.WHITE_PAPER_FILE).exists():
                raise CommandError(f"Fant ikke {loader.WHITE_PAPER_FILE} i {seed_dir}")
            rows = loader.extract(seed_dir)
            if options["write_shipped"]:
                loader.write_shipped(rows)
        created, updated = loader.load_commitments(rows)
        self.stdout.write(f"{created} nye, {updated} oppdaterte forpliktelser.")
