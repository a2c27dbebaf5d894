"""`beredskap import_contact_points FILE --as USERNAME`: the national import from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from beredskap.actors.contactimport import import_contact_points
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import User
from beredskap.core.tabular import read_rows


class Command(BaseCommand):
    help = "Importer kontaktpunkter for organisasjoner fra CSV/XLSX (alt eller ingenting)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as", dest="username", required=True, help="nasjonal administrator (revideres)"
        )

    def handle(self, *args: Any, file: Path, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Ukjent eller deaktivert bruker: {username}")
        if not file.is_file():
            raise CommandError(f"Fant ikke filen {file}")
        upload = SimpleUploadedFile(file.name, file.read_bytes())
        try:
            result = import_contact_points(by=user, rows=read_rows(upload))
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        if not result.ok:
            for line, reason in result.errors:
                self.stderr.write(f"linje {line}: {reason}")
            raise CommandError(f"Ingenting importert: {len(result.errors)} rader med feil.")
        self.stdout.write(f"Importert {result.created} kontaktpunkter.")
