"""The statement page and PDF: a row per component with its curve and a dot, ineligible days, one precision,
neutral wording, and no figures of a team the reader may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from culture.models import Membership
from incentives import services
from incentives.models import PayoutLine
from reports.documents.statement import clean_parameters, gather_statement, statement_context
from reports.forms import StatementRequestForm
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from users.roles import Role

from .conftest import person_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="83.7")
    scorecards.set("team", team_b.pk, fcr="90")
    created = services.create_payout_run(plan=plan, actor=cco)
    return services.calculate_payouts(run_id=created.pk, actor=cco)


def _page(client, user, line) -> str:
    client.force_login(user)
    response = client.get(reverse("incentives:statement", args=[line.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_row_per_component_with_its_curve_points_and_a_curve_with_a_dot(client, cco, run, org):
    html = _page(client, cco, PayoutLine.objects.get(run=run, person=org["mover"]))
    row = (
        '<tr><th scope="row">FCR</th><td class="text-end">83.7</td><td class="text-end">70.0</td>'
        '<td class="text-end">80.0</td><td class="text-end">90.0</td><td class="text-end">150.00 %</td>'
        "<td>between target and stretch, 118.50 %</td>"
    )
    assert row in html
    assert 'aria-label="FCR payout curve: threshold 70.0, target 80.0, stretch 90.0; landed at 83.7"' in html
    assert html.count("<circle") == 2  # one dot per component and team
    assert "at the cap: no further pay for better results" in html  # Team B at stretch
    assert "33.3 % of the period" in html and "66.7 % of the period" in html
    assert "You " not in html.split("<main", 1)[1]


def test_ineligible_days_are_shown(client, cco, plan, team_a, scorecards):
    person = PersonFactory(name="Late joiner")
    MembershipFactory(person=person, team=team_a, start=dt.date(2026, 9, 21))
    scorecards.set("team", team_a.pk, fcr="80")
    created = services.create_payout_run(plan=plan, actor=cco)
    services.calculate_payouts(run_id=created.pk, actor=cco)
    html = _page(client, cco, PayoutLine.objects.get(run=created, person=person))
    assert "20 days of 30 not in an eligible team or role" in html
    assert "33.3 % of the period" in html


def test_a_lead_sees_another_teams_rows_without_figures(client, run, org, team_b):
    lead, _person = person_with_login(team_b, Membership.Role.LEAD, "leadb@example.com")
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    html = _page(client, lead, line)
    assert "Team A: 10 days" in html
    assert "83.7" not in html  # Team A's FCR
    assert "figures are shown only to those who may see the team." in html
    assert "not shown" in html
    assert "FCR (Team B) 90.0" in html  # the lead's own team in full
    assert line.teams_hidden_from(lead) == [line.stints.get(team__name="Team A").team_id]


def test_the_person_and_the_cco_see_every_team(cco, run, org, team_a, team_b):
    user = UserFactory(email="mover@example.com", roles=[Role.EMPLOYEE])
    org["mover"].user = user
    org["mover"].save()
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    assert line.teams_hidden_from(user) == []
    assert line.teams_hidden_from(cco) == []


def test_the_pdf_hides_the_same_teams_as_the_page(run, org, team_a, team_b):
    lead, _person = person_with_login(team_b, Membership.Role.LEAD, "leadb@example.com")
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    form = StatementRequestForm(data={"line": line.pk}, user=lead)
    assert form.is_valid(), form.errors
    params = clean_parameters(form.parameters())
    assert params == {"line": line.pk, "hidden": [team_a.pk]}
    context = statement_context(gather_statement(line_id=line.pk, hidden=params["hidden"]), "x")
    team_a_stint = next(s for s in context["stints"] if s["team"] == "Team A")
    assert team_a_stint["hidden"] is True
    assert all(c["hidden"] and "actual" not in c for c in team_a_stint["components"])
    team_b_stint = next(s for s in context["stints"] if s["team"] == "Team B")
    assert team_b_stint["components"][0]["actual"] == "90.0"
    assert team_b_stint["proration"] == "66.7 %"


def test_the_time_share_is_the_same_figure_on_the_page_in_the_pdf_and_in_the_api(client, cco, run, org):
    from rest_framework.test import APIClient

    line = PayoutLine.objects.get(run=run, person=org["mover"])
    api = APIClient()
    api.force_authenticate(cco)
    figure = api.get(f"/api/v1/payout-lines/{line.pk}/").json()["proration_pct"]
    assert figure == "100.0"
    assert f"{figure} % of the period" in _page(client, cco, line)
    assert statement_context(gather_statement(line_id=line.pk), "x")["proration_pct"] == f"{figure} %"


def test_a_swedish_reader_sees_swedish_figures_on_the_page_and_in_the_pdf(client, cco, run, org):
    """The same line as above, read in Swedish: decimal commas and the percent sign after a no-break space."""
    from django.utils import translation

    cco.language = "sv"
    cco.save(update_fields=["language"])
    line = PayoutLine.objects.get(run=run, person=org["mover"])
    html = _page(client, cco, line)
    row = (
        '<tr><th scope="row">FCR</th><td class="text-end">83,7</td><td class="text-end">70,0</td>'
        '<td class="text-end">80,0</td><td class="text-end">90,0</td><td class="text-end">150,00 %</td>'
    )
    assert row in html
    assert "118,50 %" in html  # where it landed: (83.7 - 80) / (90 - 80) x 50 + 100 = 118.50 % of target
    # 10 of 30 days in team A, 20 in team B
    assert "33,3\u00a0%" in html and "66,7\u00a0%" in html
    assert "33.3 %" not in html and "118.50" not in html
    with translation.override("sv"):
        context = statement_context(gather_statement(line_id=line.pk), "x")
    assert [stint["proration"] for stint in context["stints"]] == ["33,3\u00a0%", "66,7\u00a0%"]
    assert context["proration_pct"] == "100,0\u00a0%"
    assert "," in context["exact_amount"] and context["exact_amount"].endswith("\u00a0€")
