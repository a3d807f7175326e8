"""`manage.py rebuild_rollups [--from 2025-01] [--to 2025-12] [--check]`: recompute the monthly rollups."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from culture.measurements.rollups import differences, rebuild


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise CommandError(f"{text!r} is not a month (YYYY-MM).") from error


class Command(BaseCommand):
    help = "Recompute the monthly rollups from the daily measurements (all months, or a range), in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first month, YYYY-MM (default: the earliest)")
        parser.add_argument("--to", dest="end", help="last month, YYYY-MM (default: the latest)")
        parser.add_argument("--check", action="store_true", help="only compare and list differences; write nothing")

    def handle(self, *args, start: str | None, end: str | None, check: bool, **options):
        first = _month(start) if start else None
        last = _month(end) if end else None
        if first and last and first > last:
            raise CommandError("--from is after --to.")
        if check:
            found = differences(first, last, limit=1000)
            for team, kpi, channel, month in found:
                self.stdout.write(f"differs: team {team} KPI {kpi} {channel} {month:%Y-%m}")
            if found:
                raise CommandError(f"{len(found)} rollup(s) differ from the daily rows.")
            self.stdout.write(self.style.SUCCESS("The rollups match the daily rows."))
            return
        with transaction.atomic():
            written = rebuild(first, last)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {written} monthly rollup(s)."))
