"""For every run: lines + approved adjustments = run total = sum of payroll files = sum of statements, to the
cent; on generated runs (hypothesis) and on the demo's runs (seed_demo). Statements are the real documents."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from culture.models import Period
from culture.scorecards import close_period
from incentives import services as incentive_services
from incentives.models import Adjustment, PayoutRun, PayrollFile
from incentives.payroll import issue_payroll_file, reconcile_run
from reports.documents.statement import gather_statement
from tests.factories import UserFactory
from tests.incentives.conftest import cco2, org, plan, scorecards  # noqa: F401 - fixtures
from tests.incentives.factories import close_period_of
from users.models import User
from users.roles import Role

pytestmark = pytest.mark.django_db


def _statements_total(run: PayoutRun) -> D:
    return sum((gather_statement(line_id=pk).final_amount for pk in run.lines.values_list("pk", flat=True)), D(0))


def _check(run: PayoutRun) -> None:
    result = reconcile_run(run)
    assert result.problems == ()
    assert result.lines + result.adjustments == result.run_total == _statements_total(run)
    if run.status == PayoutRun.Status.PAID:  # payroll files are issued from the payment on
        assert sum((f.total for f in PayrollFile.objects.filter(run=run)), D(0)) == result.run_total


fcr = st.decimals("50", "100", places=1)
adjustment = st.tuples(st.sampled_from(["mover", "stayer"]), st.decimals("-150", "300", places=3), st.booleans())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fcr_a=fcr,
    fcr_b=fcr,
    target=st.decimals("0.01", "5000", places=2),
    override=st.one_of(st.none(), st.decimals("0", "20000", places=2)),
    before_pay=st.lists(adjustment, max_size=4),
    after_pay=st.lists(adjustment, max_size=4),
    file_before_pay=st.booleans(),
)
def test_generated_runs_reconcile_to_the_cent(
    plan,  # noqa: F811
    org,  # noqa: F811
    team_a,
    team_b,
    scorecards,  # noqa: F811
    cco,
    cco2,  # noqa: F811
    fcr_a,
    fcr_b,
    target,
    override,
    before_pay,
    after_pay,
    file_before_pay,
):
    with transaction.atomic():
        finance = UserFactory(roles=[Role.APPROVER])
        plan.target_amount = target
        plan.save()
        if override is not None:
            plan.overrides.create(person=org["stayer"], target_amount=override)
        scorecards.set("team", team_a.pk, fcr=str(fcr_a))
        scorecards.set("team", team_b.pk, fcr=str(fcr_b))
        run = incentive_services.create_payout_run(plan=plan, actor=cco)
        incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
        close_period_of(plan)
        run = incentive_services.approve_payout_run(run_id=run.pk, actor=finance)

        def adjust(rows):
            for who, amount, approve in rows:
                try:
                    drafted = incentive_services.add_adjustment(
                        run_id=run.pk, person_id=org[who].pk, amount=amount, reason="generated", actor=cco
                    )
                except Exception as error:  # rounds to zero, or would take the person's pay below zero
                    assert "zero" in str(error)
                    continue
                if approve:
                    for approver in (finance, cco2)[: drafted.required_approvals]:
                        incentive_services.approve_adjustment(adjustment_id=drafted.pk, actor=approver)

        if file_before_pay:  # finance issues the first payroll file before the run is marked paid
            issue_payroll_file(run_id=run.pk, actor=finance)
        adjust(before_pay)
        incentive_services.mark_payout_run_paid(run_id=run.pk, actor=cco2)
        _check(run)
        adjust(after_pay)
        if Adjustment.objects.approved().filter(run=run, payroll_files__isnull=True).exists():
            issue_payroll_file(run_id=run.pk, actor=finance)
        _check(run)
        transaction.set_rollback(True)


def test_demo_runs_reconcile_after_approval_adjustments_and_payment(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", teams=4, people_per_team=3, months=2, seed=3)
    run = PayoutRun.objects.get(status=PayoutRun.Status.DRAFT)  # the demo also seeds spent runs of closed months
    cco = User.objects.get(email="cco@centric.demo")
    finance = User.objects.get(email="finance@centric.demo")
    admin = User.objects.get(email="admin@centric.demo")
    period = run.plan.period
    if not period.is_closed:
        close_period(code=period.code, actor=cco)
        incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
    assert Period.objects.get(pk=period.pk).is_closed
    run = incentive_services.approve_payout_run(run_id=run.pk, actor=finance)
    lines = list(run.lines.order_by("pk")[:2])
    first = incentive_services.add_adjustment(
        run_id=run.pk, person_id=lines[0].person_id, amount=D("12.345"), reason="demo", actor=cco
    )
    incentive_services.approve_adjustment(adjustment_id=first.pk, actor=finance)
    incentive_services.mark_payout_run_paid(run_id=run.pk, actor=admin)
    later = incentive_services.add_adjustment(
        run_id=run.pk, person_id=lines[-1].person_id, amount=D("7.50"), reason="demo", actor=cco
    )
    incentive_services.approve_adjustment(adjustment_id=later.pk, actor=finance)
    issue_payroll_file(run_id=run.pk, actor=finance)
    for each in PayoutRun.objects.all():
        _check(each)
    capsys.readouterr()
    call_command("reconcile_payouts")
    assert "Every run reconciles to the cent." in capsys.readouterr().out
