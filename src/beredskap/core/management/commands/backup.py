"""`beredskap backup [--dir DIR]`: write a backup archive of the database and the var files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beredskap.core.backup import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the files under the var directory into one archive"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="default BEREDSKAP_BACKUP_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = make_backup(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
