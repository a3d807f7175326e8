"""Check every payout run's money four ways, to the cent; exits non-zero on any difference."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from incentives.models import PayoutRun
from incentives.payroll import reconcile_run


class Command(BaseCommand):
    help = (
        "For every payout run (or the given ones): lines + approved adjustments = run total = sum of its "
        "statements = sum of its payroll files (once issued). Exits with an error listing any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("run_ids", nargs="*", type=int)

    def handle(self, *args, run_ids: list[int], **options):
        runs = PayoutRun.objects.order_by("pk")
        if run_ids:
            runs = runs.filter(pk__in=run_ids)
        failures = 0
        for run in runs:
            result = reconcile_run(run)
            files = "-" if result.payroll_files is None else f"{result.payroll_files}"
            self.stdout.write(
                f"run #{run.pk} {run.status}: lines {result.lines} + adjustments {result.adjustments} = "
                f"{result.run_total}; statements {result.statements}; payroll files {files}"
                + ("" if not result.problems else " -- " + "; ".join(result.problems))
            )
            failures += bool(result.problems)
        if failures:
            raise CommandError(f"{failures} run(s) do not reconcile.")
        self.stdout.write(self.style.SUCCESS("Every run reconciles to the cent."))
