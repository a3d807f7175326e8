"""Statement wording: the cap, gates, lower-is-better thresholds, each asserted word for word."""

from __future__ import annotations

from decimal import Decimal as D

from incentives.calculations import Actual, ComponentSpec, Curve, PersonInput, Stint, calculate_line
from incentives.explain import component_row, render_component, stint_components_json

CSAT = Curve(threshold=D(75), target=D(85), stretch=D(95))
AHT = Curve(threshold=D(420), target=D(360), stretch=D(300), lower_is_better=True)
CAPPED = Curve(threshold=D(70), target=D(80), stretch=D(90), cap_pct=D(120))


def spec(key, curve, weight=1, is_gate=False):
    return ComponentSpec(key=key, label=key.upper(), kpi_code=key, weight=D(weight), curve=curve, is_gate=is_gate)


def words(specs, **actuals):
    values = {k: v if isinstance(v, Actual) else Actual(value=D(v)) for k, v in actuals.items()}
    stint = Stint(team_id=1, team_label="Team North", days=30, actuals=values)
    person = PersonInput(person_id=1, target_amount=D(1000), stints=(stint,))
    line = calculate_line(specs=tuple(specs), person=person, period_days=30, rounder=lambda d: d.quantize(D("0.01")))
    return [render_component(row) for row in stint_components_json(line.stints[0], [], "EUR")]


def test_exactly_at_the_cap_promises_no_more():
    assert words([spec("fcr", CAPPED)], fcr="84") == [
        "FCR (Team North) 84.0 -> capped -> 120.00 % of target x 100.0 % weight -> EUR 1,200.00; "
        "at the cap: no further pay for better results"
    ]


def test_below_the_cap_says_what_one_better_adds():
    assert words([spec("fcr", CAPPED)], fcr="82") == [
        "FCR (Team North) 82.0 -> between target and stretch -> 110.00 % of target x 100.0 % weight -> "
        "EUR 1,100.00 (each 1.0 better adds EUR 50.00)"
    ]


def test_a_missed_gate_names_the_kpi_its_threshold_and_how_close_the_team_came():
    text = words([spec("csat", CSAT, weight=0, is_gate=True), spec("fcr", CAPPED)], csat="74.9", fcr="80")
    assert text == [
        "the CSAT gate needs 75.0; the team had 74.9 -> EUR 0.00",
        "FCR (Team North) 80.0 -> between target and stretch, but the CSAT gate needs 75.0; the team had 74.9, "
        "so the plan pays nothing -> EUR 0.00",
    ]


def test_a_gate_missed_below_the_shown_precision_shows_more_places():
    text = words([spec("csat", CSAT, weight=0, is_gate=True)], csat=Actual(D("75.0"), exact=D("74.95")))
    assert text == ["the CSAT gate needs 75.0; the team had 74.950 -> EUR 0.00"]


def test_a_met_gate_says_so():
    assert words([spec("csat", CSAT, weight=0, is_gate=True)], csat="75") == [
        "CSAT (Team North) 75.0 -> between threshold and target -> gate met"
    ]


def test_lower_is_better_above_its_threshold_says_above():
    assert words([spec("aht", AHT)], aht="440") == ["AHT (Team North) 440.0 is above the 420.0 threshold -> EUR 0.00"]


def test_higher_is_better_below_its_threshold_says_below():
    assert words([spec("csat", CSAT)], csat="70") == ["CSAT (Team North) 70.0 is below the 75.0 threshold -> EUR 0.00"]


def test_a_lower_is_better_gate_needs_its_threshold_or_less():
    assert words([spec("aht", AHT, weight=0, is_gate=True)], aht="440") == [
        "the AHT gate needs 420.0 or less; the team had 440.0 -> EUR 0.00"
    ]


def test_stored_rows_are_codes_and_figures_without_words():
    row = stint_components_json(
        calculate_line(
            specs=(spec("fcr", CAPPED),),
            person=PersonInput(1, D(1000), (Stint(1, "Team North", 30, {"fcr": Actual(D(80))}),)),
            period_days=30,
            rounder=lambda d: d,
        ).stints[0],
        [],
        "EUR",
    )[0]
    assert "text" not in row
    assert row["code"] == "paid_per_unit"
    assert row["figures"]["actual"] == "80.0"
    assert row["curve"]["cap_pct"] == "120"


def test_rows_explained_before_codes_render_their_stored_words():
    assert render_component({"text": "FCR 80.0 -> between target and stretch"}) == (
        "FCR 80.0 -> between target and stretch"
    )
    assert render_component({"code": "text", "figures": {"text": "kept as stored"}}) == "kept as stored"


def test_no_data_reason_renders_from_its_code():
    result = component_row(
        calculate_line(
            specs=(spec("fcr", CAPPED),),
            person=PersonInput(1, D(1000), (Stint(1, "T", 30, {}),)),
            period_days=30,
            rounder=lambda d: d,
        )
        .stints[0]
        .components[0],
        currency="EUR",
        scope="T",
    )
    assert render_component(result) == "FCR (T): no FCR data in the period -> EUR 0.00"
