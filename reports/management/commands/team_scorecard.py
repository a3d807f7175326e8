"""`manage.py team_scorecard --team SLUG --period PERIOD --out PATH`: one team's scorecard PDF."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ._output import write_document


class Command(BaseCommand):
    help = (
        "Write one team's scorecard PDF for a period (archived with a verification code; a closed period gives "
        "the archived copy's bytes again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--team", required=True, help="team slug")
        parser.add_argument("--period", required=True, help="2026-09, 2026-Q3 or 2026")
        parser.add_argument("--out", required=True, help="file path, or a directory for the default file name")

    def handle(self, *args, team: str, period: str, out: str, **options):
        path, report, size = write_document("team_scorecard", {"team": team, "period": period}, out)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({size} bytes, input SHA-256 {report.input_checksum}, "
                f"verification code {report.verification_code}, archive #{report.pk})."
            )
        )
