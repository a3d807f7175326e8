"""`sync_people PATH [--dry-run] [--effective DATE] [--preset KEY] [--separator SEP]`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from culture.org.sync import presets, sync_people_file


class Command(BaseCommand):
    help = "Sync people, teams and departments from an HR export (CSV or XLSX). Prints every bad row."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV (UTF-8; comma, semicolon or tab separated) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="show the difference, write nothing")
        parser.add_argument("--effective", metavar="DATE", help="effective date of rows without one (default today)")
        parser.add_argument("--preset", default="standard", help=f"column mapping: one of {', '.join(presets())}")
        parser.add_argument("--separator", help="department path separator (default: the preset's)")

    def handle(self, *args, path: str, dry_run: bool, effective, preset: str, separator, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        day = None
        if effective:
            try:
                day = dt.date.fromisoformat(effective)
            except ValueError:
                raise CommandError(f"--effective {effective!r} is not an ISO date (YYYY-MM-DD).") from None
        try:
            with file.open("rb") as stream:
                result = sync_people_file(
                    stream=stream,
                    filename=file.name,
                    actor=None,
                    preset=preset,
                    separator=separator,
                    effective=day,
                    dry_run=dry_run,
                )
        except ValueError as error:  # an unknown preset
            raise CommandError(str(error)) from None
        if result.file_error:
            raise CommandError(result.file_error)
        for row_error in result.errors:
            self.stderr.write(str(row_error))
        if result.hidden_error_count:
            self.stderr.write(f"... and {result.hidden_error_count} more errors (not listed).")
        if not result.is_valid:
            raise CommandError(result.summary())
        self.stdout.write(self.style.SUCCESS(("Dry run: " if dry_run else "") + result.summary()))
