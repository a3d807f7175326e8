"""What the incentive runs say about closing and reopening a period (registered in IncentivesConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from culture.models import Period
from culture.scorecards import CheckItem

from .models import PayoutRun


def draft_runs_check(period: Period) -> list[CheckItem]:
    """Draft payout runs of plans for the period: still to approve (one query)."""
    runs = PayoutRun.objects.filter(plan__period=period, status=PayoutRun.Status.DRAFT).select_related("plan")
    links = [(f"{run.plan.name} #{run.pk}", run.get_absolute_url()) for run in runs.order_by("pk")]
    return [CheckItem("incentives.draft_runs", _("Draft payout runs"), len(links), links)]


def locked_runs_guard(period: Period) -> str | None:
    """A period with an approved or paid payout run stays closed: its differences go to the next run."""
    if PayoutRun.objects.filter(plan__period=period).locked().exists():
        return _(
            "%(code)s has an approved or paid payout run, so it cannot be reopened: differences become "
            "adjustments in the next run."
        ) % {"code": period.code}
    return None
