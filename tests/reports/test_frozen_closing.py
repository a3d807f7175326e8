"""Closed means frozen: a closed period's documents read only what its close froze; pre-close copies are superseded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from culture.models import Department, Kpi, Period, PeriodClosing, ReviewAction, Team
from culture.scorecards import COMPANY, TEAM, build_scorecard_series, close_period, current_closing, verify_closing
from culture.scorecards.closing import _closing_checksum as closing_checksum
from hiring.models import Application
from incentives import incentive_spend
from incentives.models import PayoutRun
from reports.documents.board_report import gather_board_report, render_board_report
from reports.documents.common import input_checksum
from reports.documents.team_scorecard import gather_team_scorecards, render_team_scorecard
from reports.models import GeneratedReport, ValueModel
from reports.tasks import request_report
from reports.verification import SUPERSEDED, standing
from tests.culture.scorecard_helpers import measure
from tests.factories import TeamFactory, UserFactory
from tests.hiring.factories import ApplicationFactory, PositionFactory
from tests.incentives.factories import PlanFactory

from .pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db
WATERMARK = "Draft—figuresmaychange"


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _late_row_in_august(team) -> None:
    """A late row in the open month before: 900 of 1000 contacts resolved first time (bypasses the guards)."""
    measure(team, "fcr", "2026-08-20", numerator=900, denominator=1000)


def test_a_late_row_in_an_open_earlier_period_changes_nothing_in_a_closed_report(frozen_world, team_a):
    close_period(code="2026-09", actor=None)
    before = gather_board_report(period_code="2026-09")
    live_before = build_scorecard_series(period_codes=["2026-08"], level=COMPANY)["2026-08"][None]

    _late_row_in_august(team_a)

    after = gather_board_report(period_code="2026-09")
    live_after = build_scorecard_series(period_codes=["2026-08"], level=COMPANY)["2026-08"][None]
    assert not Period.objects.get(code="2026-08").is_closed
    assert live_after.lines["fcr"].actual != live_before.lines["fcr"].actual  # the live month did move
    assert after.company["2026-08"].lines["fcr"].actual == before.company["2026-08"].lines["fcr"].actual
    assert input_checksum(after.evidence()) == input_checksum(before.evidence())
    text = pdf_text(render_board_report(after)[0])
    assert "review actions were frozen with this period" in text and "live data 2026-08" not in text


def test_a_late_row_changes_nothing_in_a_closed_team_scorecard(frozen_world, team_a):
    close_period(code="2026-09", actor=None)
    (before,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])

    _late_row_in_august(team_a)

    (after,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])
    live = build_scorecard_series(period_codes=["2026-08"], level=TEAM, ids=[team_a.pk])["2026-08"][team_a.pk]
    assert live.lines["fcr"].actual != before.series["2026-08"].lines["fcr"].actual
    assert after.series["2026-08"].lines["fcr"].actual == before.series["2026-08"].lines["fcr"].actual
    assert input_checksum(after.evidence()) == input_checksum(before.evidence())
    (pdf_before, checksum_before), (pdf_after, checksum_after) = (render_team_scorecard(d) for d in (before, after))
    assert checksum_after == checksum_before and pdf_text(pdf_after) == pdf_text(pdf_before)


def test_names_definitions_and_teams_after_the_close_change_nothing_in_a_closed_team_scorecard(
    frozen_world, team_a, team_b
):
    """A rename, a move to another department, a redefined KPI, a team created and one retired after the close:
    the closed team scorecard prints the names as they were, with the same input checksum, and a batch of the
    closed period still lists the teams active at the close (and no later one)."""
    department = team_a.department.name
    close_period(code="2026-09", actor=None)
    (before,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])
    pdf_before, checksum_before = render_team_scorecard(before)
    text_before = pdf_text(pdf_before)
    assert (before.team_name, before.department_name) == ("Team A", department)
    assert "Team A: customer scorecard 2026-09" in text_before and department in text_before

    team_a.name = "Renamed Later"
    team_a.department = Department.objects.create(name="Moved Later", slug="moved-later")
    team_a.save()
    Kpi.objects.filter(code="nps").update(definition="Redefined after the close", name="Renamed KPI")
    TeamFactory(department=team_b.department, name="Created Later")
    Team.objects.filter(pk=team_b.pk).update(is_active=False)

    (after,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])
    pdf_after, checksum_after = render_team_scorecard(after)
    assert checksum_after == checksum_before
    assert pdf_text(pdf_after) == text_before
    for late in ("Renamed Later", "Moved Later", "Redefined after the close", "Renamed KPI"):
        assert late not in pdf_text(pdf_after), late
    batch = gather_team_scorecards(period_code="2026-09")
    assert sorted(d.team_name for d in batch) == ["Team A", "Team B"]
    # An open period reads them as they stand.
    (open_card,) = gather_team_scorecards(period_code="2026-10", team_ids=[team_a.pk])
    assert (open_card.team_name, open_card.department_name) == ("Renamed Later", "Moved Later")
    assert "Created Later" in [d.team_name for d in gather_team_scorecards(period_code="2026-10")]


def test_an_open_period_still_reads_its_comparisons_live(frozen_world, team_a):
    before = gather_board_report(period_code="2026-09")
    _late_row_in_august(team_a)
    after = gather_board_report(period_code="2026-09")
    assert after.company["2026-08"].lines["fcr"].actual != before.company["2026-08"].lines["fcr"].actual


def test_a_closed_report_shows_each_action_as_it_was_at_the_close(frozen_world, team_a):
    closed = close_period(code="2026-09", actor=None)
    # An edit behind the services' back (the admin, a data fix): the closed report keeps the frozen text.
    ReviewAction.objects.filter(review__team=team_a).update(action="Rewritten later", due_date=dt.date(2026, 12, 1))

    data = gather_board_report(period_code="2026-09")

    action = data.actions[(team_a.pk, "nps")]
    assert action.action == "Restore the history panel and coach on it."
    expected = "overdue" if closed.closed_at.date() > dt.date(2026, 10, 31) else "open"  # as on the day it closed
    assert action.due == dt.date(2026, 10, 31) and action.status == expected
    (card,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])
    assert card.review is not None and card.review.actions[0].action == "Restore the history panel and coach on it."


def test_a_copy_built_before_the_close_is_superseded_and_never_served_after_it(
    frozen_world, cco, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    draft.refresh_from_db()
    assert draft.status == GeneratedReport.Status.DONE and draft.snapshot_checksum == ""
    assert WATERMARK in _squeezed(pdf_text(draft.file.read()))

    closed = close_period(code="2026-09", actor=cco)
    with django_capture_on_commit_callbacks(execute=True):
        final = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    final.refresh_from_db()
    draft.refresh_from_db()

    closing = closed.closings.get()
    assert final.pk != draft.pk and final.status == GeneratedReport.Status.DONE
    assert final.snapshot_checksum == closing.checksum and final.is_final
    assert draft.superseded_at is not None and standing(draft) == SUPERSEDED
    assert WATERMARK not in _squeezed(pdf_text(final.file.read()))
    with django_capture_on_commit_callbacks(execute=True):
        again = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    assert again.pk == final.pk  # the closed copy is reused, the pre-close one never


def test_the_archive_keys_on_language_and_template_version(frozen_world, cco, django_capture_on_commit_callbacks):
    from django.utils import translation

    close_period(code="2026-09", actor=cco)
    with django_capture_on_commit_callbacks(execute=True):
        english = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    with translation.override("sv"), django_capture_on_commit_callbacks(execute=True):
        swedish = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    assert swedish.pk != english.pk and swedish.language == "sv" and english.language.startswith("en")
    GeneratedReport.objects.filter(pk=english.pk).update(template_version=1)  # built with an older layout
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    assert rebuilt.pk not in (english.pk, swedish.pk) and rebuilt.template_version == 4


def test_a_report_closed_with_open_items_prints_them_and_the_reason(frozen_world):
    close_period(code="2026-09", actor=None, reason="The board meets tomorrow.", reason_required_for_open_items=True)

    text = " ".join(pdf_text(render_board_report(gather_board_report(period_code="2026-09"))[0]).split())

    assert "Closed with open items: teams without a review 1" in text  # team B has not reviewed
    assert "The CCO's reason: The board meets tomorrow." in text


def _spend_run(plan, status, total: str) -> PayoutRun:
    """A run written straight to the table (bypasses the approval rules): what the ledger holds."""
    approved = {} if status == PayoutRun.Status.DRAFT else {"approved_at": timezone.now(), "approved_by": UserFactory()}
    return PayoutRun.objects.create(
        plan=plan, status=status, total=Decimal(total), currency="EUR", computed_at=timezone.now(), **approved
    )


def _hire(team, day: dt.date):
    return ApplicationFactory(position=PositionFactory(team=team), stage=Application.Stage.HIRED, hired_on=day)


def test_nothing_that_changes_after_the_close_moves_a_closed_board_report(frozen_world, team_a, team_b):
    """The issue's done-when: late rows, a rename, spend, a hire, the value model and a KPI definition after the
    close leave the regenerated PDF's input checksum and every printed figure as they were."""
    plan = PlanFactory(period=frozen_world)
    _spend_run(plan, PayoutRun.Status.DRAFT, "1000.000")  # calculated before the close, approved after it
    _hire(team_a, dt.date(2026, 9, 10))
    close_period(code="2026-09", actor=None)
    before = gather_board_report(period_code="2026-09")
    pdf_before, checksum_before = render_board_report(before)
    text_before = pdf_text(pdf_before)
    assert before.incentive_spend == Decimal("1000.000") and before.hiring.n == 1
    assert "Incentive spend EUR 1,000.00" in text_before and team_a.name in text_before

    _late_row_in_august(team_a)
    measure(team_b, "self_service_rate", "2026-03-10", numerator=900, denominator=1000)  # an older open month
    team_a.name = "Renamed Later"
    team_a.save()
    PayoutRun.objects.filter(plan=plan).update(
        status=PayoutRun.Status.APPROVED, approved_at=timezone.now(), approved_by=UserFactory()
    )
    _spend_run(PlanFactory(period=frozen_world), PayoutRun.Status.APPROVED, "555.000")  # a late second plan
    _hire(team_b, dt.date(2026, 9, 20))  # recorded late with a September date
    ValueModel.objects.filter(period__code="2026-09").update(revenue_per_customer=Decimal("900.00"))
    Kpi.objects.filter(code="nps").update(definition="Redefined after the close")
    TeamFactory(department=team_a.department)  # a team created after the close
    Team.objects.filter(pk=team_b.pk).update(is_active=False)  # and one retired after it

    assert incentive_spend("2026-09") == {"EUR": Decimal("1555.000")}  # the live ledger did move
    after = gather_board_report(period_code="2026-09")
    pdf_after, checksum_after = render_board_report(after)
    assert checksum_after == checksum_before
    assert pdf_text(pdf_after) == text_before
    assert "Renamed Later" not in pdf_text(pdf_after) and "Redefined after the close" not in pdf_text(pdf_after)


def test_an_open_period_reads_names_spend_and_hires_live(frozen_world, team_a):
    before = gather_board_report(period_code="2026-09")
    team_a.name = "Renamed Now"
    team_a.save()
    _spend_run(PlanFactory(period=frozen_world), PayoutRun.Status.APPROVED, "10.000")
    _hire(team_a, dt.date(2026, 9, 10))
    after = gather_board_report(period_code="2026-09")
    assert after.team_names[team_a.pk] == "Renamed Now" and after.incentive_spend == before.incentive_spend + 10
    assert after.hiring.n == before.hiring.n + 1


def test_the_baseline_period_is_frozen_with_the_close(frozen_world, team_b):
    ValueModel.objects.filter(period__code="2026-09").update(baseline_code="2026-03")
    close_period(code="2026-09", actor=None)
    before = gather_board_report(period_code="2026-09")
    assert before.baseline_code == "2026-03"
    closing = current_closing("2026-09")
    assert "2026-03" in closing.comparisons[COMPANY]

    measure(team_b, "self_service_rate", "2026-03-10", numerator=900, denominator=1000)
    # Moving the live baseline later changes nothing either: the value model was frozen with the close.
    ValueModel.objects.filter(period__code="2026-09").update(baseline_code="2026-05")

    after = gather_board_report(period_code="2026-09")
    live = build_scorecard_series(period_codes=["2026-03"], level=COMPANY)["2026-03"][None]
    assert live.lines["self_service_rate"].actual != before.company["2026-03"].lines["self_service_rate"].actual
    assert after.baseline_code == "2026-03"
    assert after.company["2026-03"].lines["self_service_rate"].actual == (
        before.company["2026-03"].lines["self_service_rate"].actual
    )
    assert input_checksum(after.evidence()) == input_checksum(before.evidence())


def test_a_closed_year_reads_its_months_from_the_close(frozen_world, team_a):
    close_period(code="2025", actor=None)
    before = gather_board_report(period_code="2025")
    assert before.codes[0] == "2025-01" and "2025-10" in current_closing("2025").comparisons[COMPANY]

    measure(team_a, "fcr", "2025-10-20", numerator=990, denominator=1000)  # a late row in an open month of the year

    after = gather_board_report(period_code="2025")
    live = build_scorecard_series(period_codes=["2025-10"], level=COMPANY)["2025-10"][None]
    assert live.lines["fcr"].actual != before.company["2025-10"].lines["fcr"].actual
    assert after.company["2025-10"].lines["fcr"].actual == before.company["2025-10"].lines["fcr"].actual
    assert input_checksum(after.evidence()) == input_checksum(before.evidence())


def test_a_closing_written_before_inputs_were_frozen_still_verifies_and_reads_them_live(frozen_world, team_a):
    close_period(code="2026-09", actor=None)
    closing = current_closing("2026-09")
    assert set(closing.frozen) >= {"culture.org", "culture.chain", "incentives.spend", "hiring.quality"}
    assert verify_closing(closing)
    PeriodClosing.objects.filter(pk=closing.pk).update(frozen={})  # as a closing of the previous release
    old = current_closing("2026-09")
    old.checksum = closing_checksum(old)
    old.save(update_fields=["checksum"])
    assert verify_closing(old)
    team_a.name = "Renamed Later"
    team_a.save()
    assert gather_board_report(period_code="2026-09").team_names[team_a.pk] == "Renamed Later"
