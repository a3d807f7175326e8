"""Recalculate a draft payout run from the command line (approved and paid runs refuse)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from incentives.models import ImmutableRunError, PayoutRun
from incentives.services import calculate_payouts


class Command(BaseCommand):
    help = "Recalculate the lines of a draft payout run: calculate_payouts RUN_ID"

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)

    def handle(self, *args, run_id: int, **options):
        try:
            run = calculate_payouts(run_id=run_id)
        except PayoutRun.DoesNotExist as error:
            raise CommandError(f"There is no payout run #{run_id}.") from error
        except ImmutableRunError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Run #{run.pk}: {run.line_count} lines, total {run.currency} {run.total}")
