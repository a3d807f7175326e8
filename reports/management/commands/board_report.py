"""`manage.py board_report --period PERIOD --out PATH`: the CCO's board report PDF."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ._output import write_document


class Command(BaseCommand):
    help = (
        "Write the board report PDF (PDF/A-3a) for a period, archived with a verification code; a closed period "
        "gives the archived copy's bytes again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-09, 2026-Q3 or 2026")
        parser.add_argument("--out", required=True, help="file path, or a directory for the default file name")

    def handle(self, *args, period: str, out: str, **options):
        path, report, size = write_document("board_report", {"period": period}, out)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({size} bytes, input SHA-256 {report.input_checksum}, "
                f"verification code {report.verification_code}, archive #{report.pk})."
            )
        )
