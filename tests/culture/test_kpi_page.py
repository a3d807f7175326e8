"""The KPI page: definition, aggregation with its formula, direction, and the targets the user may see."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from culture.models import Period

from .scorecard_helpers import kpi, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(team_a, team_b):
    period, _created = Period.objects.get_or_create_for_code("2026-09")
    return {
        "company": target("churn_rate", period, "1.5", "2.0", "3.0", weight=2),
        "team_a": target("churn_rate", period, "1.2", "1.8", "2.6", team=team_a),
        "team_b": target("churn_rate", period, "1.9", "2.4", "3.3", team=team_b),
    }


def test_kpi_page_shows_definition_formula_aggregation_and_targets(client, cco, targets):
    churn = kpi("churn_rate")
    client.force_login(cco)
    response = client.get(f"/culture/kpis/{churn.code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert escape(churn.definition) in page
    assert "scale x Σ lost / customers at the period&#x27;s start (never a sum of daily bases)" in page
    assert "lower is better" in page
    # the company's target (2 places: churn is shown with 2 decimals) and both teams' own, for the CCO
    assert '<td>Company</td><td class="text-end">1.50</td><td class="text-end">2.00</td>' in page
    assert "Team A" in page and "Team B" in page
    assert 'href="/culture/kpis/"' in page  # breadcrumbs back to the catalogue


def test_a_lead_sees_the_company_target_and_their_own_but_not_another_teams(client, lead_a, targets):
    client.force_login(lead_a)
    page = client.get("/culture/kpis/churn_rate/").content.decode()
    assert "<td>Company</td>" in page and "<td>Team A</td>" in page
    assert "Team B" not in page and "1.90" not in page


def test_anonymous_is_sent_to_the_login_and_an_unknown_kpi_is_404(client, cco):
    assert client.get("/culture/kpis/churn_rate/").status_code == 302
    client.force_login(cco)
    assert client.get("/culture/kpis/no-such-kpi/").status_code == 404


def test_the_catalogue_links_each_kpi_to_its_page(client, cco):
    client.force_login(cco)
    page = client.get("/culture/kpis/").content.decode()
    assert 'href="/culture/kpis/nps/"' in page
