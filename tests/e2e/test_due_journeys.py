"""What is due, role by role (issue 16): a seeded item appears on the home, its link opens the page that does it,
and once done it is gone from the home. The employee's action and the lead's review are walked in
test_alignment_journeys.py; here the CCO, the recruiter, an employee on an interview panel, the compensation
admin and the approver. axe finds nothing serious or critical on any page visited. The query bound (1 vs 10
items, every role) is in tests/core/test_home_due_roles.py."""

from __future__ import annotations

import pytest

from culture.models import Period
from hiring.models import Scorecard
from incentives.models import PayoutRun, StatementDispute
from tests.core import due_seeds
from tests.factories import UserFactory
from users.roles import Role

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _open_the_due_item(page, kind: str, title: str) -> None:
    """On the home: exactly one item of `kind`, with this title; follow its link."""
    items = page.locator(f"[data-due-kind='{kind}']")
    assert items.count() == 1, page.locator("main").inner_text()
    assert items.get_by_role("link").inner_text() == title
    assert_accessible(page)
    items.get_by_role("link").click()
    page.wait_for_load_state()


def _gone_from_the_home(page, kind: str) -> None:
    page.goto("/")
    assert page.locator(f"[data-due-kind='{kind}']").count() == 0
    assert_accessible(page)


def test_cco_closes_the_ended_period_listed_on_the_home(page, cco):
    (code,) = due_seeds.ended_months(1)
    log_in(page, cco.email)
    _open_the_due_item(page, "culture.close", f"Close {code}")
    page.wait_for_url(f"**/culture/periods/{code}/close/")
    assert_accessible(page)
    page.locator("#reason").fill("Nothing more will come for this month.")
    page.get_by_role("button", name=f"Close {code}").click()
    page.wait_for_url("**/culture/periods/")
    assert Period.objects.get(code=code).is_closed
    _gone_from_the_home(page, "culture.close")


def _submit_the_scorecard_listed_on_the_home(page, interviewer, rating: str, evidence: str) -> None:
    (interview,) = due_seeds.scorecards_due(interviewer, 1)
    candidate = interview.application.candidate.name
    log_in(page, interviewer.email)
    _open_the_due_item(page, "hiring.scorecard", f"Submit your scorecard for {candidate} (Interview 1)")
    page.wait_for_url(f"**/hiring/interviews/{interview.pk}/scorecard/")
    assert_accessible(page)
    competency = interview.application.position.rubric_version.competencies.first()
    page.check(f"input[name='rating_{competency.pk}'][value='{rating}']")
    page.fill(f"textarea[name='evidence_{competency.pk}']", evidence)
    page.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit scorecard").click()
    assert "Scorecard submitted" in page.locator("main").inner_text()
    assert Scorecard.objects.filter(interview=interview, interviewer=interviewer).exists()
    _gone_from_the_home(page, "hiring.scorecard")


def test_recruiter_submits_the_scorecard_listed_on_the_home(page, recruiter):
    _submit_the_scorecard_listed_on_the_home(page, recruiter, "4", "Calmed an angry caller in the role play.")


def test_an_employee_on_a_panel_submits_the_scorecard_listed_on_the_home(page, employee_a):
    """An interviewer who is not in HR: an employee on an interview panel has the scorecard due on the home."""
    _submit_the_scorecard_listed_on_the_home(page, employee_a, "3", "Asked the caller what had been tried already.")


def test_compensation_admin_answers_the_question_listed_on_the_home(page, cco, team_a, lead_a, employee_a):
    preparer = UserFactory(email="finance@example.com", roles=[Role.CCO])
    chief = UserFactory(email="chief@example.com", roles=[Role.CCO])
    run = due_seeds.approved_run([team_a], preparer=preparer, approver=chief)
    (question,) = due_seeds.questions_open(run, employee_a, 1)
    log_in(page, cco.email)
    _open_the_due_item(
        page, "incentives.answer_question", f"Answer question #{question.pk} about statement #{question.line_id}"
    )
    page.wait_for_url(f"**/incentives/questions/{question.pk}/answer/")
    assert_accessible(page)
    page.get_by_label("Answer").fill("FCR was 68 %: between threshold and target, so the line pays part.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/incentives/questions/{question.pk}/")
    question.refresh_from_db()
    assert question.status == StatementDispute.Status.ANSWERED
    screenshot(page, "due-question-answered")
    _gone_from_the_home(page, "incentives.answer_question")


def test_approver_approves_the_run_listed_on_the_home(page, mfa_off, team_a, lead_a):
    approver = UserFactory(email="approver@example.com", roles=[Role.APPROVER])
    preparer = UserFactory(email="finance@example.com", roles=[Role.CCO])
    run = due_seeds.approved_run([team_a], preparer=preparer)  # put forward, not approved
    log_in(page, approver.email)
    _open_the_due_item(page, "incentives.approve_run", f"Approve payout run #{run.pk} of FCR bonus September")
    page.wait_for_url(f"**/incentives/runs/{run.pk}/approval/")
    assert_accessible(page)
    page.get_by_role("button", name="Approve this run (asks for your password)").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/incentives/runs/{run.pk}/")
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.APPROVED and run.approved_by == approver
    screenshot(page, "due-run-approved")
    _gone_from_the_home(page, "incentives.approve_run")
