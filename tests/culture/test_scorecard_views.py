"""Scorecard pages: access per role, content, exports, and query counts independent of the number of teams."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.models import Membership
from tests.factories import DepartmentFactory, MembershipFactory, TeamFactory

from .scorecard_helpers import measure, nps_day, period, target

pytestmark = pytest.mark.django_db

PERIOD = "2026-09"


@pytest.fixture
def scored(team_a, team_b):
    p = period(PERIOD)
    target("fcr", p, 70, 65, 60)
    target("nps", p, 30, 20, 10, min_sample=20)
    for team, numerator in ((team_a, 50), (team_b, 80)):
        measure(team, "fcr", "2026-09-03", numerator=numerator, denominator=100)
        measure(team, "fcr", "2026-08-03", numerator=60, denominator=100)
        nps_day(team, "2026-09-03", promoters=50, passives=30, detractors=20)
    return p


def _grow(count):
    """Add `count` teams in a new department tree, each with data and a lead."""
    parent = DepartmentFactory()
    child = DepartmentFactory(parent=parent)
    for team in TeamFactory.create_batch(count, department=child):
        MembershipFactory(team=team, role=Membership.Role.LEAD)
        measure(team, "fcr", "2026-09-05", numerator=55, denominator=100)
        measure(team, "aht", "2026-08-05", value=300, sample_size=10)
    return child


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _url(name, *args):
    return reverse(name, args=args) + f"?period={PERIOD}"


@pytest.mark.parametrize(
    "name_and_args",
    [
        ("culture:scorecard_home",),
        ("culture:team_scorecard", "team-a"),
        ("culture:scorecard_list",),
        ("culture:review_status",),
    ],
)
def test_anonymous_users_are_sent_to_login(client, scored, name_and_args):
    response = client.get(_url(*name_and_args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_hr_sees_no_scorecards(client, scored, recruiter, team_a):
    client.force_login(recruiter)
    assert client.get(_url("culture:scorecard_home")).status_code == 403
    assert client.get(_url("culture:team_scorecard", team_a.slug)).status_code == 403


def test_lead_is_sent_to_their_team_and_cannot_open_another(client, scored, lead_a, team_a, team_b):
    client.force_login(lead_a)
    response = client.get(_url("culture:scorecard_home"))
    assert response["Location"] == _url("culture:team_scorecard", team_a.slug)
    assert client.get(_url("culture:team_scorecard", team_b.slug)).status_code == 404
    assert client.get(_url("culture:department_scorecard", team_a.department.slug)).status_code == 403


def test_employee_sees_own_team_scorecard_only(client, scored, employee_a, team_a, team_b):
    client.force_login(employee_a)
    response = client.get(_url("culture:team_scorecard", team_a.slug))
    assert response.status_code == 200
    assert client.get(_url("culture:team_scorecard", team_b.slug)).status_code == 404
    assert b"Write the review" not in response.content


def test_team_scorecard_shows_status_ci_and_trend(client, scored, lead_a, team_a):
    client.force_login(lead_a)
    response = client.get(_url("culture:team_scorecard", team_a.slug))
    card = response.context["card"]
    assert card.lines["fcr"].actual == 50 and card.lines["fcr"].status == "red"
    assert card.lines["fcr"].trend == -10
    html = response.content.decode()
    assert "15 to 45 · n=100" in html  # NPS confidence interval and sample
    assert 'role="img"' in html and "Write the review" in html
    assert "Red without an action: First-contact resolution" in html
    # one trend card per KPI line, each with its chart
    assert response.context["lines"]
    trends = html.split('<h2 class="h5">Trends</h2>', 1)[1]
    assert trends.count('class="card-body"') == len(response.context["lines"])
    assert trends.count("<svg") == len(response.context["lines"])


def test_cco_dashboard_lists_departments_and_red_kpis(client, scored, cco, team_a):
    client.force_login(cco)
    response = client.get(_url("culture:scorecard_home"))
    assert response.status_code == 200
    assert [row["line"].kpi_code for row in response.context["red_rows"]] == ["fcr"]
    assert response.context["red_rows"][0]["team"] == team_a
    assert response.context["company"].lines["fcr"].actual == 65  # 130 / 200
    assert len(response.context["league"]) == 2
    assert '<span class="badge status-red">1</span>' in response.content.decode()


def test_dashboard_does_not_colour_zero_red_kpis_red(client, cco, team_a):
    period(PERIOD)
    client.force_login(cco)
    html = client.get(_url("culture:scorecard_home")).content.decode()
    assert '<span class="badge status-neutral">0</span>' in html
    assert "<span>0 red team KPIs</span>" in html


def test_department_scorecard_rolls_up_its_teams(client, scored, cco, team_a):
    client.force_login(cco)
    response = client.get(_url("culture:department_scorecard", team_a.department.slug))
    assert response.context["card"].lines["fcr"].actual == 50
    assert [row["object"] for row in response.context["team_rows"]] == [team_a]


def test_scorecard_table_filters_by_status_and_exports_csv(client, scored, cco, team_a):
    client.force_login(cco)
    response = client.get(reverse("culture:scorecard_list"), {"period": PERIOD, "status": "red"})
    assert [row["team"] for row in response.context["table"].data] == [team_a]
    export = client.get(reverse("culture:scorecard_list"), {"period": PERIOD, "_export": "csv", "sort": "-kpi_fcr"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
    assert rows[0][:3] == ["Team", "Department", "Composite"]
    assert [row[0] for row in rows[1:]] == ["Team B", "Team A"]
    assert "80.0" in rows[1]


def test_scorecard_table_is_scoped_for_leads(client, scored, lead_a, team_a):
    client.force_login(lead_a)
    response = client.get(reverse("culture:scorecard_list"), {"period": PERIOD})
    assert [row["team"] for row in response.context["table"].data] == [team_a]


def test_malformed_period_falls_back_with_a_note(client, scored, cco):
    client.force_login(cco)
    response = client.get(reverse("culture:scorecard_home"), {"period": "Sept"})
    assert response.status_code == 200
    assert "is not a period" in response.content.decode()


@pytest.mark.parametrize(
    "name_and_args",
    [
        ("culture:scorecard_home",),
        ("culture:team_scorecard", "team-a"),
        ("culture:scorecard_list",),
        ("culture:review_status",),
        ("culture:target_list",),
        ("culture:period_list",),
    ],
)
def test_page_query_count_does_not_grow_with_teams(client, scored, cco, name_and_args):
    client.force_login(cco)
    url = _url(*name_and_args)
    _grow(2)
    few = _queries(client, url)
    _grow(25)
    many = _queries(client, url)
    assert few == many
    assert many <= 30


def test_department_page_query_count_does_not_grow_with_teams(client, scored, cco):
    client.force_login(cco)
    department = _grow(2)
    url = _url("culture:department_scorecard", department.slug)
    few = _queries(client, url)
    for team in TeamFactory.create_batch(25, department=department):
        measure(team, "fcr", "2026-09-05", numerator=55, denominator=100)
    _grow(10)
    many = _queries(client, url)
    assert few == many
    assert many <= 30


def test_a_kpi_added_after_a_close_shows_gaps_in_older_periods(client, scored, cco, team_a):
    from culture.models import Kpi
    from culture.scorecards import close_period

    close_period(code="2026-08", actor=cco)
    Kpi.objects.create(
        code="complaints",
        name="Complaints",
        definition="count",
        category="satisfaction",
        unit="count",
        direction="lower",
        aggregation="sum",
        decimals=0,
    )
    measure(team_a, "complaints", "2026-09-02", value=4)
    client.force_login(cco)
    response = client.get(_url("culture:team_scorecard", team_a.slug))
    assert response.status_code == 200
    assert response.context["card"].lines["complaints"].actual == 4
    assert "2026-08 no data" in next(
        i["chart"] for i in response.context["lines"] if i["line"].kpi_code == "complaints"
    )
