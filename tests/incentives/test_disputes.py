"""Question this statement: the person raises it, the compensation admin answers, it is resolved; audited,
notified, visible to the person and never to another team."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry, Notification
from culture.models import Membership
from incentives import services
from incentives.models import PayoutLine, StatementDispute
from tests.factories import UserFactory
from users.roles import Role

from .conftest import person_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def stayer_user(org):
    user = UserFactory(email="stayer@example.com", roles=[Role.EMPLOYEE])
    org["stayer"].user = user
    org["stayer"].save()
    return user


def test_the_person_questions_the_admin_answers_the_person_resolves(client, cco, cco2, approved, org, stayer_user):
    line = PayoutLine.objects.get(run=approved, person=org["stayer"])
    client.force_login(stayer_user)
    statement = client.get(line.get_absolute_url()).content.decode()
    assert reverse("incentives:dispute_create", args=[line.pk]) in statement
    form_url = reverse("incentives:dispute_create", args=[line.pk])
    assert client.post(form_url, {"question": ""}).status_code == 200  # the form explains the error
    response = client.post(form_url, {"question": "Why is FCR 90.0 at the cap?"})
    dispute = StatementDispute.objects.get()
    assert response.url == dispute.get_absolute_url()
    assert dispute.status == StatementDispute.Status.OPEN and dispute.raised_by == stayer_user
    assert {
        n.recipient for n in Notification.objects.filter(key__startswith=f"incentives.dispute.{dispute.pk}.raised")
    } == {
        cco,
        cco2,
    }
    assert f"#{dispute.pk} (Open)" in client.get(line.get_absolute_url()).content.decode()

    client.force_login(cco)
    assert client.post(reverse("incentives:dispute_answer", args=[dispute.pk]), {"answer": ""}).status_code == 200
    client.post(reverse("incentives:dispute_answer", args=[dispute.pk]), {"answer": "Stretch pays 150 %, the cap."})
    dispute.refresh_from_db()
    assert dispute.status == StatementDispute.Status.ANSWERED and dispute.answered_by == cco
    note = Notification.objects.get(key=f"incentives.dispute.{dispute.pk}.answered")
    assert note.recipient == stayer_user

    client.force_login(stayer_user)
    page = client.get(dispute.get_absolute_url()).content.decode()
    assert "Stretch pays 150 %, the cap." in page
    client.post(reverse("incentives:dispute_resolve", args=[dispute.pk]))
    dispute.refresh_from_db()
    assert dispute.status == StatementDispute.Status.RESOLVED
    actions = list(
        AuditEntry.objects.filter(object_id=str(dispute.pk), action__startswith="dispute.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["dispute.answer", "dispute.raise", "dispute.resolve"]


def test_a_draft_runs_statement_cannot_be_questioned(cco, plan, org, scorecards, team_a, team_b):
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="80")
    run = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=run.pk, actor=cco)
    with pytest.raises(ValidationError):
        services.raise_dispute(line=run.lines.first(), question="?", actor=cco)


def test_only_the_compensation_admin_answers_and_only_once(cco, approved, org, stayer_user):
    line = PayoutLine.objects.get(run=approved, person=org["stayer"])
    dispute = services.raise_dispute(line=line, question="Why?", actor=stayer_user)
    with pytest.raises(PermissionDenied):
        services.answer_dispute(dispute_id=dispute.pk, answer="Because.", actor=stayer_user)
    services.answer_dispute(dispute_id=dispute.pk, answer="Because.", actor=cco)
    with pytest.raises(ValidationError):
        services.answer_dispute(dispute_id=dispute.pk, answer="Again.", actor=cco)


def test_another_teams_lead_never_sees_the_question(client, approved, org, stayer_user, other_team):
    line = PayoutLine.objects.get(run=approved, person=org["stayer"])
    dispute = services.raise_dispute(line=line, question="Why?", actor=stayer_user)
    lead, _person = person_with_login(other_team, Membership.Role.LEAD, "elsewhere-lead@example.com")
    client.force_login(lead)
    assert client.get(dispute.get_absolute_url()).status_code == 404
    assert f"#{dispute.pk}" not in client.get(reverse("incentives:dispute_list")).content.decode()
    assert client.post(reverse("incentives:dispute_resolve", args=[dispute.pk])).status_code == 404


def test_the_question_list_sorts_filters_and_exports(client, cco, approved, org, stayer_user):
    line = PayoutLine.objects.get(run=approved, person=org["stayer"])
    services.raise_dispute(line=line, question="Why?", actor=stayer_user)
    client.force_login(cco)
    url = reverse("incentives:dispute_list")
    assert "Stayer" in client.get(url, {"status": "open", "sort": "-created_at"}).content.decode()
    assert "Stayer" not in client.get(url, {"status": "resolved"}).content.decode()
    export = client.get(url, {"_export": "csv"})
    assert "Stayer" in export.getvalue().decode()
