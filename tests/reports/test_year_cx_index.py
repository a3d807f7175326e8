"""A year's CX index over its months with targets (issue 13): the figure equals the hand calculation of
docs/kpi-maths.md ("CX index of a year"), the report and the dashboard say which months it covers (or that no
month has targets), the web page and the PDF show the same figure, and a closed year reads it frozen."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from culture.models import PeriodClosing
from culture.scorecards import close_period, compute_year_index, describe_year_index
from culture.scorecards.year_index import FREEZER, latest_run
from reports.documents.board_format import headline_rows, trend_charts
from reports.documents.board_report import gather_board_report, render_board_report
from tests.culture.scorecard_helpers import measure, period, target

from .pdf_helpers import pdf_pages

pytestmark = pytest.mark.django_db


def _ratio(team, code: str, day: str, numerator: int, denominator: int) -> None:
    measure(team, code, day, numerator=numerator, denominator=denominator)


@pytest.fixture
def year_2025(team_a):
    """FCR and self-service in January-March 2025; targets in January and February only.

    By hand (docs/kpi-maths.md, "CX index of a year"): the months with targets are January-February.
    FCR: actual (70 + 80) / (100 + 100) = 75 %; target (80 + 90) / 2 = 85, off track from (60 + 70) / 2 = 65;
    score 100 x (75 - 65) / (85 - 65) = 50.0, weight 1.
    Self-service: actual (30 + 50) / 200 = 40 %; target 50, off track from 20; score 100 x 20 / 30 = 66.7, weight 3.
    CX index = (50.0 x 1 + 66.7 x 3) / 4 = 250.1 / 4 = 62.525, shown 62.5. March (FCR 10 %) is left out.
    """
    for month, fcr, self_served in (("01", 70, 30), ("02", 80, 50), ("03", 10, 10)):
        _ratio(team_a, "fcr", f"2025-{month}-15", fcr, 100)
        _ratio(team_a, "self_service_rate", f"2025-{month}-15", self_served, 100)
    january, february = period("2025-01"), period("2025-02")
    period("2025-03")
    target("fcr", january, 80, 75, 60)
    target("fcr", february, 90, 85, 70)
    for month in (january, february):
        target("self_service_rate", month, 50, 40, 20, weight=3)
    return team_a


def test_latest_run_is_the_latest_unbroken_run_of_months_with_targets():
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    assert latest_run(months, {"2025-01", "2025-02", "2025-05", "2025-06", "2025-07"}) == [
        "2025-05",
        "2025-06",
        "2025-07",
    ]
    assert latest_run(months, set()) == []
    assert latest_run(months, set(months)) == months


def test_year_index_over_the_months_with_targets_equals_the_hand_calculation(year_2025):
    index = compute_year_index("2025")
    assert index.months == ("2025-01", "2025-02") and not index.whole_year and index.partial
    fcr, self_service = index.card.lines["fcr"], index.card.lines["self_service_rate"]
    assert (fcr.actual, fcr.target, fcr.off_track_from, fcr.score) == (
        Decimal("75.0"),
        Decimal("85.0000"),
        Decimal("65.0000"),
        Decimal("50.0"),
    )
    assert (self_service.actual, self_service.score, self_service.weight) == (Decimal("40.0"), Decimal("66.7"), 3)
    assert index.composite == Decimal("62.5")
    assert describe_year_index(index) == "CX index over the 2 months with targets, January\u2013February."


def test_year_report_pdf_and_dashboard_show_the_same_index_in_words(year_2025, cco, client):
    data = gather_board_report(period_code="2025")
    row = headline_rows(data)[0]
    assert (row["now"], row["previous"], row["change"]) == ("62.5", "\u2013", "\u2013")
    pdf, _checksum = render_board_report(data)
    text = " ".join(pdf_pages(pdf))
    assert f"CX index (composite 0{chr(0x2013)}100) " in text
    assert "The CX index is 62.5 of 100. CX index over the 2 months with targets, January\u2013February." in text
    client.force_login(cco)
    page = client.get(reverse("culture:scorecard_home") + "?period=2025").content.decode()
    card = page.split("CX index (company composite)")[1].split("CX index, last 12 periods")[0]
    assert re.search(r'display-5 mb-0">\s*62\.5\s*<', card), card
    assert "CX index over the 2 months with targets, January\u2013February." in card


def test_a_year_without_targets_says_so_instead_of_a_blank(team_a, cco, client):
    _ratio(team_a, "fcr", "2024-05-15", 70, 100)
    index = compute_year_index("2024")
    assert index.months == () and index.composite is None
    pdf, _checksum = render_board_report(gather_board_report(period_code="2024"))
    assert "CX index: no targets set for this year." in " ".join(pdf_pages(pdf))
    client.force_login(cco)
    page = client.get(reverse("culture:scorecard_home") + "?period=2024").content.decode()
    assert "CX index: no targets set for this year." in page


def test_a_year_with_every_month_targeted_keeps_its_own_composite(team_a):
    for month in range(1, 13):
        _ratio(team_a, "fcr", f"2023-{month:02d}-15", 75, 100)
        target("fcr", period(f"2023-{month:02d}"), 85, 80, 65)
    index = compute_year_index("2023")
    assert index.whole_year and len(index.months) == 12 and index.composite == Decimal("50.0")
    assert describe_year_index(index) == ""
    data = gather_board_report(period_code="2023")
    assert headline_rows(data)[0]["now"] == "50.0" and headline_rows(data)[0]["note"] == ""


def test_a_closed_year_reads_its_index_frozen_at_the_close(year_2025, cco):
    close_period(code="2025", actor=cco, reason="year end")
    closing = PeriodClosing.objects.current().get(period__code="2025")
    assert closing.frozen[FREEZER]["months"] == ["2025-01", "2025-02"]
    before = gather_board_report(period_code="2025")
    # A row slipped into a covered month past the guards (a direct write) does not move the closed report.
    _ratio(year_2025, "fcr", "2025-02-20", 0, 100)
    assert compute_year_index("2025").composite != Decimal("62.5")  # live, the index would move
    after = gather_board_report(period_code="2025")
    assert before.year_index == after.year_index and after.year_index.composite == Decimal("62.5")
    assert render_board_report(before)[1] == render_board_report(after)[1]


def test_a_month_close_freezes_no_year_index(year_2025, cco):
    close_period(code="2025-01", actor=cco)
    assert PeriodClosing.objects.current().get(period__code="2025-01").frozen[FREEZER] is None


def test_year_report_trends_run_over_its_months_with_percent_axes_within_0_100(team_a):
    for month in range(1, 13):
        _ratio(team_a, "fcr", f"2025-{month:02d}-15", 99 + month % 2, 100)  # 99-100 %: padding would pass 100
        target("fcr", period(f"2025-{month:02d}"), 95, 90, 80)
    data = gather_board_report(period_code="2025")
    charts = trend_charts(data)
    assert (charts["first"], charts["last"]) == ("2025-01", "2025-12")
    assert data.codes == [f"2025-{m:02d}" for m in range(1, 13)]
    svg = str(charts["cx"]) + "".join(str(chart) for _name, chart, _note in charts["kpis"])
    axis = [Decimal(v) for v in re.findall(r'text-anchor="end" font-size="10"[^>]*>(-?[\d.]+)<', svg)]
    assert axis and all(Decimal(0) <= value <= Decimal(100) for value in axis), axis
    assert "2015" not in str(charts["cx"])


def test_a_year_and_its_months_read_together_each_get_their_rows(team_a):
    """A row counts in every period asked for that contains it (the year report reads a year and its months in
    one call; one grouping put each row in its month only, so the year had no data)."""
    from culture.scorecards import build_scorecard_series

    _ratio(team_a, "fcr", "2023-02-15", 60, 100)
    _ratio(team_a, "fcr", "2023-03-15", 80, 100)
    series = build_scorecard_series(period_codes=["2023-02", "2023-03", "2023", "2022"], level="company")
    actual = {code: cards[None].actual("fcr") for code, cards in series.items()}
    assert actual == {"2023-02": Decimal("60.0"), "2023-03": Decimal("80.0"), "2023": Decimal("70.0"), "2022": None}


def test_year_report_gathering_does_not_grow_with_teams(year_2025):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TeamFactory

    with CaptureQueriesContext(connection) as one:
        gather_board_report(period_code="2025")
    for team in [TeamFactory() for _ in range(6)]:
        _ratio(team, "fcr", "2025-01-15", 70, 100)
    with CaptureQueriesContext(connection) as seven:
        data = gather_board_report(period_code="2025")
    assert len(data.teams) == 7 and data.year_index is not None and data.year_index.months
    assert len(seven) == len(one)


def test_the_words_are_in_swedish_for_a_swedish_reader(year_2025):
    from django.utils import translation

    with translation.override("sv"):
        assert describe_year_index(compute_year_index("2025")) == (
            "CX-index över de 2 månaderna med mål, januari\u2013februari."
        )
        assert describe_year_index(compute_year_index("2024")) == "CX-index: inga mål satta för det här året."


def test_year_dashboard_queries_do_not_grow_with_teams(year_2025, cco, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TeamFactory

    client.force_login(cco)
    url = reverse("culture:scorecard_home") + "?period=2025"
    client.get(url)  # sessions, permissions and caches warmed
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for team in [TeamFactory() for _ in range(6)]:
        _ratio(team, "fcr", "2025-02-15", 70, 100)
    with CaptureQueriesContext(connection) as seven:
        assert "CX index over the 2 months with targets" in client.get(url).content.decode()
    assert len(seven) == len(one)


def test_a_part_year_ranks_its_departments_over_the_months_with_targets(year_2025, team_b, cco):
    """By hand, January-February with the company's targets (as the index): team A's department is the company
    of `year_2025`, 62.5 (FCR 75 % at risk, self-service 40 % on track). Team B's: FCR (80 + 80) / 200 = 80 %,
    score 100 x (80 - 65) / 20 = 75.0, on track from 80; self-service (35 + 35) / 200 = 35 %, score
    100 x 15 / 30 = 50.0, at risk; CX index (75.0 x 1 + 50.0 x 3) / 4 = 56.25, shown 56.3. Frozen with the close:
    a late row in a covered month moves neither."""
    for month in ("01", "02"):
        _ratio(team_b, "fcr", f"2025-{month}-15", 80, 100)
        _ratio(team_b, "self_service_rate", f"2025-{month}-15", 35, 100)
    department_a, department_b = year_2025.department_id, team_b.department_id

    data = gather_board_report(period_code="2025")

    assert data.departments[department_a].composite == Decimal("62.5")
    assert data.departments[department_b].composite == Decimal("56.3")
    names = data.department_names
    text = " ".join(" ".join(pdf_pages(render_board_report(data)[0])).split())
    league = "Department league table CX index over the 2 months with targets, January\u2013February. "
    assert league in text
    assert f"1 {names[department_a]} 62.5 At risk 1 1 0 0 2 {names[department_b]} 56.3 At risk 1 1 0 0" in text

    close_period(code="2025", actor=cco, reason="year end")
    closing = PeriodClosing.objects.current().get(period__code="2025")
    assert set(closing.frozen[FREEZER]["departments"]) == {str(department_a), str(department_b)}
    assert set(closing.frozen[FREEZER]["teams"]) == {str(year_2025.pk), str(team_b.pk)}
    before = gather_board_report(period_code="2025")
    _ratio(team_b, "fcr", "2025-02-20", 0, 100)  # a late row past the guards, in a covered open month
    after = gather_board_report(period_code="2025")
    assert after.departments[department_b].composite == Decimal("56.3")
    assert render_board_report(before)[1] == render_board_report(after)[1]


def test_a_part_year_lists_the_team_kpis_off_track_over_its_months_with_targets(year_2025, team_b):
    """Team B's self-service is 15 / 100 in January and February: 15 % against the months' target 50, off track
    from 20, so off track over the months with targets (the year's own cards, without targets, judge nothing)."""
    from reports.documents.board_sections import off_track, off_track_sections

    for month in ("01", "02"):
        _ratio(team_b, "fcr", f"2025-{month}-15", 80, 100)
        _ratio(team_b, "self_service_rate", f"2025-{month}-15", 15, 100)

    data = gather_board_report(period_code="2025")

    assert all(line.status == "neutral" for card in data.teams.values() for line in card.lines.values())
    assert [(team, line.kpi_code, line.actual) for team, line in off_track(data)] == [
        (team_b.pk, "self_service_rate", Decimal("15.0"))
    ]
    text = " ".join(" ".join(pdf_pages(render_board_report(data)[0])).split())
    ((group,),) = [off_track_sections(data)["top"]]
    (row,) = group["rows"]
    assert group["team"] == team_b.name and f"{row['name']} {row['actual']} {row['target']}" in text
    assert "No team KPI is off track" not in text
