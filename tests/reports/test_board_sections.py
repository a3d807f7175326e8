"""Readable board report sections, on hand-made figures: off-track KPIs ranked by gap x weight and capped, league
tables per level, one source line per section, the written summary and the value lines' formulas."""

from __future__ import annotations

from decimal import Decimal

from culture.scorecards import KpiLine, Scorecard
from culture.scorecards.additive import Sums
from hiring.insights import HireQuality
from hiring.insights.quality import Hire
from reports.documents.board_data import BoardData
from reports.documents.board_sections import gap, league_levels, off_track_sections, priority, section_source, summary
from reports.documents.board_value import hiring_line

D = Decimal


def line(code: str, actual: str, target: str, *, status: str = "red", weight: str = "1", unit: str = "percent"):
    return KpiLine(
        kpi_code=code,
        kpi_name=code.upper(),
        unit=unit,
        decimals=1,
        direction="higher",
        aggregation="ratio",
        actual=D(actual),
        sample_size=None,
        ci_low=None,
        ci_high=None,
        target=D(target),
        on_track_from=D(target),
        off_track_from=D(target) - 10,
        weight=D(weight),
        min_sample=0,
        target_scope="company",
        status=status,
        score=None,
        attainment=None,
        previous=None,
        trend=None,
        sums=Sums(),
    )


def card(level: str, object_id, lines, composite: str | None = "70") -> Scorecard:
    return Scorecard(level, object_id, "2026-09", {x.kpi_code: x for x in lines}, D(composite) if composite else None)


def data(teams: dict[int, list[KpiLine]], **changes) -> BoardData:
    company_now = card("company", None, [line("nps", "30", "40", status="amber")], "72")
    company_before = card("company", None, [line("nps", "25", "40", status="red")], "70")
    values = dict(
        period_code="2026-09",
        previous_code="2026-08",
        last_year_code="2025-09",
        codes=["2026-08", "2026-09"],
        period=None,
        company={"2026-09": company_now, "2026-08": company_before},
        departments={
            1: card("department", 1, [], "80"),
            2: card("department", 2, [], "60"),
            3: card("department", 3, [], "75"),
        },
        teams={team: card("team", team, lines) for team, lines in teams.items()},
        department_names={1: "Care", 2: "Care North", 3: "Care South"},
        team_names={team: f"Team {team}" for team in teams},
        team_departments={team: 2 for team in teams},
        actions={},
        snapshots={},
        definitions={},
        value_model=None,
        incentive_spend=D(0),
        other_currency_spend={},
        hiring=HireQuality(()),
        department_parents={1: None, 2: 1, 3: 1},
    )
    values.update(changes)
    return BoardData(**values)


def test_gap_is_relative_to_the_target_and_priority_weighs_it():
    # NPS 30 against 40: 10 / 40 = 0.25; weight 2 -> 0.5. Handle time 420 s against 300: 120 / 300 = 0.4.
    assert gap(line("nps", "30", "40")) == D("0.25")
    assert priority(line("nps", "30", "40", weight="2")) == D("0.5")
    assert gap(line("aht", "420", "300", unit="seconds")) == D("0.4")


def test_off_track_kpis_are_capped_by_gap_times_weight_grouped_by_team_and_the_rest_go_to_the_appendix():
    board = data(
        {
            1: [line("nps", "30", "40"), line("csat", "70", "80", status="green")],  # 0.25; the green one is not listed
            2: [line("fcr", "50", "100", weight="2"), line("ces", "4", "5")],  # 1.0 and 0.2
            3: [line("nps", "38", "40")],  # 0.05
        }
    )
    sections = off_track_sections(board, cap=2)
    assert [(g["team"], [r["code"] for r in g["rows"]]) for g in sections["top"]] == [
        ("Team 2", ["fcr"]),
        ("Team 1", ["nps"]),
    ]
    assert [(g["team"], [r["code"] for r in g["rows"]]) for g in sections["appendix"]] == [
        ("Team 2", ["ces"]),
        ("Team 3", ["nps"]),
    ]
    assert (sections["count"], sections["shown"], sections["teams"], sections["without_action"]) == (4, 2, 3, 4)


def test_divisions_and_departments_are_ranked_apart():
    levels = league_levels(lambda cards: sorted(cards), data({}))
    assert [(level["title"], level["rows"]) for level in levels] == [
        ("Division league table", [1]),
        ("Department league table", [2, 3]),
    ]


def test_a_flat_tree_has_one_league_table():
    levels = league_levels(lambda cards: sorted(cards), data({}, department_parents={1: None, 2: None, 3: None}))
    assert [level["rows"] for level in levels] == [[1, 2, 3]]


def test_source_is_said_once_per_section():
    board = data({}, snapshots={"2026-09": {"company": "abcdef0123", "team:1": "1", "team:2": "2"}})
    assert section_source(board, "2026-09", ["company"]) == "Source: snapshot 2026-09 · abcdef01."
    assert section_source(board, "2026-09", ["team:1", "team:2"]) == (
        "Source: 2 frozen scorecards of 2026-09 (checksums in the evidence)."
    )
    assert section_source(board, "2026-09", ["team:1", "team:3"]).startswith("Source: live data 2026-09")


def test_summary_is_written_from_the_figures():
    board = data({1: [line("nps", "30", "40")]})
    sentences = summary(board, None, off_track_sections(board), ["nps"])
    assert sentences[0] == "The CX index is 72.0 of 100, +2.0 against 2026-08."
    assert sentences[1] == "Since the last board report (2026-08): NPS rose from 25.0 % to 30.0 % (better)."
    assert sentences[2] == "1 headline KPIs improved and 0 worsened."
    assert sentences[3] == "No value model applies to 2026-09, so no value is stated."
    assert sentences[4] == (
        "Off-track team KPIs: 1, in 1 teams (1 without an action); the largest gaps by weight: "
        "Team 1: NPS 30.0 % against 40.0 %."
    )


def test_hiring_quality_states_both_means_with_their_n():
    hires = (
        Hire("A", D("80"), D("70"), True, D("4")),
        Hire("B", D("70"), D("70"), True, None),
        Hire("C", None, D("70"), None, D("3")),
    )
    row = hiring_line(data({}, hiring=HireQuality(hires)))
    # scores (80 + 70) / 2 = 75.0; ratings (4 + 3) / 2 = 3.50
    assert row["amount"] == "score 75.0, 90-day rating 3.50"
    assert row["filled"] == "scores 150.0 / 2 hires = 75.0; ratings 7.00 / 2 rated = 3.50"
    assert row["range"] == "n = 2 scored, 2 rated"
    assert row["name"] == "Hiring quality (3 hires)"
