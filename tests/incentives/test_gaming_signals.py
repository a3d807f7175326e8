"""Gaming signals from the database: the loader's aggregates, its query count, and the plan's impact page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from bench.gaming_data import Parameters, company_period
from culture.models import Measurement
from incentives import services
from incentives.gaming import Flag, Signal, Thresholds, detect, gaming_signals, load_inputs
from incentives.gaming.detector import GamingInputs
from tests.factories import TeamFactory

from .factories import ComponentFactory, PlanFactory, kpi

pytestmark = pytest.mark.django_db
SEPT, AUG = dt.date(2026, 9, 1), dt.date(2026, 8, 1)


def _days(team, code, start, values, **fields):
    for offset, value in enumerate(values):
        day = start + dt.timedelta(days=offset)
        if code in ("fcr", "csat"):
            Measurement.objects.create(
                team=team, kpi=kpi(code), date=day, numerator=D(str(value)), denominator=D(1000), **fields
            )
        else:
            Measurement.objects.create(team=team, kpi=kpi(code), date=day, value=D(str(value)), **fields)


@pytest.fixture
def csat_plan(team_a, team_b, other_team):
    plan = PlanFactory(name="CSAT bonus", teams=[team_a, team_b])
    ComponentFactory(plan=plan, kpi=kpi("csat"), threshold=75, target=80, stretch=85)
    return plan


def test_flags_the_team_whose_csat_days_sit_just_above_the_threshold(csat_plan, team_a, team_b):
    _days(team_a, "csat", SEPT, [755] * 10 + [700])  # 75.5 % ten times, 70 % once: mean 75
    _days(team_b, "csat", SEPT, [755] * 5 + [745] * 5)
    (signal,) = [s for s in gaming_signals(plan=csat_plan) if s.rule == "threshold_cluster"]
    assert signal.team_name == "Team A"
    assert (signal.evidence["above"], signal.evidence["below"], signal.evidence["p_value"]) == (10, 0, D("0.00098"))


def test_flags_a_survey_sample_that_falls_only_in_covered_teams(csat_plan, team_a, other_team):
    for team, now in ((team_a, 50), (other_team, 98)):
        Measurement.objects.create(team=team, kpi=kpi("csat"), date=AUG, value=80, sample_size=100)
        Measurement.objects.create(team=team, kpi=kpi("csat"), date=SEPT, value=80, sample_size=now)
        for day in (AUG, SEPT):
            Measurement.objects.create(team=team, kpi=kpi("fcr"), date=day, numerator=700, denominator=1000)
    (signal,) = gaming_signals(plan=csat_plan)
    assert (signal.team_name, signal.rule) == ("Team A", "survey_drop")
    evidence = signal.evidence
    assert (evidence["before"], evidence["now"], evidence["z"]) == (D("10.00"), D("5.00"), D("-4.24"))


def test_flags_faster_handling_that_costs_first_contact_resolution(team_a):
    plan = PlanFactory(name="AHT bonus", teams=[team_a])
    ComponentFactory(plan=plan, kpi=kpi("aht"), threshold=480, target=420, stretch=360)
    _days(team_a, "aht", AUG, [500, 510, 490, 500])
    _days(team_a, "aht", SEPT, [400, 410, 390, 400])
    _days(team_a, "fcr", AUG, [800] * 4)
    _days(team_a, "fcr", SEPT, [700] * 4)
    signals = gaming_signals(plan=plan)
    assert [(s.team_name, s.rule) for s in signals] == [("Team A", "rushing")]
    assert (signals[0].evidence["fcr_before"], signals[0].evidence["fcr_now"]) == (D("80.0"), D("70.0"))


def test_flags_surveys_moved_to_the_best_channel(csat_plan, team_a):
    for day, phone, email in ((AUG, 100, 100), (SEPT, 300, 100)):
        Measurement.objects.create(
            team=team_a, kpi=kpi("csat"), date=day, channel="phone", numerator=phone * D("0.9"), denominator=phone
        )
        Measurement.objects.create(
            team=team_a, kpi=kpi("csat"), date=day, channel="email", numerator=email * D("0.7"), denominator=email
        )
    mixes = [s for s in gaming_signals(plan=csat_plan) if s.rule == "survey_mix"]
    assert [(s.evidence["dimension"], s.evidence["best"], s.evidence["mix_effect"]) for s in mixes] == [
        ("channel", ("phone",), D("5.00"))
    ]
    assert mixes[0].best_cells == "Phone"


def test_names_the_best_weekdays_in_the_readers_language(team_a):
    mix = Flag(team_a.pk, "survey_mix", "csat", {"dimension": "weekday", "best": ("0", "5")})
    assert Signal("Team A", mix).best_cells == "Monday, Saturday"
    with translation.override("sv"):
        assert Signal("Team A", mix).best_cells == "måndag, lördag"


def test_loads_every_signal_with_one_query_each(csat_plan, team_a, team_b, django_assert_num_queries):
    ComponentFactory(plan=csat_plan, kpi=kpi("aht"), threshold=480, target=420, stretch=360)
    for team in (team_a, team_b):
        _days(team, "csat", SEPT, [760] * 3)
        _days(team, "aht", SEPT, [400] * 3)
    # eligible teams, eligible departments, components; then one query per signal (a, b, c, d)
    with django_assert_num_queries(7):
        inputs = load_inputs(plan=csat_plan)
    assert {s.team_id for s in inputs.series} == {team_a.pk, team_b.pk}
    assert len(inputs.trends) == 2


def test_impact_page_shows_the_signals_with_their_evidence(client, cco, lead_a, csat_plan, team_a):
    _days(team_a, "csat", SEPT, [755] * 10 + [700])
    url = reverse("incentives:plan_impact", args=[csat_plan.pk])
    client.force_login(lead_a)
    assert client.get(url).status_code == 403
    client.force_login(cco)
    page = client.get(url).content.decode()
    assert "Days cluster just above the payout threshold" in page
    assert "10 days just above the threshold 75.00 and 0 just below it" in page
    assert "p = 0.00098" in page


def test_approval_pack_shows_the_plans_signals_with_their_evidence(client, cco, csat_plan, team_a):
    _days(team_a, "csat", SEPT, [755] * 10 + [700])
    run = services.create_payout_run(plan=csat_plan, actor=cco)
    client.force_login(cco)
    page = client.get(reverse("incentives:run_approval", args=[run.pk])).content.decode()
    assert 'id="gaming-signals"' in page
    assert "Days cluster just above the payout threshold" in page
    assert "10 days just above the threshold 75.00 and 0 just below it" in page


def test_impact_page_says_when_there_is_no_signal(client, cco, csat_plan):
    client.force_login(cco)
    page = client.get(reverse("incentives:plan_impact", args=[csat_plan.pk])).content.decode()
    assert "No gaming signal for the teams this plan covers." in page


def _six(value: float) -> D:
    return D(str(value)).quantize(D("0.000001"))


def test_the_loader_reads_generated_days_back_to_the_same_flags():
    """Generated series and trends written as measurements give the flags the detector gives on them directly."""
    generated = company_period(0, Parameters(covered=8, uncovered=0, gamed_share=0.75))
    teams = {i: TeamFactory(name=f"Generated {i}", slug=f"generated-{i}") for i in range(1, 9)}
    plan = PlanFactory(name="Generated", teams=list(teams.values()))
    csat, aht, fcr = kpi("csat"), kpi("aht"), kpi("fcr")
    ComponentFactory(plan=plan, kpi=csat, threshold=75, target=80, stretch=85)
    ComponentFactory(plan=plan, kpi=aht, threshold=480, target=420, stretch=360)
    rows = []
    for series in generated.inputs.series:
        team = teams[series.team_id]
        for i, value in enumerate(series.days):
            day = SEPT + dt.timedelta(i)
            rows.append(Measurement(team=team, kpi=csat, date=day, numerator=_six(value * 10), denominator=1000))
    for trend in generated.inputs.trends:
        team = teams[trend.team_id]
        for start, days, counts in ((AUG, trend.aht_before, trend.fcr_before), (SEPT, trend.aht_now, trend.fcr_now)):
            for i, value in enumerate(days):
                rows.append(Measurement(team=team, kpi=aht, date=start + dt.timedelta(i), value=_six(value)))
            assert counts is not None
            resolved, contacts = counts.events, counts.contacts
            rows.append(Measurement(team=team, kpi=fcr, date=start, numerator=resolved, denominator=contacts))
    Measurement.objects.bulk_create(rows)
    direct = detect(GamingInputs(series=generated.inputs.series, trends=generated.inputs.trends), Thresholds())
    assert {f.rule for f in direct} == {"threshold_cluster", "rushing"}, "the seed must exercise both rules"
    loaded = {(s.team_name, s.rule) for s in gaming_signals(plan=plan)}
    assert loaded == {(teams[f.team_id].name, f.rule) for f in direct}
