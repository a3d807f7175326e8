"""Shared body of the `import_measurements` and `import_responses` commands."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ..models import ImportBatch
from .services import ImportResult, summary_line


class ImportCommand(BaseCommand):
    """Prints every bad row, exits non-zero on errors, prints the counts."""

    service = staticmethod(lambda **kwargs: None)

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV (comma, semicolon or tab separated, UTF-8) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--user", metavar="EMAIL", help="import as this user (only teams they may edit); default: every team"
        )

    def handle(self, *args, path: str, dry_run: bool, user: str | None, **options):
        from users.models import User

        actor = None
        if user:
            actor = User.objects.filter(email__iexact=user).first()
            if actor is None:
                raise CommandError(f"No user with email {user}.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        with file.open("rb") as stream:
            result: ImportResult = self.service(
                stream=stream, filename=file.name, user=actor, source=ImportBatch.Source.COMMAND, dry_run=dry_run
            )
        if result.file_error:
            raise CommandError(result.file_error)
        for error in result.errors:
            self.stderr.write(str(error))
        if result.hidden_error_count:
            self.stderr.write(f"... and {result.hidden_error_count} more errors (not listed).")
        if not result.is_valid:
            raise CommandError(summary_line(result))
        prefix = "Dry run: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + summary_line(result)))
