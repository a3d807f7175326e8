"""incentive_spend: the contract the board report reads (approved and paid runs plus adjustments, by currency)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from incentives import incentive_spend
from incentives.models import Adjustment, AdjustmentApproval, PayoutRun
from tests.factories import PersonFactory, UserFactory

from .factories import PeriodFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _run(plan, status, total, currency, approver):
    approved = {} if status == PayoutRun.Status.DRAFT else {"approved_by": approver, "approved_at": timezone.now()}
    return PayoutRun.objects.create(plan=plan, status=status, total=D(total), currency=currency, **approved)


def test_spend_is_locked_runs_plus_their_adjustments_by_currency():
    approver, person = UserFactory(), PersonFactory()
    eur = PlanFactory(currency="EUR")
    sek = PlanFactory(currency="SEK")
    august = PlanFactory(period=PeriodFactory(code="2026-08", start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31)))
    approved = _run(eur, PayoutRun.Status.APPROVED, "1000.500", "EUR", approver)
    paid = _run(eur, PayoutRun.Status.PAID, "250.000", "EUR", approver)
    draft = _run(eur, PayoutRun.Status.DRAFT, "999.000", "EUR", approver)
    sek_run = _run(sek, PayoutRun.Status.APPROVED, "3000.000", "SEK", approver)
    _run(august, PayoutRun.Status.APPROVED, "777.000", "EUR", approver)
    checker = UserFactory()
    for run, amount in [(approved, "50.250"), (paid, "-20.000"), (draft, "5.000"), (sek_run, "100.000")]:
        adjustment = Adjustment.objects.create(run=run, person=person, amount=D(amount), reason="correction")
        AdjustmentApproval.objects.create(adjustment=adjustment, approved_by=checker)
    Adjustment.objects.create(run=approved, person=person, amount=D("7.000"), reason="awaiting a second person")

    spend = incentive_spend("2026-09")

    # EUR: 1000.500 + 250.000 + 50.250 - 20.000; the draft run and its adjustment, the adjustment nobody
    # approved yet and August do not count
    assert spend == {"EUR": D("1280.750"), "SEK": D("3100.000")}
    assert list(spend) == ["EUR", "SEK"]


def test_no_locked_runs_means_no_spend():
    _run(PlanFactory(), PayoutRun.Status.DRAFT, "10.000", "EUR", None)
    assert incentive_spend("2026-09") == {}
