"""`manage.py verify_report FILE.pdf` or `manage.py verify_report --code ABCDEFGHJK`: is it one we issued?"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.verification import UNKNOWN, verify_code, verify_file


class Command(BaseCommand):
    help = (
        "Check a PDF (by its SHA-256) or a verification code against the report archive: genuine, "
        "superseded or unknown. Exits with status 1 unless genuine."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the PDF to check")
        parser.add_argument("--code", help="the verification code printed in the PDF's footer")

    def handle(self, *args, path: str | None = None, code: str | None = None, **options):
        if bool(path) == bool(code):
            raise CommandError("Give either a PDF or --code.")
        if path:
            try:
                verdict = verify_file(Path(path).read_bytes())
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error}") from error
        else:
            verdict = verify_code(code or "")
        if verdict.standing == UNKNOWN:
            raise CommandError("unknown: no report in the archive matches.", returncode=1)
        self.stdout.write(
            f"{verdict.standing}: {verdict.kind} {verdict.period or '-'}, issued "
            f"{verdict.issued.isoformat() if verdict.issued else '-'}, input checksum {verdict.input_checksum}"
        )
        if verdict.standing != "genuine":
            raise CommandError(f"{verdict.standing}: a later version replaces this report.", returncode=1)
