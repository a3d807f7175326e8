"""Reopening a closed period: a reason, two executives, both snapshot versions kept and verifiable; the checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry, Notification
from culture.due import due_for
from culture.models import Period, PeriodClosing, ScorecardSnapshot
from culture.scorecards import (
    approve_reopen,
    close_checklist,
    close_period,
    reject_reopen,
    request_reopen,
    verify_closing,
    withdraw_reopen,
)
from culture.scorecards.services import payload_checksum
from incentives.models import PayoutRun
from tests.factories import TeamFactory, UserFactory
from tests.incentives.factories import PlanFactory
from users.roles import Role

from .scorecard_helpers import measure, period, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_cco(mfa_off):
    return UserFactory(email="cfo@example.com", roles=[Role.CCO])


@pytest.fixture
def september(team_a, team_b):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    measure(team_a, "fcr", "2026-09-01", numerator=30, denominator=40)  # 75 %: green
    measure(team_b, "fcr", "2026-09-01", numerator=10, denominator=40)  # 25 %: red, no review
    return p


def test_reopening_needs_a_reason_and_a_second_executive(september, cco, second_cco, lead_a):
    close_period(code="2026-09", actor=cco)
    with pytest.raises(ValidationError, match="Say why"):
        request_reopen(code="2026-09", actor=cco, reason="  ")
    with pytest.raises(PermissionDenied):
        request_reopen(code="2026-09", actor=lead_a, reason="late data")
    request_reopen(code="2026-09", actor=cco, reason="A vendor file for September arrived late.")

    with pytest.raises(PermissionDenied, match="Another executive"):
        approve_reopen(code="2026-09", actor=cco)
    assert Period.objects.get(code="2026-09").is_closed

    approve_reopen(code="2026-09", actor=second_cco)

    reopened = Period.objects.get(code="2026-09")
    assert not reopened.is_closed and reopened.closed_at is None
    entries = AuditEntry.objects.filter(action__startswith="period.reopen").order_by("pk")
    assert list(entries.values_list("action", "reason")) == [
        ("period.reopen_request", "A vendor file for September arrived late."),
        ("period.reopen", "A vendor file for September arrived late."),
    ]


def test_both_versions_are_kept_and_verifiable_after_reopening_and_closing_again(september, cco, second_cco, team_b):
    close_period(code="2026-09", actor=cco)
    first = PeriodClosing.objects.get(period__code="2026-09")
    old_company = ScorecardSnapshot.objects.get(period__code="2026-09", level="company")
    request_reopen(code="2026-09", actor=cco, reason="late data")
    approve_reopen(code="2026-09", actor=second_cco)
    measure(team_b, "fcr", "2026-09-02", numerator=40, denominator=40)  # the late data

    close_period(code="2026-09", actor=second_cco, reason="closed again with the late data")

    first.refresh_from_db()
    second = PeriodClosing.objects.current().get(period__code="2026-09")
    assert (first.version, second.version) == (1, 2)
    assert first.reopened_at is not None and first.reopen_approved_by == second_cco
    assert first.checksum != second.checksum
    kept = first.archived_snapshots["company"]
    assert kept["checksum"] == old_company.checksum == payload_checksum(kept["payload"])
    assert kept["payload"]["lines"]["fcr"]["actual"] == "50.0"  # (30 + 10) / 80
    new_company = ScorecardSnapshot.objects.get(period__code="2026-09", level="company")
    assert new_company.payload["lines"]["fcr"]["actual"] == "66.7"  # (30 + 10 + 40) / 120, half up
    assert verify_closing(first) and verify_closing(second)
    first.archived_snapshots["company"]["payload"]["lines"]["fcr"]["actual"] = "99.9"  # tampered
    assert not verify_closing(first)


def test_a_period_with_an_approved_payout_run_cannot_be_reopened(september, cco):
    close_period(code="2026-09", actor=cco)
    PayoutRun.objects.create(
        plan=PlanFactory(period=september),
        status="approved",
        currency="EUR",
        total=Decimal("10.000"),
        approved_by=cco,
        approved_at=dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError, match="differences become adjustments in the next run"):
        request_reopen(code="2026-09", actor=cco, reason="late data")
    assert PeriodClosing.objects.get(period__code="2026-09").reopen_requested_at is None


def test_the_checklist_counts_what_is_missing_with_links(september, team_a, team_b):
    PayoutRun.objects.create(plan=PlanFactory(period=september), status="draft", currency="EUR", total=0)

    items = {item.kind: item for item in close_checklist(september)}

    assert items["culture.no_review"].count == 2
    assert items["culture.red_without_action"].count == 1  # team B's FCR
    assert items["culture.red_without_action"].links[0][1].startswith(reverse("culture:review_edit", args=["team-b"]))
    assert items["culture.data_gap"].count == 0
    assert items["reports.no_value_model"].count == 1
    assert items["incentives.draft_runs"].count == 1


def test_the_checklist_lists_data_gaps_by_team_and_kpi(september, team_a):
    gap_team = TeamFactory(name="Quiet Team")
    items = {item.kind: item for item in close_checklist(september)}
    assert [text for text, _url in items["culture.data_gap"].links] == ["Quiet Team: First-contact resolution"]
    assert gap_team.is_active


def test_the_checklist_takes_the_same_queries_for_two_or_ten_teams(september):
    with CaptureQueriesContext(connection) as two:
        close_checklist(september)
    for index in range(8):
        measure(TeamFactory(), "fcr", "2026-09-01", numerator=index, denominator=40)
    with CaptureQueriesContext(connection) as ten:
        items = close_checklist(september)
    assert sum(i.count for i in items if i.kind == "culture.no_review") == 10
    assert len(ten) == len(two)


def test_closing_with_open_items_needs_a_reason_which_the_closing_keeps(client, september, cco):
    client.force_login(cco)
    url = reverse("culture:period_close", args=["2026-09"])
    page = client.get(url).content.decode()
    assert "Teams without a review" in page and "Close 2026-09 anyway" in page

    refused = client.post(url, {"reason": ""})

    assert refused.status_code == 400 and "give a reason to close anyway" in refused.content.decode()
    assert not Period.objects.get(code="2026-09").is_closed
    client.post(url, {"reason": "Board meets tomorrow; team B reviews next week."})
    closing = PeriodClosing.objects.get(period__code="2026-09")
    assert closing.reason == "Board meets tomorrow; team B reviews next week."
    assert closing.checklist["culture.no_review"] == 2 and closing.checklist["reports.no_value_model"] == 1


def test_the_reopen_page_asks_then_another_executive_approves(client, september, cco, second_cco):
    close_period(code="2026-09", actor=cco)
    url = reverse("culture:period_reopen", args=["2026-09"])
    client.force_login(cco)
    assert client.post(url, {"action": "request", "reason": ""}).status_code == 400
    client.post(url, {"action": "request", "reason": "late data"})
    own = client.get(url).content.decode()
    assert "Another executive must approve" in own and "Approve reopening" not in own

    client.force_login(second_cco)
    assert "Approve reopening 2026-09" in client.get(url).content.decode()
    client.post(url, {"action": "approve"})

    assert not Period.objects.get(code="2026-09").is_closed


def test_leads_cannot_open_the_reopen_page(client, september, lead_a):
    close_period(code="2026-09", actor=None)
    client.force_login(lead_a)
    assert client.get(reverse("culture:period_reopen", args=["2026-09"])).status_code == 403


def test_a_resnapshot_keeps_the_closing_verifiable_under_a_new_checksum(september, cco):
    from culture.scorecards import resnapshot_period

    close_period(code="2026-09", actor=cco)
    closing = PeriodClosing.objects.get(period__code="2026-09")
    before = closing.checksum

    resnapshot_period(code="2026-09", actor=cco, reason="definitions v2")

    closing.refresh_from_db()
    company = ScorecardSnapshot.objects.get(period__code="2026-09", level="company")
    assert closing.snapshot_checksums["company"] == company.checksum
    assert verify_closing(closing)
    assert closing.checksum == before  # the same figures recomputed: the same checksum


def _reopen_due(user) -> list[str]:
    return [item.title for item in due_for(user) if item.kind == "culture.reopen"]


def test_the_other_executive_may_refuse_a_request_which_is_audited_and_emailed(september, cco, second_cco):
    close_period(code="2026-09", actor=cco)
    request_reopen(code="2026-09", actor=cco, reason="A vendor file arrived late.")
    assert _reopen_due(second_cco) == ["Decide on reopening 2026-09"] and _reopen_due(cco) == []
    with pytest.raises(PermissionDenied, match="withdraw it instead"):
        reject_reopen(code="2026-09", actor=cco, reason="no")
    with pytest.raises(ValidationError, match="stays closed"):
        reject_reopen(code="2026-09", actor=second_cco, reason=" ")

    reject_reopen(code="2026-09", actor=second_cco, reason="The board pack went out; correct it next month.")

    closing = PeriodClosing.objects.get(period__code="2026-09")
    assert Period.objects.get(code="2026-09").is_closed and closing.reopened_at is None
    assert not closing.reopen_pending and closing.reopen_reason == "" and verify_closing(closing)
    assert _reopen_due(second_cco) == []
    entry = AuditEntry.objects.get(action="period.reopen_reject")
    assert entry.reason == "The board pack went out; correct it next month." and entry.actor == second_cco
    assert entry.before["asked"] == "A vendor file arrived late."
    (note,) = Notification.objects.filter(key__startswith="period.reopen_reject:")
    assert note.recipient == cco and "Reopening 2026-09 refused" in note.subject
    assert "The board pack went out; correct it next month." in note.body and "A vendor file arrived late." in note.body
    with pytest.raises(ValidationError, match="Nobody has asked"):
        approve_reopen(code="2026-09", actor=second_cco)
    # A new request may follow, and its refusal is a second email.
    request_reopen(code="2026-09", actor=cco, reason="Another late file.")
    reject_reopen(code="2026-09", actor=second_cco, reason="Still no.")
    assert Notification.objects.filter(key__startswith="period.reopen_reject:", recipient=cco).count() == 2


def test_the_requester_may_withdraw_a_request_and_nobody_else(september, cco, second_cco):
    close_period(code="2026-09", actor=cco)
    request_reopen(code="2026-09", actor=cco, reason="late data")
    with pytest.raises(PermissionDenied, match="Only the executive who asked"):
        withdraw_reopen(code="2026-09", actor=second_cco)

    withdraw_reopen(code="2026-09", actor=cco)

    closing = PeriodClosing.objects.get(period__code="2026-09")
    assert not closing.reopen_pending and Period.objects.get(code="2026-09").is_closed
    assert _reopen_due(second_cco) == []
    entry = AuditEntry.objects.get(action="period.reopen_withdraw")
    assert entry.actor == cco and entry.reason == "late data"
    assert not Notification.objects.filter(key__startswith="period.reopen").exists()
    with pytest.raises(ValidationError, match="Nobody has asked"):
        withdraw_reopen(code="2026-09", actor=cco)


def test_the_reopen_page_refuses_and_withdraws(client, september, cco, second_cco):
    close_period(code="2026-09", actor=cco)
    url = reverse("culture:period_reopen", args=["2026-09"])
    client.force_login(cco)
    client.post(url, {"action": "request", "reason": "late data"})
    assert "Withdraw my request" in client.get(url).content.decode()
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert not PeriodClosing.objects.get(period__code="2026-09").reopen_pending

    client.post(url, {"action": "request", "reason": "late data again"})
    client.force_login(second_cco)
    page = client.get(url).content.decode()
    assert "Refuse reopening" in page and "Withdraw my request" not in page
    assert client.post(url, {"action": "reject", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "reject", "reason": "No."}).status_code == 302
    assert Period.objects.get(code="2026-09").is_closed
    assert not PeriodClosing.objects.get(period__code="2026-09").reopen_pending
