"""Pure: the run fingerprint (canonical, order-free, sensitive to every rule and input) and the approval
pack's quantiles and change, checked by hand and by hypothesis."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from incentives.calculations import Actual, ComponentSpec, Curve, PersonInput, Stint
from incentives.fingerprint import canonical_number, run_fingerprint
from incentives.pack import change, quantiles

SPEC = ComponentSpec(key="1", label="FCR", kpi_code="fcr", weight=D(1), curve=Curve(D(70), D(80), D(90)))
TERMS = {"period": "2026-09", "currency": "EUR", "target_amount": D("300.00")}


def _people(fcr_a="80", fcr_b="90", target="300.00", days=30):
    a = Stint(team_id=1, team_label="A", days=days, actuals={"1": Actual(D(fcr_a), sample_size=40)})
    b = Stint(team_id=2, team_label="B", days=30, actuals={"1": Actual(D(fcr_b), sample_size=40)})
    return [PersonInput(10, D(target), (a,)), PersonInput(11, D("300.00"), (b,))]


def _fp(people=None, terms=TERMS, specs=(SPEC,)):
    return run_fingerprint(terms=terms, specs=specs, period_days=30, people=people or _people())


def test_canonical_numbers_are_equal_for_equal_values():
    assert canonical_number(D("80")) == canonical_number(D("80.000")) == canonical_number(D("8E+1")) == "80"
    assert canonical_number(D("0.00")) == canonical_number(0) == "0"
    assert canonical_number(D("-1.50")) == "-1.5"
    assert canonical_number(None) is None


def test_the_same_rules_and_inputs_give_the_same_fingerprint_whatever_the_spelling():
    assert _fp() == _fp(_people(fcr_a="80.0", target="300"))
    assert _fp() == _fp(list(reversed(_people())))
    assert len(_fp()) == 64 and int(_fp(), 16) >= 0


def test_each_rule_and_input_changes_the_fingerprint():
    base = _fp()
    changed = {
        _fp(_people(fcr_a="80.1")),  # an actual
        _fp(_people(target="301")),  # an override (a person's target amount)
        _fp(_people(days=29)),  # a membership
        _fp(terms={**TERMS, "target_amount": D("301")}),  # the plan's terms
        _fp(
            specs=(ComponentSpec(key="1", label="FCR", kpi_code="fcr", weight=D(1), curve=Curve(D(70), D(81), D(90))),)
        ),
        _fp(specs=(ComponentSpec(key="1", label="FCR", kpi_code="fcr", weight=D(1), curve=SPEC.curve, is_gate=True),)),
        _fp(_people()[:1]),  # someone left the eligible teams
    }
    assert base not in changed
    assert len(changed) == 7


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(st.integers(1, 50), st.decimals("0", "1000", places=2)),
        min_size=1,
        max_size=8,
        unique_by=lambda t: t[0],
    ),
    st.randoms(use_true_random=False),
)
def test_fingerprint_ignores_the_order_of_people(rows, rnd):
    stint = Stint(team_id=1, team_label="A", days=30, actuals={"1": Actual(D(80))})
    people = [PersonInput(pid, amount, (stint,)) for pid, amount in rows]
    shuffled = list(people)
    rnd.shuffle(shuffled)
    assert _fp(people) == _fp(shuffled)


def test_quantiles_by_nearest_rank_by_hand():
    amounts = [D(x) for x in ("0", "10", "20", "30", "40", "50", "60", "70", "80", "90")]
    got = dict(quantiles(amounts))
    # n = 10: q=0 -> 1st; 0.1 -> ceil(1) = 1st; 0.25 -> ceil(2.5) = 3rd; 0.5 -> 5th; 0.75 -> ceil(7.5) = 8th; 0.9 -> 9th
    assert got == {
        D("0"): D("0"),
        D("0.1"): D("0"),
        D("0.25"): D("20"),
        D("0.5"): D("40"),
        D("0.75"): D("70"),
        D("0.9"): D("80"),
        D("1"): D("90"),
    }
    assert quantiles([]) == []


@given(st.lists(st.decimals("-100", "100000", places=2), min_size=1, max_size=60))
def test_quantiles_are_members_in_order(amounts):
    values = [value for _q, value in quantiles(amounts)]
    assert values == sorted(values)
    assert set(values) <= set(amounts)
    assert values[0] == min(amounts) and values[-1] == max(amounts)


def test_change_from_the_previous_total():
    assert change(D("55799.14"), D("30007.14")) == (D("25792.00"), D("86.0"))  # 25792 / 30007.14 = 85.95 %
    assert change(D("10"), None) == (None, None)
    assert change(D("10"), D("0")) == (D("10"), None)
