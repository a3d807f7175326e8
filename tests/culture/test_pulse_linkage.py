"""The service-profit chain on real rows: the demo shows a positive r, only shown groups are points."""

from __future__ import annotations

import datetime as dt
import math
import statistics
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.numbers import half_up
from culture.models import Department, Kpi, PulseAnswer, Team
from culture.pulse.linkage import default_pulse, service_chain
from culture.pulse.results import closed_pulses, pulse_results
from culture.pulse.services import install_standard_library, publish_pulse
from tests.culture.scorecard_helpers import nps_day
from tests.factories import DepartmentFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_demo_data_shows_a_positive_correlation(client, cco):
    call_command("seed_demo", teams=16, people_per_team=12, months=13, seed=5)
    today = timezone.localdate()
    pulse = default_pulse(list(closed_pulses()), 0, today)
    chain = service_chain(cco, pulse=pulse, measure="enps", kpi=Kpi.objects.get(code="nps"), lag=0, today=today)
    assert chain.refusal == ""
    assert chain.correlation.n == len(chain.points) == 16  # every team: 12 invited, above the minimum group
    # the figures docs/kpi-maths.md quotes for this seed, and the interval is Fisher's for them
    assert round(chain.correlation.r, 2) == 0.79
    assert (round(chain.correlation.low, 2), round(chain.correlation.high, 2)) == (0.48, 0.92)
    z, half = math.atanh(chain.correlation.r), 1.96 / math.sqrt(16 - 3)
    assert chain.correlation.low == pytest.approx(math.tanh(z - half)) and chain.correlation.low > 0
    assert chain.correlation.high == pytest.approx(math.tanh(z + half))
    # the page shows the same figures
    client.force_login(cco)
    page = _dashboard(client).content.decode()
    assert "<desc>16 teams; Pearson" in page and "0.79" in page


def _previous_quarter_end(today: dt.date) -> dt.date:
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first - dt.timedelta(days=1)


def _world(cco, sizes: list[int], *, closes: dt.date):
    """One closed pulse; team i: `sizes[i]` answers, k_i of them eNPS 10 and the rest 0; its customer NPS in
    the pulse's quarter from (promoters, detractors) that rise with i but not in a straight line."""
    department = DepartmentFactory(name="Care", slug="care")
    teams = [TeamFactory(name=f"T{i:02d}", slug=f"t{i}", department=department) for i in range(len(sizes))]
    pulse = publish_pulse(
        actor=cco,
        title="Q pulse",
        library_version=install_standard_library(actor=cco),
        teams=teams,
        opens_on=closes - dt.timedelta(days=10),
        closes_on=closes,
    )
    questions = {q.key: q for q in pulse.library_version.questions.all()}
    for i, (team, size) in enumerate(zip(teams, sizes, strict=True)):
        promoters = i % size
        for n in range(size):
            response = uuid.uuid4()
            scores = {"enps": 10 if n < promoters else 0, "impact": 1 + (i + n) % 5, "autonomy": 3, "feedback": 4}
            PulseAnswer.objects.bulk_create(
                PulseAnswer(response=response, pulse=pulse, team=team, question=questions[k], score=s)
                for k, s in scores.items()
            )
        nps_day(team, closes - dt.timedelta(days=5), promoters=10 + 3 * i + (i * 7) % 5, passives=5, detractors=10)
    return pulse, teams


def test_the_correlation_matches_the_hand_figures_and_leaves_out_small_groups(cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = 5
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    sizes = [6] * 9 + [3]  # the last team has 3 answers: below the minimum, never a point
    pulse, teams = _world(cco, sizes, closes=closes)
    chain = service_chain(cco, pulse=pulse, measure="enps", kpi=Kpi.objects.get(code="nps"), lag=0)

    shown = {row.teams for row in pulse_results(cco, pulse_id=pulse.pk, scope="team", question_key="")}
    # T09 (3 answers) is below the minimum; the differencing rule then hides one more team, so that the
    # company minus the shown teams is never fewer than 5 people: only the shown teams are points.
    assert {frozenset({p.team_id}) for p in chain.points} == shown
    assert teams[9].pk not in {p.team_id for p in chain.points} and len(chain.points) == 8
    index = {team.pk: i for i, team in enumerate(teams)}
    used = [index[p.team_id] for p in chain.points]
    xs = [Decimal(100) * (2 * (i % 6) - 6) / 6 for i in used]
    ys = [Decimal(100) * (3 * i + (i * 7) % 5) / (25 + 3 * i + (i * 7) % 5) for i in used]
    assert [p.engagement for p in chain.points] == xs
    nps = Kpi.objects.get(code="nps")
    ys = [half_up(y, nps.decimals) for y in ys]  # the KPI as its scorecard shows it
    assert [p.kpi for p in chain.points] == ys
    expected = statistics.correlation([float(x) for x in xs], [float(y) for y in ys])
    assert chain.correlation.n == 8
    assert chain.correlation.r == pytest.approx(expected, abs=1e-9)


def test_fewer_teams_than_the_setting_is_refused_in_plain_words(cco, settings):
    settings.CENTRIC_CHAIN_MIN_TEAMS = 10
    pulse, _teams = _world(cco, [6] * 9, closes=_previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20))
    chain = service_chain(cco, pulse=pulse, measure="enps", kpi=Kpi.objects.get(code="nps"), lag=0)
    assert chain.correlation is None and "Only 9 teams" in chain.refusal


def test_a_kpi_period_not_over_yet_is_refused(cco):
    pulse, _teams = _world(cco, [6] * 9, closes=_previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20))
    chain = service_chain(cco, pulse=pulse, measure="enps", kpi=Kpi.objects.get(code="nps"), lag=1)
    assert chain.correlation is None and chain.points == [] and "not over yet" in chain.refusal


def _dashboard(client, **params):
    query = {"chain-measure": "enps", "chain-kpi": "nps", "chain-lag": "0", **params}
    return client.get(reverse("culture:scorecard_home"), query)


def test_the_dashboard_draws_the_chart_with_caveats_and_a_data_table(client, cco):
    _world(cco, [6] * 9, closes=_previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20))
    client.force_login(cco)
    response = _dashboard(client)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<circle cx="') >= 9 and "<desc>9 teams; Pearson" in body
    assert "Correlation is not cause" in body and "T08" in body


def test_the_dashboard_keeps_a_wrong_lag_and_explains_it(client, cco):
    client.force_login(cco)
    body = _dashboard(client, **{"chain-lag": "7"}).content.decode()
    assert "Select a valid choice. 7 is not one of the available choices." in body
    assert "<desc>" not in body


def test_the_dashboard_query_count_does_not_grow_with_the_teams(client, cco):
    closes = _previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20)
    client.force_login(cco)
    _world(cco, [6] * 9, closes=closes)
    with CaptureQueriesContext(connection) as few:
        assert "<desc>9 teams" in _dashboard(client).content.decode()
    Department.objects.update(slug=Concat(F("slug"), Value("-old")))
    Team.objects.update(slug=Concat(F("slug"), Value("-old")), name=Concat(Value("Old "), F("name")))
    _world(cco, [6] * 18, closes=closes)  # a later pulse (the default) to twice as many teams
    with CaptureQueriesContext(connection) as many:
        assert "<desc>18 teams" in _dashboard(client).content.decode()
    assert len(many) == len(few)
