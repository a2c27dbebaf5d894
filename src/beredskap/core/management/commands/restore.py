"""`beredskap restore ARCHIVE --yes`: replace the database and var files with a backup's.

Stop the web server and the workers first; the restored row counts are checked against the
archive's manifest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beredskap.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive made by `beredskap backup` (replaces the current data)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm replacing all data")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("restore replaces all data in this installation; add --yes")
        if not options["archive"].is_file():
            raise CommandError(f"{options['archive']} is not a file")
        try:
            manifest = restore_backup(options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"Restored {manifest['created_at']} ({manifest['engine']}, {rows} rows)")
