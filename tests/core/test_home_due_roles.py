"""Every role's home lists its seeded due items, through the apps' real `due_for`, and the page costs the same
number of queries for one item as for ten (employee, lead, CCO, recruiter, compensation admin, approver, and an
employee's pulses and interview scorecards)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.due import due_for
from culture.models import Period, Pulse, ReviewAction
from culture.pulse.services import install_standard_library, publish_pulse
from incentives.models import PayoutRun, StatementDispute
from tests.factories import UserFactory
from users.roles import Role

from . import due_seeds

pytestmark = pytest.mark.django_db


def _home(client, user, kind: str) -> tuple[int, int]:
    """(queries, items of `kind` listed) for the user's home page."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries), response.content.decode().count(f'data-due-kind="{kind}"')


def _one_then_ten(client, user, kind: str, seed, clear) -> None:
    seed(1)
    one, listed = _home(client, user, kind)
    assert listed == 1
    clear()
    seed(10)
    ten, listed = _home(client, user, kind)
    assert listed == 10
    assert ten == one, f"{kind}: {one} queries for one item, {ten} for ten"


def test_employee_home_costs_the_same_for_one_open_action_as_for_ten(client, team_a, lead_a, employee_a):
    _one_then_ten(
        client,
        employee_a,
        "culture.action",
        lambda n: due_seeds.open_actions(team_a, employee_a, n, lead=lead_a),
        lambda: ReviewAction.objects.all().delete(),
    )


def test_lead_home_costs_the_same_for_one_review_due_as_for_ten(client, team_a, lead_a):
    _one_then_ten(
        client,
        lead_a,
        "culture.review",
        due_seeds.ended_months,
        lambda: Period.objects.filter(code__gte=due_seeds.FIRST_MONTH).delete(),
    )


def test_cco_home_costs_the_same_for_one_period_to_close_as_for_ten(client, cco, team_a, lead_a):
    _one_then_ten(
        client,
        cco,
        "culture.close",
        due_seeds.ended_months,
        lambda: Period.objects.filter(code__gte=due_seeds.FIRST_MONTH).delete(),
    )


def test_recruiter_home_costs_the_same_for_one_scorecard_due_as_for_ten(client, recruiter):
    from hiring.models import Interview

    _one_then_ten(
        client,
        recruiter,
        "hiring.scorecard",
        lambda n: due_seeds.scorecards_due(recruiter, n),
        lambda: Interview.objects.all().delete(),
    )


def test_approver_home_costs_the_same_for_one_run_awaiting_approval_as_for_ten(client, mfa_off):
    approver = UserFactory(email="approver@example.com", roles=[Role.APPROVER])
    _one_then_ten(
        client,
        approver,
        "incentives.approve_run",
        due_seeds.runs_awaiting_approval,
        lambda: PayoutRun.objects.all().delete(),
    )


def test_compensation_admin_home_costs_the_same_for_one_question_as_for_ten(client, cco, team_a, lead_a, employee_a):
    preparer = UserFactory(email="finance@example.com", roles=[Role.CCO])
    run = due_seeds.approved_run([team_a], preparer=preparer, approver=cco)
    _one_then_ten(
        client,
        cco,
        "incentives.answer_question",
        lambda n: due_seeds.questions_open(run, employee_a, n),
        lambda: StatementDispute.objects.all().delete(),
    )


def test_an_open_question_is_due_for_the_compensation_admin_only_until_answered(cco, team_a, lead_a, employee_a):
    from incentives import services

    preparer = UserFactory(email="finance@example.com", roles=[Role.CCO])
    run = due_seeds.approved_run([team_a], preparer=preparer, approver=cco)
    (question,) = due_seeds.questions_open(run, employee_a, 1)
    approver = UserFactory(email="approver@example.com", roles=[Role.APPROVER])

    items = [item for item in due_for(cco) if item.kind == "incentives.answer_question"]
    assert [(item.title, item.url) for item in items] == [
        (
            f"Answer question #{question.pk} about statement #{question.line_id}",
            reverse("incentives:dispute_answer", args=[question.pk]),
        )
    ]
    for other in (approver, employee_a, lead_a):
        assert "incentives.answer_question" not in {item.kind for item in due_for(other)}

    services.answer_dispute(dispute_id=question.pk, answer="Stretch pays 150 %.", actor=cco)
    assert "incentives.answer_question" not in {item.kind for item in due_for(cco)}


def test_employee_interviewer_home_costs_the_same_for_one_scorecard_due_as_for_ten(client, team_a, employee_a):
    from hiring.models import Interview

    _one_then_ten(
        client,
        employee_a,
        "hiring.scorecard",
        lambda n: due_seeds.scorecards_due(employee_a, n),
        lambda: Interview.objects.all().delete(),
    )


def test_employee_home_costs_the_same_for_one_open_pulse_as_for_ten(client, cco, team_a, employee_a):
    today = timezone.localdate()
    version = install_standard_library(actor=cco)

    def pulses(n: int) -> None:
        for number in range(n):
            publish_pulse(
                actor=cco,
                title=f"Pulse {number + 1}",
                library_version=version,
                teams=[team_a],
                opens_on=today,
                closes_on=today + dt.timedelta(days=3 + number),
            )

    _one_then_ten(client, employee_a, "culture.pulse", pulses, lambda: Pulse.objects.all().delete())
