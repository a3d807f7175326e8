"""Statements of a points plan and a gift card plan: every figure in the plan's own unit, and every number
explained (component amounts, each team's share, the exact amount, the once-rounded line, adjustments)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from incentives import services as incentive_services
from incentives.models import PayoutLine, Plan
from reports.documents.statement import gather_statement, render_statement
from tests.incentives.conftest import cco2, org, scorecards  # noqa: F401 - fixtures
from tests.incentives.factories import ComponentFactory, PlanFactory, close_period_of, kpi

from .pdf_helpers import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def mover_line(cco, cco2, org, team_a, team_b, scorecards):  # noqa: F811
    """Mover: Team A for 10 of September's 30 days, Team B for 20; target 250; FCR weight 1, NPS weight 2.

    Curves pay 50 % at threshold, 100 % at target, 150 % at stretch (linear between). Team A: FCR 83.7 ->
    118.5 %, NPS 41 -> 127.5 %; Team B: FCR 90 -> 150 %, NPS 12 -> 55 %. A component pays
    250 x curve % x weight share x days/30, e.g. 250 x 1.185 x 1/3 x 1/3 = 32.9167.
    """

    def make(reward_type: str, currency: str) -> PayoutLine:
        plan = PlanFactory(
            name="Service reward",
            teams=[team_a, team_b],
            reward_type=reward_type,
            currency=currency,
            target_amount=Decimal("250.00"),
        )
        ComponentFactory(plan=plan)
        ComponentFactory(
            plan=plan, kpi=kpi("nps"), weight=Decimal(2), threshold=Decimal(10), target=Decimal(30), stretch=Decimal(50)
        )
        scorecards.set("team", team_a.pk, fcr="83.7", nps="41")
        scorecards.set("team", team_b.pk, fcr="90", nps="12")
        run = incentive_services.create_payout_run(plan=plan, actor=cco)
        incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
        close_period_of(plan)
        incentive_services.approve_payout_run(run_id=run.pk, actor=cco2)
        adjustment = incentive_services.add_adjustment(
            run_id=run.pk, person_id=org["mover"].pk, amount="12.5", reason="Shift swap missed", actor=cco2
        )
        incentive_services.approve_adjustment(adjustment_id=adjustment.pk, actor=cco)
        return PayoutLine.objects.get(run=run, person=org["mover"])

    return make


def _statement(line: PayoutLine) -> str:
    pdf, _checksum = render_statement(gather_statement(line_id=line.pk))
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 2  # two teams' component tables with their curves may take a second page
    return " ".join(pages)


def test_points_statement_counts_in_whole_points_never_in_a_currency(mover_line):
    line = mover_line(Plan.RewardType.POINTS, "PTS")
    text = _statement(line)

    # the payout line: exact 103.75 + 144.4444 = 248.1944 points, rounded once to 248; 12.5 adjusted -> 13
    assert line.exact_amount == Decimal("248.1944444444") and line.amount == Decimal("248")
    assert "paid in points" in text
    assert "Payout 261 points line 248 points plus adjustments" in text
    assert "Target amount 250 points" in text
    assert "Exact amount 248.194444 points Rounded once to 248 points" in text
    assert "-> 33 points (each 1.0 better adds 1 point)" in text  # 32.9167, per unit 1.3889
    assert "-> 71 points (each 1.0 better adds 1 point)" in text  # 70.8333
    assert "FCR (Team B) 90.0 -> at or beyond stretch -> 150.00 % of target x 33.3 % weight -> 83 points" in text
    assert "-> 61 points (each 1.0 better adds 3 points)" in text  # 61.1111, per unit 2.7778
    assert "Share from Team A: 103.750000 points" in text
    assert "Share from Team B: 144.444444 points" in text
    assert " 13 points Shift swap missed" in text  # 12.5 points rounded half up
    for currency_word in ("PTS", "EUR", ".00 points"):
        assert currency_word not in text


def test_gift_card_statement_shows_the_currency_and_that_it_is_a_gift_card(mover_line):
    line = mover_line(Plan.RewardType.GIFT_CARD, "EUR")
    text = _statement(line)

    assert line.amount == Decimal("248.19")
    assert "paid as a gift card" in text
    assert "Payout EUR 260.69 line EUR 248.19 plus adjustments" in text
    assert "Target amount EUR 250.00" in text
    assert "Exact amount EUR 248.194444 Rounded once to EUR 248.19" in text
    assert (
        "FCR (Team A) 83.7 -> between target and stretch -> 118.50 % of target x 33.3 % weight -> EUR 32.92 "
        "(each 1.0 better adds EUR 1.39)" in text
    )
    assert "NPS (Team A) 41 -> between target and stretch -> 127.50 % of target x 66.7 % weight -> EUR 70.83" in text
    assert "FCR (Team B) 90.0 -> at or beyond stretch -> 150.00 % of target x 33.3 % weight -> EUR 83.33" in text
    assert (
        "NPS (Team B) 12 -> between threshold and target -> 55.00 % of target x 66.7 % weight -> EUR 61.11 "
        "(each 1.0 better adds EUR 2.78)" in text
    )
    assert "Share from Team A: EUR 103.750000" in text
    assert "Share from Team B: EUR 144.444444" in text
    assert "EUR 12.50 Shift swap missed" in text
    assert "points" not in text and "PTS" not in text


def test_each_teams_share_is_the_sum_of_its_components_and_the_shares_make_the_line(mover_line):
    line = mover_line(Plan.RewardType.GIFT_CARD, "EUR")
    stints = list(line.stints.order_by("pk"))
    for stint in stints:
        assert sum(Decimal(c["amount"]) for c in stint.components) == stint.exact_amount.quantize(Decimal("1E-10"))
    assert sum(s.exact_amount for s in stints) == line.exact_amount
    assert [s.days for s in stints] == [10, 20]
