"""`manage.py resnapshot_period 2026-09 --reason ... --yes`: recompute a closed period's frozen scorecards."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.forms import error_text
from culture.models import ScorecardSnapshot
from culture.scorecards import resnapshot_period


class Command(BaseCommand):
    help = (
        "Recompute a closed period's snapshots with the current KPI definitions (audited). Its reports change: "
        "asks for confirmation unless --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("period", help="a closed period's code: 2026-09, 2026-Q3 or 2026")
        parser.add_argument("--reason", required=True, help="why, for the audit trail")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, period: str, reason: str, yes: bool, **options):
        if not yes:
            answer = input(f"Replace the frozen figures of {period}? Reports of it will change. Type the code: ")
            if answer.strip() != period:
                raise CommandError("Not confirmed; nothing changed.")
        try:
            done = resnapshot_period(code=period, actor=None, reason=reason)
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(error_text(error)) from error
        count = ScorecardSnapshot.objects.filter(period=done).count()
        self.stdout.write(self.style.SUCCESS(f"Re-snapshotted {done.code}: {count} scorecards, current definitions."))
