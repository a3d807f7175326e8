"""Erasure hooks for the report archive (core.erasure): stored PDFs that may name the person are removed.

A PDF cannot be scrubbed, and every kind is rebuilt on request (with the pseudonym). Removed: the person's
statements of runs not yet paid, and the team scorecards, batches and board reports of every period overlapping
one in which they own a review action (those documents print action owners). Kept: statements of paid runs,
which are part of the run's accounting record (docs/administration.md#erasure-on-request).
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from core.erasure import Erasure
from culture.models import Period, ReviewAction
from incentives.models import PayoutLine, PayoutRun

from .models import GeneratedReport

PERIOD_KINDS = ("team_scorecard", "team_scorecards_batch", "board_report")


def erase(erasure: Erasure) -> None:
    lines = PayoutLine.objects.filter(person_id__in=erasure.person_ids).exclude(run__status=PayoutRun.Status.PAID)
    naming = Q(kind="incentive_statement", parameters__line__in=list(lines.values_list("pk", flat=True)))
    owned = Period.objects.filter(
        pk__in=ReviewAction.objects.filter(owner_id__in=erasure.person_ids).values("review__period_id")
    )
    overlapping: set[str] = set()
    for period in owned:
        overlapping.update(
            Period.objects.filter(start__lte=period.end, end__gte=period.start).values_list("code", flat=True)
        )
    if overlapping:
        naming |= Q(kind__in=PERIOD_KINDS, parameters__period__in=sorted(overlapping))
    busy = [GeneratedReport.Status.QUEUED, GeneratedReport.Status.RUNNING]  # a worker holds these
    stale = GeneratedReport.objects.filter(naming).exclude(status__in=busy)
    names = [name for name in stale.values_list("file", flat=True) if name]
    erasure.count("reports.generatedreport", stale.delete()[0])
    if names:
        transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
