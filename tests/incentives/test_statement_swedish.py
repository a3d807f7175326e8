"""A statement read in Swedish: the CCO keeps their role, and a missing figure, stored as a marker in the
explanation, reads in Swedish."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from incentives import services
from incentives.explain import NO_DATA, component_table
from incentives.models import PayoutLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_without_team_b_data(cco, plan, org, team_a, team_b, scorecards):
    scorecards.set("team", team_a.pk, fcr="83.7")  # Team B has no FCR: the mover's days there miss it
    created = services.create_payout_run(plan=plan, actor=cco)
    return services.calculate_payouts(run_id=created.pk, actor=cco)


def test_the_missing_figure_is_stored_as_the_marker_and_shown_in_the_readers_language(
    run_without_team_b_data, org, team_b
):
    line = PayoutLine.objects.get(run=run_without_team_b_data, person=org["mover"])
    rows = line.stints.get(team=team_b).components
    assert rows[0]["figures"]["actual"] == NO_DATA
    with translation.override("en"):
        english = component_table(rows)[0]
    with translation.override("sv"):
        swedish = component_table(rows)[0]
    assert english["actual"] == "no data"
    assert swedish["actual"] == "inga data"
    assert "no data" not in swedish["text"] and "inga data" in swedish["text"]


def test_the_swedish_statement_page_says_inga_data(client, cco, run_without_team_b_data, org):
    line = PayoutLine.objects.get(run=run_without_team_b_data, person=org["mover"])
    client.force_login(cco)
    client.cookies["django_language"] = "sv"
    response = client.get(reverse("incentives:statement", args=[line.pk]))
    assert response.status_code == 200  # the CCO keeps their role in Swedish (users.roles.group_name)
    html = response.content.decode()
    main = html.split("<main", 1)[1]
    assert '<td class="text-end">inga data</td>' in main
    assert "no data" not in main
