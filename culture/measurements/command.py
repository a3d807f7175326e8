"""Shared body of the `import_measurements` and `import_responses` commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ..models import ImportBatch, ImportPreset
from ..scorecards.tasks import warm_after_change
from .filelocale import DATE_ORDERS, DECIMALS, ENCODINGS, LocaleChoice
from .services import ImportResult, summary_line
from .sources import SOURCES
from .wizard import ImportOptions, options_of


class ImportCommand(BaseCommand):
    """Prints every bad row, exits non-zero on errors, prints the counts."""

    service: Callable[..., ImportResult]  # the import function, set by each command
    kind: str  # ImportBatch.Kind of the files it reads (for --preset)

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV (comma, semicolon or tab separated, UTF-8) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--user", metavar="EMAIL", help="import as this user (only teams they may edit); default: every team"
        )
        parser.add_argument("--decimal", choices=DECIMALS, help="decimal separator (default: proposed from the file)")
        parser.add_argument("--date-order", choices=DATE_ORDERS, help="date order (default: proposed from the file)")
        parser.add_argument("--encoding", choices=ENCODINGS, help="CSV encoding (default: detected from the bytes)")
        parser.add_argument("--preset", metavar="NAME", help="read with this saved preset (default: one matching)")
        parser.add_argument("--source", choices=sorted(SOURCES), help="a survey tool's export (responses only)")

    def _options(self, options: dict) -> ImportOptions | None:
        """The wizard's options from the command line; None (a matching preset, else proposed) if none given."""
        preset = None
        if options.get("preset"):
            kind = self.kind
            preset = ImportPreset.objects.filter(kind=kind, name=options["preset"]).first()
            if preset is None:
                raise CommandError(f"No {kind} preset named {options['preset']}.")
        base = options_of(preset) if preset else ImportOptions()
        choice = LocaleChoice(
            decimal=options.get("decimal") or base.choice.decimal,
            date_order=options.get("date_order") or base.choice.date_order,
            encoding=options.get("encoding") or base.choice.encoding,
        )
        source = options.get("source") or ""
        if preset is None and choice == LocaleChoice() and not source:
            return None
        return ImportOptions(choice=choice, columns=base.columns, preset=base.preset, source=source)

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
                stream=stream,
                filename=file.name,
                user=actor,
                source=ImportBatch.Source.COMMAND,
                dry_run=dry_run,
                options=self._options(options),
            )
        for line in result.evidence:
            self.stdout.write(line)
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
        if not dry_run:
            warm_after_change()
