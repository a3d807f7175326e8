"""Seeds of what is due, per role: `count` items on one person's home, each made the way the app makes it.

Shared by the home's query-count tests (tests/core/test_home_due_roles.py) and the browser journeys
(tests/e2e/test_due_journeys.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from culture.models import Kpi, Review, ReviewAction, Team
from culture.scorecards import close_period
from culture.scorecards.periods import parse_period, shift_period
from incentives import services as incentive_services
from incentives.approvals import request_approval
from incentives.models import PayoutLine, PayoutRun, StatementDispute
from tests.culture.scorecard_helpers import period
from tests.factories import MembershipFactory, UserFactory
from tests.hiring.factories import InterviewFactory
from tests.incentives.factories import ComponentFactory, PlanFactory
from tests.reports.sample import seed_measurements, seed_targets
from users.roles import Role

FIRST_MONTH = "2020-01"  # long ended: every month from here is open and due for a review and a close


def ended_months(count: int) -> list[str]:
    """`count` ended, open months (2020-01 onwards): reviews due for their leads, closes due for executives."""
    start = parse_period(FIRST_MONTH)
    return [period(shift_period(start, n).code).code for n in range(count)]


def open_actions(team: Team, owner_user, count: int, *, lead=None) -> list[ReviewAction]:
    """`count` open actions owned by the user, one per KPI of a reviewed month of `team`, due yesterday."""
    reviewed = period("2019-12", closed=True)
    review, _created = Review.objects.get_or_create(
        team=team, period=reviewed, defaults={"comment": "A hard month", "submitted_by": lead}
    )
    kpis = list(Kpi.objects.order_by("pk")[:count])
    assert len(kpis) == count, "one action per KPI of the catalogue"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return [
        ReviewAction.objects.create(
            review=review,
            kpi=kpi,
            comment="Off track",
            action=f"Bring {kpi.code} back on track",
            owner=owner_user.person,
            due_date=yesterday,
        )
        for kpi in kpis
    ]


def scorecards_due(interviewer, count: int) -> list:
    """`count` interviews held two hours ago with the user on the panel and no scorecard of theirs yet."""
    return [InterviewFactory(interviewers=[interviewer], title=f"Interview {n + 1}") for n in range(count)]


def runs_awaiting_approval(count: int) -> list[PayoutRun]:
    """`count` calculated draft runs whose preparer asked for approval (rows only: the home just lists them)."""
    preparer = UserFactory(roles=[Role.CCO])
    now = timezone.now()
    return [
        PayoutRun.objects.create(
            plan=PlanFactory(name=f"Plan awaiting {n + 1}"),
            currency="EUR",
            prepared_by=preparer,
            computed_at=now,
            approval_requested_at=now,
        )
        for n in range(count)
    ]


def approved_run(teams: list[Team], *, preparer, approver=None) -> PayoutRun:
    """September 2026 measured, targeted and closed; an FCR plan's run calculated by `preparer` and, with an
    approver, approved (else put forward for approval)."""
    seed_measurements(teams, last_month="2026-09", months=2)
    september = seed_targets("2026-09")
    MembershipFactory.create_batch(2, team=teams[-1])
    plan = PlanFactory(name="FCR bonus September", period=september, teams=teams)
    ComponentFactory(plan=plan, threshold=Decimal(60), target=Decimal(70), stretch=Decimal(80))
    close_period(code=september.code, actor=None)  # runs are approved only for a closed period
    run = incentive_services.create_payout_run(plan=plan, actor=preparer)
    incentive_services.calculate_payouts(run_id=run.pk, actor=preparer)
    if approver is None:
        request_approval(run_id=run.pk, actor=preparer)
        return run
    return incentive_services.approve_payout_run(run_id=run.pk, actor=approver)


def questions_open(run: PayoutRun, asker, count: int) -> list[StatementDispute]:
    """`count` open questions the user raised about their own line of the approved run."""
    line = PayoutLine.objects.get(run=run, person__user=asker)
    return [
        incentive_services.raise_dispute(line=line, question=f"Why is figure {n + 1} what it is?", actor=asker)
        for n in range(count)
    ]
