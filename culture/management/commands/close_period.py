"""`manage.py close_period 2026-Q3`: freeze the period's scorecards and close it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from culture.models import ScorecardSnapshot
from culture.scorecards import close_period


class Command(BaseCommand):
    help = "Close a period (2026-09, 2026-Q3 or 2026): freeze every scorecard as a snapshot. Refuses a closed one."

    def add_arguments(self, parser):
        parser.add_argument("period", help="period code: 2026-09 (month), 2026-Q3 (quarter) or 2026 (year)")
        parser.add_argument("--reason", default="", help="why, for the audit trail")

    def handle(self, *args, period: str, reason: str, **options):
        try:
            closed = close_period(code=period, actor=None, reason=reason or "manage.py close_period")
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        count = ScorecardSnapshot.objects.filter(period=closed).count()
        self.stdout.write(self.style.SUCCESS(f"Closed {closed.code}: {count} scorecards frozen."))
