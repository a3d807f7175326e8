"""An employee's journey: the home page shows only their sections; their statement reads back the approved line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from culture.scorecards import close_period
from incentives import services as incentive_services
from incentives.models import PayoutLine
from incentives.templatetags.incentives import money
from tests.factories import MembershipFactory, UserFactory
from tests.incentives.factories import ComponentFactory, PlanFactory
from tests.reports.sample import seed_measurements, seed_targets
from users.roles import Role

from .conftest import assert_accessible, log_in, screenshot
from .journey_helpers import docs_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def approved_run(team_a, team_b, employee_a, lead_a):
    """September 2026 measured and targeted; an FCR plan whose run one executive prepared and another approved."""
    seed_measurements([team_a, team_b], last_month="2026-09", months=2)
    september = seed_targets("2026-09")
    MembershipFactory.create_batch(2, team=team_b)
    plan = PlanFactory(name="FCR bonus September", period=september, teams=[team_a, team_b])
    ComponentFactory(plan=plan, threshold=Decimal(60), target=Decimal(70), stretch=Decimal(80))
    preparer = UserFactory(email="finance@example.com", roles=[Role.CCO])
    approver = UserFactory(email="chief@example.com", roles=[Role.CCO])
    close_period(code=september.code, actor=None)  # runs are approved only for a closed period
    run = incentive_services.create_payout_run(plan=plan, actor=preparer)
    incentive_services.calculate_payouts(run_id=run.pk, actor=preparer)
    return incentive_services.approve_payout_run(run_id=run.pk, actor=approver)


def test_employee_sees_their_sections_and_reads_their_own_statement(page, employee_a, approved_run):
    log_in(page, employee_a.email)
    sections = page.locator("main section h2").all_inner_texts()
    assert "Culture" in sections and "Incentives" in sections
    # Anyone may sit on an interview panel, so Hiring offers an employee their interviews and nothing else.
    hiring = page.locator("main section").filter(has=page.get_by_role("heading", name="Hiring"))
    assert hiring.get_by_role("link").all_inner_texts() == ["My interviews", "Interviews"]
    assert_accessible(page)
    screenshot(page, "employee-home")
    docs_screenshot(page, "employee-home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Incentives").click()
    page.get_by_role("navigation", name="Incentives").get_by_role("link", name="Statements").click()
    page.wait_for_url("**/incentives/statements/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1, "only their own line of the run"
    assert_accessible(page)
    rows.first.get_by_role("link", name="FCR bonus September").click()
    page.wait_for_url("**/incentives/statements/*/")
    own = PayoutLine.objects.get(run=approved_run, person__user=employee_a)
    assert page.url.endswith(f"/incentives/statements/{own.pk}/")
    assert own.amount > 0
    assert money(own.amount, approved_run.currency) in page.locator("main p.lead").inner_text()
    assert_accessible(page)
    screenshot(page, "employee-statement")
    docs_screenshot(page, "employee-statement")

    other = PayoutLine.objects.filter(run=approved_run).exclude(pk=own.pk).first()
    assert page.goto(f"/incentives/statements/{other.pk}/").status == 404
    # The one console error is the 404 this journey asked for.
    assert all(f"/incentives/statements/{other.pk}/" in error for error in page.console_errors)
